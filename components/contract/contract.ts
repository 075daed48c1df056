import {
    CloudRunEnvConsumer,
    Derivation,
    DerivedSource,
    Feature,
    GeneratedSource,
    KubernetesSecretConsumer,
    MergedSecret,
    ProvidedSource,
    SecretSpec,
    UrlPasswordFormat,
} from "./types";
import { LEGACY_CONSUMERS } from "./legacy";

// Small constructors keep each row of the table on a few lines.
const alphanumeric = (length: number, prefix?: string): GeneratedSource => ({
    kind: "generated",
    length,
    charset: "alphanumeric",
    ...(prefix === undefined ? {} : { prefix }),
});
const provided = (configKey: string, issuer: string): ProvidedSource => ({
    kind: "provided",
    configKey,
    issuer,
});
const derived = (from: Derivation, description: string, follows?: readonly string[]): DerivedSource => ({
    kind: "derived",
    from,
    description,
    ...(follows === undefined ? {} : { follows }),
});
const litellmEnv = (env: string): CloudRunEnvConsumer => ({ kind: "cloudRunEnv", service: "litellm", env });
/** Optional parts of a Kubernetes consumer (see KubernetesSecretConsumer). */
interface K8sOptions {
    readonly requires?: readonly Feature[];
    readonly env?: string;
    readonly mergeInto?: MergedSecret;
}
const k8s = (namespace: string, secretName: string, key: string, workload: string, options: K8sOptions = {}): KubernetesSecretConsumer => ({
    kind: "kubernetesSecret",
    namespace,
    secretName,
    key,
    workload,
    ...options,
});

/** A key whose value is the URL in config `urlConfigKey` with the secret as its password. */
const k8sUrl = (
    namespace: string,
    secretName: string,
    key: string,
    workload: string,
    urlConfigKey: string,
    description: string,
): KubernetesSecretConsumer => {
    const format: UrlPasswordFormat = { kind: "urlPassword", urlConfigKey, description };
    return { ...k8s(namespace, secretName, key, workload), format };
};

/**
 * Why a password of a store this program does not run has no schedule: it would change here and
 * not where it is checked.
 */
const CHECKED_ELSEWHERE =
    "the store that checks it runs outside this program, which cannot change it there: " +
    "set the new value (read it from the backend) on the store in the same window";

/**
 * Argo CD's own Secret: Argo CD's install creates it (server.secretkey, the admin password) with
 * the label `app.kubernetes.io/part-of: argocd`, which its docs require on Secrets it reads
 * settings from (argo-cd docs/operator-manual/user-management/index.md: the argocd-secret example,
 * and "it *must* have the label"); its settings manager reloads only when an object so labelled
 * changes (util/settings/settings.go, settingsNotificationEventHandler), so a rotation needs it.
 */
const ARGOCD_SECRET: MergedSecret = {
    labels: { "app.kubernetes.io/part-of": "argocd" },
};

/**
 * A Dex OIDC client secret: read by Dex, from `dex/dex-secrets` under the env var its client's
 * `secretEnv` names (the platform guide's "Secret contract"), and by the client it identifies.
 */
const dexClientSecret = (
    client: string,
    dexEnv: string,
    clientFeature: Feature | undefined,
    clientConsumers: readonly SecretSpec["consumers"][number][],
): SecretSpec => ({
    key: `dex-${client}-client-secret`,
    description: `OIDC client secret shared by Dex and ${client}.`,
    component: "dex",
    source: alphanumeric(32),
    requires: clientFeature === undefined ? ["dex"] : ["dex", clientFeature],
    rotation: "service-credential",
    consumers: [k8s("dex", "dex-secrets", dexEnv, "dex"), ...clientConsumers],
});

/**
 * The secret contract: every secret of the platform, once. Add a secret by adding a row; the
 * backend secret, its grants, its Cloud Run binding, its ExternalSecret and its docs follow.
 * The previous release's names join their rows behind feature legacy-secret-names (legacy.ts).
 */
export const SECRET_CONTRACT: readonly SecretSpec[] = withLegacyConsumers([
    {
        key: "litellm-master-key",
        description: "Admin key of the LiteLLM proxy; LiteLLM requires the sk- prefix.",
        component: "litellm",
        source: alphanumeric(48, "sk-"),
        requires: [],
        consumers: [
            litellmEnv("LITELLM_MASTER_KEY"),
            // The chart reads it as PROXY_MASTER_KEY itself (masterkeySecretName/Key).
            k8s("litellm", "litellm-secrets", "master", "litellm"),
            k8s("experience", "key-portal", "LITELLM_MASTER_KEY", "key-portal"),
        ],
        rotation: "llm-api-key",
        heldBy: "LiteLLM admins and every client that calls the proxy with the master key",
    },
    {
        key: "litellm-salt-key",
        description: "Encrypts provider credentials LiteLLM stores in its database.",
        component: "litellm",
        source: alphanumeric(48, "sk-"),
        requires: [],
        consumers: [
            litellmEnv("LITELLM_SALT_KEY"),
            // litellm-secrets keeps the guide's key names; the proxy reads LITELLM_SALT_KEY, which
            // the release maps from the key (the chart's extraEnvVars), so no second Secret.
            k8s("litellm", "litellm-secrets", "salt", "litellm", { env: "LITELLM_SALT_KEY" }),
        ],
        neverRotate:
            "LiteLLM encrypts stored credentials with it: a new salt key orphans every encrypted row. " +
            "Rotate only with a planned re-encryption.",
    },
    {
        key: "vllm-api-key",
        description: "API key vLLM requires from its clients (LiteLLM).",
        component: "vllm",
        source: alphanumeric(40),
        requires: ["vllm"],
        consumers: [
            litellmEnv("VLLM_API_KEY"),
            // LiteLLM's model list names it as os.environ/VLLM_API_KEY, as on Cloud Run.
            k8s("litellm", "litellm-secrets", "vllm", "litellm", { env: "VLLM_API_KEY" }),
            k8s("serving", "vllm-api-key", "api-key", "vllm"),
        ],
        rotation: "llm-api-key",
    },
    {
        key: "litellm-db-username",
        description:
            "Database user LiteLLM signs in as: whichever of the two alternating users holds the current password (not secret; stored beside it).",
        component: "litellm",
        source: { kind: "activeUser", of: "litellm-db-password" },
        requires: [],
        // Beyond the guide's table: the chart reads DATABASE_USERNAME from the same Secret as the
        // password (db.secret.usernameKey), and with two alternating users the name changes with
        // each rotation, so it must travel with the password.
        consumers: [k8s("litellm", "litellm-pg-app", "username", "litellm")],
    },
    {
        key: "litellm-db-password",
        description: "Password of LiteLLM's active database user (two users alternate, so a rotation never cuts LiteLLM off).",
        component: "litellm",
        source: alphanumeric(32),
        requires: [],
        consumers: [k8s("litellm", "litellm-pg-app", "password", "litellm")],
        rotation: "database-password",
        alternatingUsers: { configKey: "litellmDbUsername", default: "litellm" },
    },
    {
        key: "database-url",
        description: "PostgreSQL URL LiteLLM connects to its Cloud SQL database with (user and password included).",
        component: "litellm",
        source: derived(
            "cloud-sql-database-url",
            "postgresql://<litellm-db-username>:<litellm-db-password>@localhost:5432/litellm?host=/cloudsql/<connection name>, " +
                "user and password percent-encoded; follows litellm-db-password",
            ["litellm-db-username", "litellm-db-password"],
        ),
        requires: [],
        consumers: [litellmEnv("DATABASE_URL")],
    },
    {
        key: "redis-host",
        description: "Address of LiteLLM's Memorystore Redis in the VPC.",
        component: "litellm",
        source: derived("memorystore-host", "the Memorystore instance's host"),
        requires: [],
        consumers: [litellmEnv("REDIS_HOST")],
    },
    {
        key: "redis-password",
        description: "AUTH string of LiteLLM's Memorystore Redis.",
        component: "litellm",
        source: derived("memorystore-auth-string", "generated by Memorystore when AUTH is enabled"),
        requires: [],
        consumers: [litellmEnv("REDIS_PASSWORD")],
    },
    {
        key: "redis-url",
        description: "URL of LiteLLM's Memorystore Redis, AUTH string included, for clients that take one URL.",
        component: "litellm",
        source: derived(
            "memorystore-url",
            "redis://:<AUTH string>@<host>:<port>, rediss:// with in-transit encryption; the AUTH string percent-encoded",
        ),
        requires: [],
        consumers: [],
    },
    {
        key: "litellm-grafana-ro-password",
        description: "Password of the read-only database user on LiteLLM's database that Grafana charts LiteLLM spend with.",
        component: "grafana",
        source: alphanumeric(32),
        requires: ["grafana"],
        consumers: [
            k8s("monitoring", "grafana-datasource-litellm", "password", "grafana"),
            // Whatever sets the user's password on LiteLLM's database in the cluster (the guide:
            // "the user must exist on LiteLLM's database"); on Cloud SQL this program creates it.
            k8s("litellm", "litellm-grafana-ro", "password", "litellm-database"),
        ],
        rotation: "database-password",
    },
    {
        key: "n8n-encryption-key",
        description: "Encrypts the credentials n8n stores.",
        component: "n8n",
        source: alphanumeric(40),
        requires: ["n8n"],
        consumers: [k8s("n8n", "n8n-core-secrets", "N8N_ENCRYPTION_KEY", "n8n")],
        neverRotate: "n8n encrypts stored credentials with it: a new key makes every saved credential unreadable.",
    },
    {
        key: "oauth2-proxy-cookie-secret",
        description: "AES key oauth2-proxy encrypts session cookies with (32 bytes).",
        component: "oauth2-proxy",
        source: { kind: "randomBytes", bytes: 32, encoding: "base64url" },
        requires: ["oauth2-proxy"],
        consumers: [k8s("oauth2-proxy", "oauth2-proxy-secrets", "cookieSecret", "oauth2-proxy")],
        rotation: "service-credential",
        heldBy: "everyone signed in through oauth2-proxy: their sessions end and they sign in again",
    },
    {
        key: "dex-admin-password",
        description: "Password of Dex's static admin user, for people; only its hash reaches Dex.",
        component: "dex",
        source: alphanumeric(24),
        requires: ["dex"],
        consumers: [],
        rotation: "admin-password",
        heldBy: "the person who signs in as Dex's static admin (reads the new password from the backend)",
    },
    {
        key: "dex-admin-hash",
        description: "bcrypt hash of dex-admin-password, for Dex's staticPasswords.",
        component: "dex",
        source: { kind: "bcrypt", of: "dex-admin-password" },
        requires: ["dex"],
        // Dex reads it with staticPasswords[].hashFromEnv.
        consumers: [k8s("dex", "dex-secrets", "DEX_ADMIN_PASSWORD_HASH", "dex")],
    },
    // Argo CD reads $oidc.dex.clientSecret from argocd-secret (its oidc.config clientSecret).
    dexClientSecret("argocd", "ARGOCD_CLIENT_SECRET", "argocd", [
        k8s("argocd", "argocd-secret", "oidc.dex.clientSecret", "argocd", { mergeInto: ARGOCD_SECRET }),
    ]),
    dexClientSecret("oauth2-proxy", "OAUTH2_PROXY_CLIENT_SECRET", "oauth2-proxy", [
        k8s("oauth2-proxy", "oauth2-proxy-secrets", "clientSecret", "oauth2-proxy"),
    ]),
    // LiteLLM's SSO reads GENERIC_CLIENT_SECRET (docs.litellm.ai, proxy/admin_ui_sso).
    dexClientSecret("litellm", "LITELLM_CLIENT_SECRET", undefined, [
        litellmEnv("GENERIC_CLIENT_SECRET"),
        k8s("litellm", "litellm-secrets", "genericClientSecret", "litellm", { env: "GENERIC_CLIENT_SECRET" }),
    ]),
    dexClientSecret("grafana", "GRAFANA_CLIENT_SECRET", "grafana", [k8s("monitoring", "grafana-oidc", "clientSecret", "grafana")]),
    dexClientSecret("open-webui", "OPENWEBUI_CLIENT_SECRET", "open-webui", [
        k8s("experience", "open-webui-oidc", "clientSecret", "open-webui"),
    ]),
    // The guide's table gives Tabby no Secret of its own: only Dex's copy.
    dexClientSecret("tabby", "TABBY_CLIENT_SECRET", "tabby", []),
    {
        key: "ui-username",
        description: "User name of LiteLLM's admin UI (not secret; stored beside its password).",
        component: "litellm",
        source: { kind: "setting", configKey: "uiUsername", default: "admin" },
        requires: [],
        // Beyond the guide's table: LiteLLM's admin UI signs in with UI_USERNAME / UI_PASSWORD
        // (the Cloud Run guide sets both); without them it would take the master key as password.
        consumers: [litellmEnv("UI_USERNAME"), k8s("litellm", "litellm-ui", "UI_USERNAME", "litellm")],
    },
    {
        key: "ui-password",
        description: "Password of LiteLLM's admin UI.",
        component: "litellm",
        source: alphanumeric(24),
        requires: [],
        consumers: [litellmEnv("UI_PASSWORD"), k8s("litellm", "litellm-ui", "UI_PASSWORD", "litellm")],
        rotation: "admin-password",
        heldBy: "the admins who sign in to LiteLLM's UI (read the new password from the backend)",
    },
    {
        key: "openai-api-key",
        description: "OpenAI API key LiteLLM routes OpenAI models with.",
        component: "litellm",
        source: provided("openaiApiKey", "OpenAI (platform.openai.com, API keys)"),
        requires: ["openai"],
        consumers: [
            litellmEnv("OPENAI_API_KEY"),
            // Beyond the platform guide's table: LiteLLM's provider keys on the cluster, by the
            // env var names the provider-keys guide stores for it (shared/seeds/000, "External
            // Secrets Operator": OPENAI_API_KEY and ANTHROPIC_API_KEY), loaded whole as env.
            k8s("litellm", "openai-api-key", "OPENAI_API_KEY", "litellm"),
        ],
    },
    {
        key: "anthropic-api-key",
        description: "Anthropic API key LiteLLM routes Claude models with.",
        component: "litellm",
        source: provided("anthropicApiKey", "Anthropic (console.anthropic.com, API keys)"),
        requires: ["anthropic"],
        consumers: [
            litellmEnv("ANTHROPIC_API_KEY"),
            k8s("litellm", "anthropic-api-key", "ANTHROPIC_API_KEY", "litellm"),
            // agentgateway reads the backend's key from the Secret's Authorization key and strips
            // an optional "Bearer " (agentgateway controller/pkg/utils/kubeutils/secrets.go,
            // GetSecretDataAuth); the Anthropic provider sends it as its own header: the raw key.
            k8s("agentgateway-system", "anthropic-api-key", "Authorization", "agentgateway"),
        ],
    },
    {
        key: "langfuse-public-key",
        description: "Langfuse project public key for LiteLLM's trace callback.",
        component: "litellm",
        source: provided("langfusePublicKey", "Langfuse (project settings, API keys)"),
        requires: ["langfuse"],
        consumers: [
            litellmEnv("LANGFUSE_PUBLIC_KEY"),
            // Beyond the platform guide's table: LiteLLM's Langfuse callback reads these env vars
            // (docs.litellm.ai, observability/langfuse_integration), as the Cloud Run guide sets.
            k8s("litellm", "langfuse-keys", "LANGFUSE_PUBLIC_KEY", "litellm"),
        ],
    },
    {
        key: "langfuse-secret-key",
        description: "Langfuse project secret key for LiteLLM's trace callback.",
        component: "litellm",
        source: provided("langfuseSecretKey", "Langfuse (project settings, API keys)"),
        requires: ["langfuse"],
        consumers: [litellmEnv("LANGFUSE_SECRET_KEY"), k8s("litellm", "langfuse-keys", "LANGFUSE_SECRET_KEY", "litellm")],
    },
    // The Cloud Run guide's tool keys (shared/seeds/002, Step 1 "Optional Observability Keys" and
    // Step 3 --set-secrets CONTEXT7_API_KEY / TAVILY_API_KEY): Cloud Run only, as the guide has it.
    {
        key: "context7-api-key",
        description: "Context7 API key the Cloud Run guide gives the LiteLLM proxy (CONTEXT7_API_KEY).",
        component: "litellm",
        source: provided("context7ApiKey", "Context7 (context7.com dashboard, API keys)"),
        requires: ["context7"],
        consumers: [litellmEnv("CONTEXT7_API_KEY")],
    },
    {
        key: "tavily-api-key",
        description: "Tavily API key the Cloud Run guide gives the LiteLLM proxy (TAVILY_API_KEY).",
        component: "litellm",
        source: provided("tavilyApiKey", "Tavily (app.tavily.com, API keys)"),
        requires: ["tavily"],
        consumers: [litellmEnv("TAVILY_API_KEY")],
    },
    {
        key: "cloudflare-api-token",
        description: "Cloudflare API token (Zone DNS edit) for DNS-01 certificates and public DNS.",
        component: "cert-manager",
        source: provided("cloudflareApiToken", "Cloudflare (My Profile, API Tokens)"),
        requires: ["cloudflare"],
        consumers: [
            k8s("external-dns", "cloudflare-api-token", "api-token", "external-dns"),
            k8s("cert-manager", "cloudflare-api-token", "api-token", "cert-manager"),
        ],
    },
    {
        key: "hf-token",
        description: "Hugging Face token KServe downloads gated model weights with.",
        component: "kserve",
        source: provided("hfToken", "Hugging Face (Settings, Access Tokens)"),
        requires: ["huggingface"],
        consumers: [k8s("kserve", "hf-token", "token", "kserve")],
    },
    // LLMTrace reads its three stores from one Secret of URLs (LLMTRACE_*). The chart's bundled
    // Bitnami databases stay off (see components/k8s/llmtraceValues.ts): the URLs point at
    // databases provisioned outside the chart, whose users get these passwords.
    {
        key: "llmtrace-postgres-password",
        description: "Password of LLMTrace's PostgreSQL user (tenants, configs, audit events).",
        component: "llmtrace",
        source: alphanumeric(32),
        requires: ["llmtrace"],
        consumers: [
            k8sUrl(
                "llmtrace",
                "llmtrace-secrets",
                "LLMTRACE_POSTGRES_URL",
                "llmtrace",
                "llmtracePostgresUrl",
                "LLMTrace's PostgreSQL database",
            ),
        ],
        manualRotation: CHECKED_ELSEWHERE,
    },
    {
        key: "llmtrace-redis-password",
        description: "AUTH password of the Redis LLMTrace caches in; Redis runs with auth on.",
        component: "llmtrace",
        source: alphanumeric(32),
        requires: ["llmtrace"],
        consumers: [k8sUrl("llmtrace", "llmtrace-secrets", "LLMTRACE_REDIS_URL", "llmtrace", "llmtraceRedisUrl", "LLMTrace's Redis")],
        manualRotation: CHECKED_ELSEWHERE,
    },
    {
        key: "llmtrace-clickhouse-password",
        description: "Password of LLMTrace's ClickHouse user (trace and span storage).",
        component: "llmtrace",
        source: alphanumeric(32),
        requires: ["llmtrace"],
        consumers: [
            k8sUrl(
                "llmtrace",
                "llmtrace-secrets",
                "LLMTRACE_CLICKHOUSE_URL",
                "llmtrace",
                "llmtraceClickhouseUrl",
                "LLMTrace's ClickHouse HTTP endpoint",
            ),
        ],
        manualRotation: CHECKED_ELSEWHERE,
    },
    {
        key: "llmtrace-clickhouse-database",
        description: "ClickHouse database LLMTrace writes traces to (not secret; stored beside the URLs).",
        component: "llmtrace",
        source: { kind: "setting", configKey: "llmtraceClickhouseDatabase", default: "llmtrace" },
        requires: ["llmtrace"],
        consumers: [k8s("llmtrace", "llmtrace-secrets", "LLMTRACE_CLICKHOUSE_DATABASE", "llmtrace")],
    },
]);

function withLegacyConsumers(rows: readonly SecretSpec[]): readonly SecretSpec[] {
    return rows.map((row) => ({ ...row, consumers: [...row.consumers, ...(LEGACY_CONSUMERS[row.key] ?? [])] }));
}
