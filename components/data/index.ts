export * from "./postgres";
export * from "./redis";
export * from "./outputs";
export * from "./urls";
export * from "./readOnlyUser";
