export * from "./principal";
export * from "./serviceAccount";
