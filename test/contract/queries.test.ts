/**
 * The contract's named queries (components/contract/queries.ts), each asked of a small table
 * written here by hand, with the answers worked out by hand from it (not from SECRET_CONTRACT).
 */
import * as assert from "assert";

import {
    ActiveSecret,
    Consumer,
    KubernetesSecretConsumer,
    SecretSpec,
    activeUrlConfigKeys,
    byDerivation,
    cloudRunEnvOf,
    cloudRunEnvReads,
    consumerFeatures,
    consumerWorkloads,
    everyConsumer,
    hashesOf,
    isDerived,
    keysByReader,
    kubernetesConsumers,
    kubernetesSecretNamespaces,
    providedRows,
    readsOnKubernetes,
    urlPasswordReads,
} from "../../components/contract";

const run = (service: string, env: string): Consumer => ({ kind: "cloudRunEnv", service, env });
const k8s = (namespace: string, secretName: string, key: string, workload: string): KubernetesSecretConsumer => ({
    kind: "kubernetesSecret",
    namespace,
    secretName,
    key,
    workload,
});
const row = (key: string, source: SecretSpec["source"], consumers: Consumer[]): SecretSpec => ({
    key,
    description: key,
    component: "test",
    source,
    requires: [],
    consumers,
});
const gen = { kind: "generated", length: 16, charset: "alphanumeric" } as const;
const url = { kind: "urlPassword", urlConfigKey: "shopDbUrl", description: "the shop's database" } as const;

/**
 * Hand-written table: a web app on Cloud Run and in namespace `web`, a worker in `jobs`, an admin
 * password with two hashes, a derived URL, and a password read inside a URL by the shop.
 */
const TABLE: readonly SecretSpec[] = [
    row("api-key", gen, [
        run("web", "API_KEY"),
        k8s("web", "web-secrets", "apiKey", "web"),
        // A second Secret in the same namespace: the namespace still reads the key once.
        k8s("web", "web-env", "API_KEY", "web"),
        k8s("jobs", "worker", "API_KEY", "worker"),
    ]),
    row("admin-password", gen, []),
    row("admin-hash", { kind: "bcrypt", of: "admin-password" }, [k8s("web", "web-secrets", "adminHash", "web")]),
    row("admin-hash-old", { kind: "bcrypt", of: "admin-password" }, [{ ...k8s("auth", "auth-env", "HASH", "auth"), requires: ["dex"] }]),
    row("db-url", { kind: "derived", from: "cloud-sql-database-url", description: "the URL" }, [run("web", "DATABASE_URL")]),
    row("shop-db-password", gen, [{ ...k8s("shop", "shop-env", "DB_URL", "shop"), format: url }]),
    row("vendor-token", { kind: "provided", configKey: "vendorToken", issuer: "the vendor" }, []),
];
/** Everything active with every consumer. */
const ALL: readonly ActiveSecret[] = TABLE.map((spec) => ({ spec, consumers: spec.consumers }));
/** A stack without the cluster: only the Cloud Run consumers. */
const CLOUD_RUN_ONLY: readonly ActiveSecret[] = TABLE.map((spec) => ({
    spec,
    consumers: spec.consumers.filter((c) => c.kind === "cloudRunEnv"),
}));

describe("contract queries", () => {
    it("kubernetesSecretNamespaces: every namespace a row puts a Secret in", () => {
        assert.deepStrictEqual([...kubernetesSecretNamespaces(TABLE)].sort(), ["auth", "jobs", "shop", "web"]);
    });

    it("consumerWorkloads: Kubernetes workloads and Cloud Run services alike", () => {
        assert.deepStrictEqual([...consumerWorkloads(TABLE)].sort(), ["auth", "shop", "web", "worker"]);
    });

    it("hashesOf: the bcrypt rows of a key, in table order; none for a key nothing hashes", () => {
        assert.deepStrictEqual(hashesOf(TABLE, "admin-password"), ["admin-hash", "admin-hash-old"]);
        assert.deepStrictEqual(hashesOf(TABLE, "api-key"), []);
    });

    it("readsOnKubernetes: only through a Kubernetes Secret of an active consumer", () => {
        assert.strictEqual(readsOnKubernetes(ALL, "worker"), true);
        assert.strictEqual(readsOnKubernetes(ALL, "nobody"), false);
        // web reads on Cloud Run still, but no longer on the cluster.
        assert.strictEqual(readsOnKubernetes(CLOUD_RUN_ONLY, "web"), false);
    });

    it("cloudRunEnvReads / cloudRunEnvOf: a service's env vars, by key", () => {
        assert.deepStrictEqual(
            cloudRunEnvReads(ALL, "web").map((r) => [r.spec.key, r.env]),
            [
                ["api-key", "API_KEY"],
                ["db-url", "DATABASE_URL"],
            ],
        );
        assert.strictEqual(cloudRunEnvOf(ALL, "db-url", "web"), "DATABASE_URL");
        assert.strictEqual(cloudRunEnvOf(ALL, "admin-hash", "web"), undefined, "web reads it on the cluster only");
        assert.strictEqual(cloudRunEnvOf(ALL, "api-key", "worker"), undefined, "worker is no Cloud Run service");
    });

    it("isDerived / byDerivation: derived rows apart, each side in table order", () => {
        assert.strictEqual(isDerived(TABLE[4]), true);
        assert.strictEqual(isDerived(TABLE[2]), false);
        const { direct, derived } = byDerivation(TABLE);
        assert.deepStrictEqual(
            direct.map((s) => s.key),
            ["api-key", "admin-password", "admin-hash", "admin-hash-old", "shop-db-password", "vendor-token"],
        );
        assert.deepStrictEqual(
            derived.map((s) => s.key),
            ["db-url"],
        );
    });

    it("keysByReader: each reader's keys once, in table order", () => {
        const byNamespace = keysByReader(ALL, (c) => (c.kind === "cloudRunEnv" ? `run:${c.service}` : c.namespace));
        assert.deepStrictEqual(Object.fromEntries(byNamespace), {
            "run:web": ["api-key", "db-url"],
            web: ["api-key", "admin-hash"],
            jobs: ["api-key"],
            auth: ["admin-hash-old"],
            shop: ["shop-db-password"],
        });
    });

    it("urlPasswordReads / activeUrlConfigKeys: passwords read inside a URL", () => {
        assert.deepStrictEqual(
            urlPasswordReads(TABLE).map((r) => [r.spec.key, r.format.urlConfigKey]),
            [["shop-db-password", "shopDbUrl"]],
        );
        assert.deepStrictEqual([...activeUrlConfigKeys(ALL)], ["shopDbUrl"]);
        assert.deepStrictEqual([...activeUrlConfigKeys(CLOUD_RUN_ONLY)], []);
    });

    it("kubernetesConsumers: the Kubernetes Secret readers of a row, not its Cloud Run env vars", () => {
        assert.deepStrictEqual(
            kubernetesConsumers(TABLE[0].consumers).map((c) => `${c.namespace}/${c.secretName}[${c.key}]`),
            ["web/web-secrets[apiKey]", "web/web-env[API_KEY]", "jobs/worker[API_KEY]"],
        );
    });

    it("consumerFeatures: the row's features, plus a Kubernetes consumer's own", () => {
        const dexRow = { ...TABLE[3], requires: ["grafana" as const] };
        assert.deepStrictEqual(consumerFeatures(dexRow, dexRow.consumers[0]), ["grafana", "dex"]);
        assert.deepStrictEqual(consumerFeatures(TABLE[0], TABLE[0].consumers[0]), []);
    });

    it("everyConsumer: every row, each with all its consumers", () => {
        const all = everyConsumer(TABLE);
        assert.deepStrictEqual(
            all.map((a) => [a.spec.key, a.consumers.length]),
            [
                ["api-key", 4],
                ["admin-password", 0],
                ["admin-hash", 1],
                ["admin-hash-old", 1],
                ["db-url", 1],
                ["shop-db-password", 1],
                ["vendor-token", 0],
            ],
        );
    });

    it("providedRows: the provided rows with their config key, in the order given", () => {
        assert.deepStrictEqual(
            providedRows(TABLE).map((r) => [r.spec.key, r.source.configKey]),
            [["vendor-token", "vendorToken"]],
        );
        assert.deepStrictEqual(providedRows(TABLE.slice(0, 2)), []);
    });
});
