export * from "./cloudRunService";
