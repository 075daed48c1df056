export * from "./postgres";
export * from "./redis";
export * from "./urls";
export * from "./readOnlyUser";
