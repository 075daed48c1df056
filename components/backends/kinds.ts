/** Backends a stack can keep its secrets in (`backend` in stack config). */
export const BACKEND_KINDS = ["gcp-secret-manager", "aws-secrets-manager", "vault", "kubernetes"] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** Who writes the Kubernetes backend's source Secrets (stack config `kubernetesSourceValues`). */
export const SOURCE_VALUES = ["program", "operator"] as const;
export type SourceValues = (typeof SOURCE_VALUES)[number];
