/**
 * LLMTrace's rows. It reads its three stores from one Secret of URLs (LLMTRACE_*). The chart's
 * bundled Bitnami databases stay off (see components/k8s/llmtraceValues.ts): the URLs point at
 * databases provisioned outside the chart, whose users get these passwords.
 */
import { KubernetesSecretConsumer, SecretSpec, UrlPasswordFormat } from "../types";
import { alphanumeric, k8s } from "./build";

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

export const LLMTRACE_ROWS: readonly SecretSpec[] = [
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
];
