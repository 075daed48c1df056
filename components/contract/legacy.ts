/**
 * The Kubernetes Secrets and keys releases before the platform guide's names produced, kept only
 * with feature `legacy-secret-names` (docs/kubernetes.md, "Upgrading from the old names").
 *
 * Without it, an `up` deletes the ExternalSecrets of the old names and Kubernetes garbage-collects
 * the Secrets they owned; renamed keys leave their Secrets. With it, the old names are produced
 * beside the new ones (same backend keys, same pinned versions, rotated together) until every
 * workload reads the new ones; then the feature goes off. `litellm/litellm-env` is not kept: its
 * only reader was the LiteLLM release this program installs, which moves to the new names itself.
 */
import { k8s } from "./rows/build";
import { Feature, KubernetesSecretConsumer } from "./types";

export const LEGACY_FEATURE: Feature = "legacy-secret-names";

const old = (
    namespace: string,
    secretName: string,
    key: string,
    workload: string,
    also: readonly Feature[] = [],
): KubernetesSecretConsumer => k8s(namespace, secretName, key, workload, { requires: [LEGACY_FEATURE, ...also] });

/** By contract key: the consumers the previous release had and this one renamed or dropped. */
export const LEGACY_CONSUMERS: Readonly<Record<string, readonly KubernetesSecretConsumer[]>> = {
    "vllm-api-key": [old("vllm", "vllm-api-key", "VLLM_API_KEY", "vllm")],
    "litellm-grafana-ro-password": [old("monitoring", "grafana-litellm-datasource", "password", "grafana")],
    "oauth2-proxy-cookie-secret": [old("oauth2-proxy", "oauth2-proxy-secrets", "cookie-secret", "oauth2-proxy")],
    "dex-admin-hash": [old("dex", "dex-secrets", "admin-password-hash", "dex")],
    "dex-argocd-client-secret": [
        old("dex", "dex-secrets", "argocd-client-secret", "dex"),
        old("argocd", "argocd-dex-oidc", "clientSecret", "argocd"),
    ],
    "dex-oauth2-proxy-client-secret": [
        old("dex", "dex-secrets", "oauth2-proxy-client-secret", "dex"),
        old("oauth2-proxy", "oauth2-proxy-secrets", "client-secret", "oauth2-proxy"),
    ],
    "dex-litellm-client-secret": [old("dex", "dex-secrets", "litellm-client-secret", "dex")],
    "dex-grafana-client-secret": [
        old("dex", "dex-secrets", "grafana-client-secret", "dex"),
        old("monitoring", "grafana-oidc", "client-secret", "grafana"),
    ],
    "dex-open-webui-client-secret": [
        old("dex", "dex-secrets", "open-webui-client-secret", "dex"),
        old("open-webui", "open-webui-oidc", "OAUTH_CLIENT_SECRET", "open-webui"),
    ],
    "dex-tabby-client-secret": [
        old("dex", "dex-secrets", "tabby-client-secret", "dex"),
        old("tabby", "tabby-oidc", "client-secret", "tabby"),
    ],
    "hf-token": [old("vllm", "hf-token", "HF_TOKEN", "vllm", ["vllm"])],
};
