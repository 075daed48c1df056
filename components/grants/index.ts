export * from "./accessorGrants";
export * from "./cloudSqlClient";
