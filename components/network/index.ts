export * from "./privateNetwork";
