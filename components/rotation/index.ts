export * from "./alternation";
export * from "./policy";
export * from "./schedules";
