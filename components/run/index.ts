export * from "./cloudRunService";
export * from "./wire";
