export * from "./contract";
export * from "./resolve";
export * from "./queries";
export * from "./types";
export * from "./describe";
export { APP_KEYS } from "./rows/apps";
export { LITELLM_KEYS } from "./rows/litellm";
export { PROVIDER_KEYS } from "./rows/providers";
