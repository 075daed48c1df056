export * from "./alternatingPassword";
export * from "./bcryptHash";
export * from "./generatedSecret";
export * from "./secretValues";
