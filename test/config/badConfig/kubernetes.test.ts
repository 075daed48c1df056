/**
 * Bad config in Kubernetes and External Secrets (namespaces, charts, service URLs): each case is
 * refused before any resource is registered, with one problem that names its key and the fix (see
 * ./support.ts).
 */
import { BadConfig, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Malformed names and regions.
    {
        what: "a Kubernetes namespace with an underscore",
        stack: "dev",
        set: { esoNamespace: "external_secrets" },
        key: "esoNamespace",
        says: /a Kubernetes name/,
    },
    // Identities (who runs as what, and where values live).
    {
        what: "ESO running as the namespace's default account",
        stack: "dev",
        set: { esoServiceAccount: "default" },
        key: "esoServiceAccount",
        says: /"default" is the account every pod in external-secrets runs as/,
    },
    {
        what: "ESO in a consumer namespace",
        stack: "dev",
        set: { esoNamespace: "litellm" },
        key: "esoNamespace",
        says: /"litellm" is a namespace workloads read their Secrets in.*Fix: pulumi config rm esoNamespace/,
    },
    // Hostile values.
    {
        what: "a service URL with a port out of range",
        stack: "dev",
        set: { llmtraceRedisUrl: "redis://10.10.0.4:70000/0" },
        key: "llmtraceRedisUrl",
        says: /has port 70000, outside 1 to 65535/,
    },
    {
        what: "a database endpoint with a port out of range",
        stack: "dev",
        set: { gcpRuntime: false, targets: ["kubernetes"], litellmDbEndpoint: "10.10.0.3:99999" },
        key: "litellmDbEndpoint",
        says: /port 99999 is outside 1 to 65535/,
    },
    {
        what: "a password in a URL's query",
        stack: "dev",
        set: { llmtracePostgresUrl: "postgres://llmtrace@10.10.0.3:5432/llmtrace?password=hunter2" },
        key: "llmtracePostgresUrl",
        says: /holds a credential in its query \(password\)/,
    },
    {
        what: "credentials in the chart repository URL",
        stack: "dev",
        set: { llmtraceChart: "https://user:pass@charts.example.com" },
        key: "llmtraceChart",
        says: /holds a password/,
    },
    // LLMTrace's clients are built without Redis and ClickHouse TLS (epappas/llmtrace
    // crates/llmtrace-storage/Cargo.toml: redis features tokio-comp, connection-manager;
    // clickhouse features uuid, chrono), so those schemes cannot connect.
    {
        what: "an LLMTrace Redis URL over TLS",
        stack: "prod",
        set: { llmtraceRedisUrl: "rediss://10.20.0.4:6378/0" },
        key: "llmtraceRedisUrl",
        says: /scheme rediss:\/\/ is not supported: .*only redis:\/\//,
    },
    {
        what: "an LLMTrace ClickHouse URL over https",
        stack: "dev",
        set: { llmtraceClickhouseUrl: "https://llmtrace@ch:8443" },
        key: "llmtraceClickhouseUrl",
        says: /scheme https:\/\/ is not supported: .*only http:\/\//,
    },
    {
        what: "an LLMTrace PostgreSQL URL with a MySQL scheme",
        stack: "dev",
        set: { llmtracePostgresUrl: "mysql://llmtrace@10.0.0.3/llmtrace" },
        key: "llmtracePostgresUrl",
        says: /scheme mysql:\/\/ is not supported/,
    },
];

refusesEach("Kubernetes and External Secrets (namespaces, charts, service URLs)", CASES);
