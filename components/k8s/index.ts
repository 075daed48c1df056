export * from "./secretStore";
export * from "./esoValues";
export * from "./externalSecret";
export * from "./helmRelease";
export * from "./litellmValues";
export * from "./llmtraceValues";
export * from "./projection";
export * from "./rollout";
