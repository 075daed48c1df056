/** Backends a stack can keep its secrets in (`backend` in stack config). */
export const BACKEND_KINDS = ["gcp-secret-manager"] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];
