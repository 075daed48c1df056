/** Small constructors that keep each row of the contract table on a few lines. */
import {
    CloudRunEnvConsumer,
    Derivation,
    DerivedSource,
    Feature,
    GeneratedSource,
    KubernetesSecretConsumer,
    MergedSecret,
    ProvidedSource,
} from "../types";

export const alphanumeric = (length: number, prefix?: string): GeneratedSource => ({
    kind: "generated",
    length,
    charset: "alphanumeric",
    ...(prefix === undefined ? {} : { prefix }),
});
export const provided = (configKey: string, issuer: string): ProvidedSource => ({
    kind: "provided",
    configKey,
    issuer,
});
export const derived = (from: Derivation, description: string, follows?: readonly string[]): DerivedSource => ({
    kind: "derived",
    from,
    description,
    ...(follows === undefined ? {} : { follows }),
});
export const litellmEnv = (env: string): CloudRunEnvConsumer => ({ kind: "cloudRunEnv", service: "litellm", env });
/** Optional parts of a Kubernetes consumer (see KubernetesSecretConsumer). */
export interface K8sOptions {
    readonly requires?: readonly Feature[];
    readonly env?: string;
    readonly mergeInto?: MergedSecret;
}
export const k8s = (
    namespace: string,
    secretName: string,
    key: string,
    workload: string,
    options: K8sOptions = {},
): KubernetesSecretConsumer => ({
    kind: "kubernetesSecret",
    namespace,
    secretName,
    key,
    workload,
    ...options,
});
