export * from "./accessorGrants";
