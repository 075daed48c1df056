export * from "./alertChannel";
export * from "./rotationReminders";
export * from "./secretAccessAlerts";
