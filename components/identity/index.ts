export * from "./serviceAccount";
