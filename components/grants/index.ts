export * from "./accessorGrants";
export * from "./cloudSqlClient";
export * from "./propagation";
