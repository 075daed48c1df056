/**
 * What the guides this program automates say each consumer reads, kept by hand: the rows come
 * from the hand transcriptions in test/fixtures/seed-contract/ (read here, never from
 * components/contract), and the tables below add what the transcriptions leave to this program:
 * which features make each row needed, which Secrets and env vars the program adds deliberately
 * (and why), and how each backend names a backend key. Nothing here is computed from the code
 * under test.
 */
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { FIXTURES } from "../support/fixtures";

const readSeed = (file: string): any => YAML.parse(fs.readFileSync(path.join(FIXTURES, "seed-contract", file), "utf8"));

/** One key of one Kubernetes Secret and the backend key that feeds it. */
export interface SecretKeyRow {
    readonly namespace: string;
    readonly secret: string;
    readonly key: string;
    readonly backendKey: string;
}

export const slot = (r: { namespace: string; secret: string; key: string }): string => `${r.namespace}/${r.secret}[${r.key}]`;

/** The platform guide's "Secret contract" (kubernetes-secrets.yaml), one row per namespace and key. */
export function guideSecretRows(): SecretKeyRow[] {
    const rows: { namespaces: string[]; secret: string; keys: Record<string, string> }[] = readSeed("kubernetes-secrets.yaml").rows;
    return rows.flatMap((r) =>
        r.namespaces.flatMap((namespace) =>
            Object.entries(r.keys).map(([key, backendKey]) => ({ namespace, secret: r.secret, key, backendKey })),
        ),
    );
}

/**
 * The guide's "Needed when" column in this program's features, per key: identity is feature dex,
 * plus the client's own feature where the client is optional here; "always" rows of optional
 * workloads (vLLM, Grafana) need their workload's feature.
 */
export const GUIDE_ROW_FEATURES: Readonly<Record<string, readonly string[]>> = {
    "argocd/argocd-secret[oidc.dex.clientSecret]": ["dex", "argocd"],
    "dex/dex-secrets[DEX_ADMIN_PASSWORD_HASH]": ["dex"],
    "dex/dex-secrets[OAUTH2_PROXY_CLIENT_SECRET]": ["dex", "oauth2-proxy"],
    "dex/dex-secrets[ARGOCD_CLIENT_SECRET]": ["dex", "argocd"],
    "dex/dex-secrets[LITELLM_CLIENT_SECRET]": ["dex"],
    "dex/dex-secrets[GRAFANA_CLIENT_SECRET]": ["dex", "grafana"],
    "dex/dex-secrets[OPENWEBUI_CLIENT_SECRET]": ["dex", "open-webui"],
    "dex/dex-secrets[TABBY_CLIENT_SECRET]": ["dex", "tabby"],
    "oauth2-proxy/oauth2-proxy-secrets[clientSecret]": ["dex", "oauth2-proxy"],
    "oauth2-proxy/oauth2-proxy-secrets[cookieSecret]": ["oauth2-proxy"],
    "monitoring/grafana-oidc[clientSecret]": ["dex", "grafana"],
    "monitoring/grafana-datasource-litellm[password]": ["grafana"],
    "litellm/litellm-secrets[master]": [],
    "litellm/litellm-secrets[salt]": [],
    "litellm/litellm-secrets[vllm]": ["vllm"],
    "litellm/litellm-secrets[genericClientSecret]": ["dex"],
    "litellm/litellm-pg-app[password]": [],
    "litellm/litellm-grafana-ro[password]": ["grafana"],
    "serving/vllm-api-key[api-key]": ["vllm"],
    "experience/key-portal[LITELLM_MASTER_KEY]": [],
    "experience/open-webui-oidc[clientSecret]": ["dex", "open-webui"],
    "n8n/n8n-core-secrets[N8N_ENCRYPTION_KEY]": ["n8n"],
    "external-dns/cloudflare-api-token[api-token]": ["cloudflare"],
    "cert-manager/cloudflare-api-token[api-token]": ["cloudflare"],
    "agentgateway-system/anthropic-api-key[Authorization]": ["anthropic"],
    "kserve/hf-token[token]": ["huggingface"],
};

/** A Secret key or env var the program adds beyond the guides' tables, and why a consumer needs it. */
export interface Addition<Row> {
    readonly row: Row;
    readonly features: readonly string[];
    readonly why: string;
}

const LITELLM_ENV = "LiteLLM on the cluster reads it as an env var, from a Secret the chart loads whole (environmentSecrets)";

/** Kubernetes Secret keys beyond the platform guide's table, each needed by a workload. */
export const SECRET_ADDITIONS: readonly Addition<SecretKeyRow>[] = [
    {
        row: { namespace: "litellm", secret: "litellm-pg-app", key: "username", backendKey: "litellm-db-username" },
        features: [],
        why:
            "the LiteLLM chart reads DATABASE_USERNAME from the password's Secret (db.secret.usernameKey), " +
            "and the user alternates with each rotation",
    },
    {
        row: { namespace: "litellm", secret: "litellm-ui", key: "UI_USERNAME", backendKey: "ui-username" },
        features: [],
        why: `LiteLLM's admin UI login (the Cloud Run guide's UI_USERNAME); ${LITELLM_ENV}`,
    },
    {
        row: { namespace: "litellm", secret: "litellm-ui", key: "UI_PASSWORD", backendKey: "ui-password" },
        features: [],
        why: `LiteLLM's admin UI login (the Cloud Run guide's UI_PASSWORD); ${LITELLM_ENV}`,
    },
    {
        row: { namespace: "litellm", secret: "openai-api-key", key: "OPENAI_API_KEY", backendKey: "openai-api-key" },
        features: ["openai"],
        why: `the provider-keys guide's OPENAI_API_KEY (shared/seeds/000); ${LITELLM_ENV}`,
    },
    {
        row: { namespace: "litellm", secret: "anthropic-api-key", key: "ANTHROPIC_API_KEY", backendKey: "anthropic-api-key" },
        features: ["anthropic"],
        why: `the provider-keys guide's ANTHROPIC_API_KEY (shared/seeds/000); ${LITELLM_ENV}`,
    },
    {
        row: { namespace: "litellm", secret: "langfuse-keys", key: "LANGFUSE_PUBLIC_KEY", backendKey: "langfuse-public-key" },
        features: ["langfuse"],
        why: `LiteLLM's Langfuse callback (the Cloud Run guide's LANGFUSE_PUBLIC_KEY); ${LITELLM_ENV}`,
    },
    {
        row: { namespace: "litellm", secret: "langfuse-keys", key: "LANGFUSE_SECRET_KEY", backendKey: "langfuse-secret-key" },
        features: ["langfuse"],
        why: `LiteLLM's Langfuse callback (the Cloud Run guide's LANGFUSE_SECRET_KEY); ${LITELLM_ENV}`,
    },
];

/** The LLMTrace guide's Secret: the keys it must hold (llmtrace-secret.yaml), each with its backend key. */
export const LLMTRACE_SECRET = { namespace: "llmtrace", secret: "llmtrace-secrets" } as const;
export function llmtraceRows(): SecretKeyRow[] {
    const keys: string[] = readSeed("llmtrace-secret.yaml").keys;
    // Which backend key each URL carries (the password inside it), kept by hand.
    const backendKeys: Record<string, string> = {
        LLMTRACE_CLICKHOUSE_URL: "llmtrace-clickhouse-password",
        LLMTRACE_CLICKHOUSE_DATABASE: "llmtrace-clickhouse-database",
        LLMTRACE_POSTGRES_URL: "llmtrace-postgres-password",
        LLMTRACE_REDIS_URL: "llmtrace-redis-password",
    };
    return keys.map((key) => {
        if (backendKeys[key] === undefined) {
            throw new Error(`llmtrace-secret.yaml names ${key}: add its backend key to the expectations`);
        }
        return { ...LLMTRACE_SECRET, key, backendKey: backendKeys[key] };
    });
}
export const LLMTRACE_FEATURES = ["llmtrace"] as const;
/** The chart values the LLMTrace guide gives with an existing Secret (llmtrace-secret.yaml `helm`). */
export const llmtraceHelm = (): Record<string, unknown> => readSeed("llmtrace-secret.yaml").helm;

/** One env var of the Cloud Run service and its backend key. */
export interface EnvRow {
    readonly env: string;
    readonly backendKey: string;
}

/** The Cloud Run guide's `--set-secrets` (cloud-run-env.yaml). */
export function cloudRunSecretRows(): EnvRow[] {
    return Object.entries<string>(readSeed("cloud-run-env.yaml").secrets).map(([env, backendKey]) => ({ env, backendKey }));
}
/** The Cloud Run guide's `--set-env-vars` (plain values). */
export const cloudRunPlain = (): Record<string, string> => readSeed("cloud-run-env.yaml").plain;

/** The guide's "optional observability and tool keys", by feature; the rest are always set. */
export const CLOUD_RUN_FEATURES: Readonly<Record<string, readonly string[]>> = {
    DATABASE_URL: [],
    LITELLM_MASTER_KEY: [],
    LITELLM_SALT_KEY: [],
    UI_USERNAME: [],
    UI_PASSWORD: [],
    REDIS_HOST: [],
    REDIS_PASSWORD: [],
    LANGFUSE_SECRET_KEY: ["langfuse"],
    LANGFUSE_PUBLIC_KEY: ["langfuse"],
    CONTEXT7_API_KEY: ["context7"],
    TAVILY_API_KEY: ["tavily"],
};

/** Plain Cloud Run env vars beyond the guide's, and why (set only with Memorystore's TLS). */
export const CLOUD_RUN_PLAIN_ADDITIONS: Readonly<Record<string, string>> = {
    REDIS_SSL: "LiteLLM speaks TLS to Memorystore with in-transit encryption on",
    REDIS_SSL_CA_DATA: "Memorystore's CA (public data), so LiteLLM can check the server",
};

/** Cloud Run secret env vars beyond the guide's deploy command. */
export const CLOUD_RUN_ADDITIONS: readonly Addition<EnvRow>[] = [
    {
        row: { env: "VLLM_API_KEY", backendKey: "vllm-api-key" },
        features: ["vllm"],
        why: "LiteLLM's model list calls vLLM with os.environ/VLLM_API_KEY (vLLM requires the key)",
    },
    {
        row: { env: "GENERIC_CLIENT_SECRET", backendKey: "dex-litellm-client-secret" },
        features: ["dex"],
        why: "LiteLLM's SSO through Dex reads GENERIC_CLIENT_SECRET (docs.litellm.ai, admin UI SSO)",
    },
    {
        row: { env: "OPENAI_API_KEY", backendKey: "openai-api-key" },
        features: ["openai"],
        why: "LiteLLM routes OpenAI models with OPENAI_API_KEY (shared/seeds/000)",
    },
    {
        row: { env: "ANTHROPIC_API_KEY", backendKey: "anthropic-api-key" },
        features: ["anthropic"],
        why: "LiteLLM routes Claude models with ANTHROPIC_API_KEY (shared/seeds/000)",
    },
];

/** Secret config values for every provided secret, so every feature can be on. */
export const PROVIDED_CONFIG = [
    "openaiApiKey",
    "anthropicApiKey",
    "langfusePublicKey",
    "langfuseSecretKey",
    "context7ApiKey",
    "tavilyApiKey",
    "cloudflareApiToken",
    "hfToken",
] as const;

/**
 * How each backend names a backend key in an ExternalSecret's remoteRef, on the dev stack with
 * the backends' test config (docs/backends.md): Secret Manager ids are `<secretPrefix>-<key>`,
 * AWS names `<awsSecretPath>/<key>`, Vault paths `<vaultPath>/<key>`, and the Kubernetes source
 * Secrets are named after the key; all but Secret Manager hold the value under `value`.
 */
export const BACKEND_NAMING: Readonly<Record<string, { readonly prefix: string; readonly property?: string }>> = {
    "gcp-secret-manager": { prefix: "llm-dev-" },
    "aws-secrets-manager": { prefix: "app/dev/llm/", property: "value" },
    vault: { prefix: "dev/", property: "value" },
    kubernetes: { prefix: "", property: "value" },
};

/** Stakater Reloader's Secret-side opt-in (its README, "Targeted Reload"). */
export const RELOADER_ANNOTATION = { "reloader.stakater.com/match": "true" } as const;
/** Argo CD reads Secrets labelled so (argo-cd docs/operator-manual/user-management/index.md). */
export const ARGOCD_LABEL = { "app.kubernetes.io/part-of": "argocd" } as const;

/** The transitional feature that keeps the previous release's names (docs/kubernetes.md). */
export const LEGACY_FEATURE = "legacy-secret-names";

/**
 * The Kubernetes Secret keys the previous release produced under names the guide does not use
 * (git history of components/contract/contract.ts before the guide's names), kept only with
 * LEGACY_FEATURE, each with the features it needed. litellm/litellm-env is not among them: only
 * the LiteLLM release this program installs read it.
 */
const legacy = (namespace: string, secret: string, key: string, backendKey: string, features: readonly string[]) => ({
    row: { namespace, secret, key, backendKey },
    features,
});
export const LEGACY_ROWS: readonly { row: SecretKeyRow; features: readonly string[] }[] = [
    legacy("vllm", "vllm-api-key", "VLLM_API_KEY", "vllm-api-key", ["vllm"]),
    legacy("vllm", "hf-token", "HF_TOKEN", "hf-token", ["huggingface", "vllm"]),
    legacy("monitoring", "grafana-litellm-datasource", "password", "litellm-grafana-ro-password", ["grafana"]),
    legacy("monitoring", "grafana-oidc", "client-secret", "dex-grafana-client-secret", ["dex", "grafana"]),
    legacy("oauth2-proxy", "oauth2-proxy-secrets", "cookie-secret", "oauth2-proxy-cookie-secret", ["oauth2-proxy"]),
    legacy("oauth2-proxy", "oauth2-proxy-secrets", "client-secret", "dex-oauth2-proxy-client-secret", ["dex", "oauth2-proxy"]),
    legacy("dex", "dex-secrets", "admin-password-hash", "dex-admin-hash", ["dex"]),
    legacy("dex", "dex-secrets", "argocd-client-secret", "dex-argocd-client-secret", ["dex", "argocd"]),
    legacy("dex", "dex-secrets", "oauth2-proxy-client-secret", "dex-oauth2-proxy-client-secret", ["dex", "oauth2-proxy"]),
    legacy("dex", "dex-secrets", "litellm-client-secret", "dex-litellm-client-secret", ["dex"]),
    legacy("dex", "dex-secrets", "grafana-client-secret", "dex-grafana-client-secret", ["dex", "grafana"]),
    legacy("dex", "dex-secrets", "open-webui-client-secret", "dex-open-webui-client-secret", ["dex", "open-webui"]),
    legacy("dex", "dex-secrets", "tabby-client-secret", "dex-tabby-client-secret", ["dex", "tabby"]),
    legacy("argocd", "argocd-dex-oidc", "clientSecret", "dex-argocd-client-secret", ["dex", "argocd"]),
    legacy("open-webui", "open-webui-oidc", "OAUTH_CLIENT_SECRET", "dex-open-webui-client-secret", ["dex", "open-webui"]),
    legacy("tabby", "tabby-oidc", "client-secret", "dex-tabby-client-secret", ["dex", "tabby"]),
];

/** Backend keys the platform guide's seed step writes (../shared/seeds/004_*.txt, "The secrets"), every one of them auto-generated there. */
export const GUIDE_SEEDED_KEYS = [
    "litellm-master-key",
    "litellm-salt-key",
    "vllm-api-key",
    "litellm-db-password",
    "litellm-grafana-ro-password",
    "n8n-encryption-key",
    "oauth2-proxy-cookie-secret",
    "dex-admin-password",
    "dex-admin-hash",
    "dex-argocd-client-secret",
    "dex-oauth2-proxy-client-secret",
    "dex-litellm-client-secret",
    "dex-grafana-client-secret",
    "dex-open-webui-client-secret",
    "dex-tabby-client-secret",
];
