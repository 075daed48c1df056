export * from "./contract";
export * from "./resolve";
export * from "./types";
export * from "./describe";
