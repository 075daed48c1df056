/** Backends a stack can keep its secrets in (`backend` in stack config). */
export const BACKEND_KINDS = ["gcp-secret-manager", "aws-secrets-manager", "vault", "kubernetes"] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];
