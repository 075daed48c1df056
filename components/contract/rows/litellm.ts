/** LiteLLM's rows: the proxy's own keys, its database and Redis, and its admin UI. */
import { SecretSpec } from "../types";
import { alphanumeric, derived, k8s, litellmEnv } from "./build";

/**
 * Keys of LiteLLM's rows that code outside the table refers to (the chart's and Cloud SQL's
 * credentials, the proxy config's model keys and Redis cache): named here once, read from here.
 */
export const LITELLM_KEYS = {
    masterKey: "litellm-master-key",
    vllmApiKey: "vllm-api-key",
    dbUsername: "litellm-db-username",
    dbPassword: "litellm-db-password",
    databaseUrl: "database-url",
    redisHost: "redis-host",
} as const;

/** LiteLLM and the stores it runs on (Cloud SQL, Memorystore). */
export const LITELLM_ROWS: readonly SecretSpec[] = [
    {
        key: LITELLM_KEYS.masterKey,
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
        key: LITELLM_KEYS.vllmApiKey,
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
        key: LITELLM_KEYS.dbUsername,
        description:
            "Database user LiteLLM signs in as: whichever of the two alternating users holds the current password (not secret; stored beside it).",
        component: "litellm",
        source: { kind: "activeUser", of: LITELLM_KEYS.dbPassword },
        requires: [],
        // Beyond the guide's table: the chart reads DATABASE_USERNAME from the same Secret as the
        // password (db.secret.usernameKey), and with two alternating users the name changes with
        // each rotation, so it must travel with the password.
        consumers: [k8s("litellm", "litellm-pg-app", "username", "litellm")],
    },
    {
        key: LITELLM_KEYS.dbPassword,
        description: "Password of LiteLLM's active database user (two users alternate, so a rotation never cuts LiteLLM off).",
        component: "litellm",
        source: alphanumeric(32),
        requires: [],
        consumers: [k8s("litellm", "litellm-pg-app", "password", "litellm")],
        rotation: "database-password",
        alternatingUsers: { configKey: "litellmDbUsername", default: "litellm" },
    },
    {
        key: LITELLM_KEYS.databaseUrl,
        description: "PostgreSQL URL LiteLLM connects to its Cloud SQL database with (user and password included).",
        component: "litellm",
        source: derived(
            "cloud-sql-database-url",
            "postgresql://<litellm-db-username>:<litellm-db-password>@localhost:5432/litellm?host=/cloudsql/<connection name>, " +
                "user and password percent-encoded; follows litellm-db-password",
            [LITELLM_KEYS.dbUsername, LITELLM_KEYS.dbPassword],
        ),
        requires: [],
        consumers: [litellmEnv("DATABASE_URL")],
    },
    {
        key: LITELLM_KEYS.redisHost,
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
];

/** LiteLLM's admin UI sign-in. */
export const LITELLM_UI_ROWS: readonly SecretSpec[] = [
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
];
