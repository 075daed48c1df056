import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { formatProblem, parseConfig, parseEndpointUrl, urlWithPassword } from "../../components/config";
import { SECRET_CONTRACT, activeSecrets, contractProblems } from "../../components/contract";
import { FEATURES, Feature, KubernetesSecretConsumer, SecretSpec, Target } from "../../components/contract/types";
import {
    consumerNamespaces,
    isEnvVarName,
    litellmSecretRefs,
    llmtraceExistingSecret,
    projectedSecrets,
    secretVersionsChecksum,
    workloadNamespace,
    workloadSecretKeys,
} from "../../components/k8s";
import { externalSecretContent } from "../../components/platform/k8s";
import { promiseOf } from "../support/evaluate";

const k8s = (
    namespace: string,
    secretName: string,
    key: string,
    workload: string,
    extra: Partial<KubernetesSecretConsumer> = {},
): KubernetesSecretConsumer => ({
    kind: "kubernetesSecret",
    namespace,
    secretName,
    key,
    workload,
    ...extra,
});
const spec = (
    key: string,
    consumers: KubernetesSecretConsumer[],
    source: SecretSpec["source"] = { kind: "generated", length: 16, charset: "alphanumeric" },
): SecretSpec => ({
    key,
    description: key,
    component: "test",
    source,
    requires: [],
    consumers,
    // Values generated here rotate on a schedule: give them a class so the contract holds.
    ...(source.kind === "generated" || source.kind === "randomBytes" ? { rotation: "service-credential" as const } : {}),
});
const onK8s = (contract: SecretSpec[]) => activeSecrets(contract, new Set<Feature>(), new Set<Target>(["kubernetes"]));

describe("endpoint URLs", () => {
    for (const [raw, expected] of [
        [
            "postgres://llmtrace@10.0.0.3:5432/llmtrace",
            { scheme: "postgres", username: "llmtrace", hostname: "10.0.0.3", port: "5432", rest: "/llmtrace" },
        ],
        [
            "postgres://llmtrace@db/llmtrace?sslmode=require",
            { scheme: "postgres", username: "llmtrace", hostname: "db", port: "", rest: "/llmtrace?sslmode=require" },
        ],
        ["redis://10.0.0.4:6379/0", { scheme: "redis", username: "", hostname: "10.0.0.4", port: "6379", rest: "/0" }],
        ["http://llmtrace@clickhouse:8123", { scheme: "http", username: "llmtrace", hostname: "clickhouse", port: "8123", rest: "" }],
        ["https://ch.example.com/", { scheme: "https", username: "", hostname: "ch.example.com", port: "", rest: "/" }],
    ] as const) {
        it(`parses ${raw}`, () => {
            assert.deepStrictEqual(parseEndpointUrl(raw), expected);
        });
    }

    for (const [raw, reason] of [
        ["postgres://llmtrace:hunter2@db/llmtrace", /holds a password/],
        ["redis://:hunter2@10.0.0.4:6379", /holds a password/],
        ["10.0.0.3:5432", /scheme and a host|not a URL/],
        ["postgres:///llmtrace", /scheme and a host/],
        ["http://ch:8123/{{ .x }}", /braces/],
        ["http://ch:8123/#frag", /fragment/],
        ["not a url", /spaces|not a URL/],
    ] as const) {
        it(`refuses ${raw}`, () => {
            const parsed = parseEndpointUrl(raw);
            assert.ok("error" in parsed, JSON.stringify(parsed));
            assert.match(parsed.error, reason);
        });
    }

    it("puts the password back in, with the user and an optional other host, and a URL parser reads it back", () => {
        const pg = parseEndpointUrl("postgres://llmtrace@10.0.0.3:5432/llmtrace?sslmode=require");
        const redis = parseEndpointUrl("redis://10.0.0.4:6379/0");
        assert.ok(!("error" in pg) && !("error" in redis));
        assert.strictEqual(urlWithPassword(pg, "PW"), "postgres://llmtrace:PW@10.0.0.3:5432/llmtrace?sslmode=require");
        assert.strictEqual(urlWithPassword(pg, "PW", "10.9.9.9"), "postgres://llmtrace:PW@10.9.9.9:5432/llmtrace?sslmode=require");
        assert.strictEqual(urlWithPassword(redis, "PW"), "redis://:PW@10.0.0.4:6379/0");
        const back = new URL(urlWithPassword(redis, "Abc123xyz"));
        assert.strictEqual(back.password, "Abc123xyz");
        assert.strictEqual(back.username, "");
    });
});

describe("Kubernetes projection of the contract", () => {
    const contract = [
        spec("a", [k8s("ns1", "s1", "A", "w1"), k8s("ns2", "s2", "a", "w2")]),
        spec("b", [k8s("ns1", "s1", "B", "w1"), k8s("ns1", "s0", "b", "w1")]),
        spec("c", [k8s("ns2", "s2", "c", "w3")]),
    ];

    it("groups keys into Secrets by namespace and name, in contract order, with their readers", () => {
        assert.deepStrictEqual(projectedSecrets(onK8s(contract)), [
            { namespace: "ns1", secretName: "s0", workloads: ["w1"], keys: [{ key: "b", specKey: "b" }] },
            {
                namespace: "ns1",
                secretName: "s1",
                workloads: ["w1"],
                keys: [
                    { key: "A", specKey: "a" },
                    { key: "B", specKey: "b" },
                ],
            },
            {
                namespace: "ns2",
                secretName: "s2",
                workloads: ["w2", "w3"],
                keys: [
                    { key: "a", specKey: "a" },
                    { key: "c", specKey: "c" },
                ],
            },
        ]);
        assert.deepStrictEqual(consumerNamespaces(onK8s(contract)), ["ns1", "ns2"]);
        assert.deepStrictEqual(
            [...workloadSecretKeys(onK8s(contract))],
            [
                ["w1", ["a", "b"]],
                ["w2", ["a"]],
                ["w3", ["c"]],
            ],
        );
    });

    it("drops consumers whose target is off and refuses a workload split over namespaces", () => {
        assert.deepStrictEqual(projectedSecrets(activeSecrets(contract, new Set(), new Set<Target>(["cloudRun"]))), []);
        const split = projectedSecrets(onK8s([spec("a", [k8s("x", "s", "k", "w"), k8s("y", "s", "k", "w")])]));
        assert.throws(() => workloadNamespace(split, "w"), /several namespaces \(x, y\)/);
        assert.strictEqual(workloadNamespace(split, "nobody"), undefined);
    });

    for (const [key, isEnv] of [
        ["LITELLM_SALT_KEY", true],
        ["_X1", true],
        ["master", false],
        ["api-token", false],
        ["1A", false],
        ["UI_Password", false],
    ] as const) {
        it(`${key} is ${isEnv ? "" : "not "}an env var name`, () => assert.strictEqual(isEnvVarName(key), isEnv));
    }
});

describe("rollout checksum", () => {
    it("depends on every key and version, not on their order", () => {
        const base = secretVersionsChecksum({ a: "1", b: "7" });
        assert.match(base, /^[0-9a-f]{64}$/);
        assert.strictEqual(secretVersionsChecksum({ b: "7", a: "1" }), base);
        assert.notStrictEqual(secretVersionsChecksum({ a: "2", b: "7" }), base);
        assert.notStrictEqual(secretVersionsChecksum({ a: "1", b: "7", c: "1" }), base);
        assert.notStrictEqual(secretVersionsChecksum({ a: "17" }), secretVersionsChecksum({ a: "1", "7": "" }));
    });
});

describe("ExternalSecret content", () => {
    const refs = { a: { key: "p-a", version: "3" }, b: { key: "p-b", version: "9", property: "pw" } };
    const url = parseEndpointUrl("postgres://u@db:5432/x");
    assert.ok(!("error" in url));

    it("copies values as they are when no key is built from them", () => {
        const [secret] = projectedSecrets(onK8s([spec("a", [k8s("n", "s", "A", "w")]), spec("b", [k8s("n", "s", "B", "w")])]));
        assert.deepStrictEqual(externalSecretContent(secret, refs, {}), {
            data: [
                { secretKey: "A", remoteRef: refs.a },
                { secretKey: "B", remoteRef: refs.b },
            ],
        });
    });

    it("templates every key of a Secret holding a URL, variables named after contract keys", async () => {
        const format = { kind: "urlPassword", urlConfigKey: "dbUrl", description: "the db" } as const;
        const [secret] = projectedSecrets(
            onK8s([spec("a", [k8s("n", "s", "URL", "w", { format }), k8s("n", "s", "RAW", "w")]), spec("b", [k8s("n", "s", "B", "w")])]),
        );
        const content = externalSecretContent(secret, refs, { dbUrl: url });
        assert.deepStrictEqual(content.data, [
            { secretKey: "a", remoteRef: refs.a },
            { secretKey: "b", remoteRef: refs.b },
        ]);
        assert.deepStrictEqual(content.template, {
            URL: 'postgres://u:{{ index . "a" }}@db:5432/x',
            RAW: '{{ index . "a" }}',
            B: '{{ index . "b" }}',
        });
        const moved = externalSecretContent(secret, refs, { dbUrl: url }, { dbUrl: pulumi.output("10.1.2.3") });
        assert.strictEqual(await promiseOf(pulumi.output(moved.template!.URL)), 'postgres://u:{{ index . "a" }}@10.1.2.3:5432/x');
        assert.throws(() => externalSecretContent(secret, refs, {}), /n\/s URL: config dbUrl is not set/);
        assert.throws(() => externalSecretContent(secret, { a: refs.a }, { dbUrl: url }), /b is not stored/);
    });
});

describe("chart wiring from the contract", () => {
    it("finds LiteLLM's master key, database Secret and env Secrets in the real contract", () => {
        const secrets = projectedSecrets(activeSecrets(SECRET_CONTRACT, new Set<Feature>(FEATURES), new Set<Target>(["kubernetes"])));
        const { envBySpecKey, ...refs } = litellmSecretRefs(secrets);
        assert.deepStrictEqual(refs, {
            masterKey: { secretName: "litellm-secrets", key: "master" },
            db: { secretName: "litellm-pg-app", usernameKey: "username", passwordKey: "password" },
            // The guide's litellm-secrets keys LiteLLM reads as env vars, one by one (LiteLLM's
            // env names: LITELLM_SALT_KEY, GENERIC_CLIENT_SECRET; VLLM_API_KEY as on Cloud Run).
            environmentSecrets: ["anthropic-api-key", "langfuse-keys", "litellm-ui", "openai-api-key"],
            env: [
                { name: "LITELLM_SALT_KEY", secretName: "litellm-secrets", key: "salt" },
                { name: "VLLM_API_KEY", secretName: "litellm-secrets", key: "vllm" },
                { name: "GENERIC_CLIENT_SECRET", secretName: "litellm-secrets", key: "genericClientSecret" },
            ],
        });
        // The env vars LiteLLM's config refers to (os.environ/...): the names LiteLLM's docs use.
        assert.strictEqual(envBySpecKey["ui-password"], "UI_PASSWORD");
        assert.strictEqual(envBySpecKey["litellm-salt-key"], "LITELLM_SALT_KEY");
        assert.strictEqual(envBySpecKey["litellm-master-key"], undefined, "the chart maps the master key itself");
        // Keys of the guide's litellm-secrets reach the proxy under LiteLLM's names too.
        assert.strictEqual(envBySpecKey["vllm-api-key"], "VLLM_API_KEY");
        assert.strictEqual(envBySpecKey["dex-litellm-client-secret"], "GENERIC_CLIENT_SECRET");
    });

    it("names what LiteLLM lacks", () => {
        const secrets = projectedSecrets(onK8s([spec("litellm-master-key", [k8s("l", "s", "m", "litellm")])]));
        assert.throws(
            () => litellmSecretRefs(secrets),
            /no Kubernetes Secret with litellm-db-username and litellm-db-password \(in one Secret\)/,
        );
    });

    it("gives LLMTrace its one Secret, and refuses one missing a URL or a second Secret", () => {
        const all = projectedSecrets(activeSecrets(SECRET_CONTRACT, new Set<Feature>(["llmtrace"]), new Set<Target>(["kubernetes"])));
        assert.strictEqual(llmtraceExistingSecret(all), "llmtrace-secrets");
        const partial = projectedSecrets(onK8s([spec("x", [k8s("t", "s", "LLMTRACE_REDIS_URL", "llmtrace")])]));
        assert.throws(
            () => llmtraceExistingSecret(partial),
            /lacks LLMTRACE_CLICKHOUSE_URL, LLMTRACE_CLICKHOUSE_DATABASE, LLMTRACE_POSTGRES_URL/,
        );
        const two = projectedSecrets(onK8s([spec("x", [k8s("t", "s", "A", "llmtrace"), k8s("t", "s2", "B", "llmtrace")])]));
        assert.throws(() => llmtraceExistingSecret(two), /exactly one Secret; the contract gives it 2/);
    });
});

describe("contract and config of URL passwords", () => {
    it("refuses embedding in a URL a value that may hold reserved characters", () => {
        const format = { kind: "urlPassword", urlConfigKey: "u", description: "d" } as const;
        const problems = contractProblems([
            spec("pp", [k8s("n", "s", "URL", "w", { format })], { kind: "provided", configKey: "p", issuer: "x" }),
            spec("ok", [k8s("n", "s2", "URL", "w", { format })]),
            spec("b64", [k8s("n", "s3", "URL", "w", { format })], { kind: "randomBytes", bytes: 8, encoding: "base64url" }),
        ]);
        assert.deepStrictEqual(problems, ["pp: Secret n/s key URL embeds it in a URL, so it must be generated from URL-safe characters"]);
    });

    const base = {
        gcpProject: "llm-platform-dev",
        targets: '["kubernetes"]',
        litellmDbEndpoint: "10.0.0.3",
        litellmImage: "europe-west4-docker.pkg.dev/p/r/berriai/litellm-database:main-v1.74.3-stable",
    };
    const problems = (values: Record<string, string>) => parseConfig({ ...base, ...values }, { stack: "dev" }).problems.map(formatProblem);
    const urls = {
        llmtraceChart: "./charts/llmtrace",
        llmtracePostgresUrl: "postgres://llmtrace@db:5432/llmtrace",
        llmtraceRedisUrl: "redis://cache:6379/0",
        llmtraceClickhouseUrl: "http://llmtrace@ch:8123",
    };

    it("needs LiteLLM's database host on Kubernetes", () => {
        const found = parseConfig({ ...base, litellmDbEndpoint: "" }, { stack: "dev" }).problems.map(formatProblem);
        assert.deepStrictEqual(found, [
            "litellmDbEndpoint: LiteLLM on Kubernetes needs the host of its PostgreSQL database. " +
                "Fix: pulumi config set litellmDbEndpoint <host[:port]>, or turn on gcpRuntime (its Cloud SQL on the cluster's VPC)",
        ]);
        assert.deepStrictEqual(parseConfig({ gcpProject: "llm-platform-dev" }, { stack: "dev" }).problems, [], "not on Cloud Run");
    });

    it("needs LLMTrace's chart and URLs only when LLMTrace is installed", () => {
        assert.deepStrictEqual(problems({}), []);
        const missing = problems({ features: '["llmtrace"]' });
        assert.deepStrictEqual(missing.map((p) => p.split(":")[0]).sort(), [
            "llmtraceChart",
            "llmtraceClickhouseUrl",
            "llmtracePostgresUrl",
            "llmtraceRedisUrl",
        ]);
        assert.ok(
            missing.every((p) => p.includes("Fix: pulumi config set ")),
            missing.join("\n"),
        );
        assert.deepStrictEqual(problems({ features: '["llmtrace"]', ...urls }), []);
        // On Cloud Run only, LLMTrace is not installed here: nothing to configure.
        assert.deepStrictEqual(problems({ features: '["llmtrace"]', targets: '["cloudRun"]' }), []);
    });

    it("refuses a password in a URL, and a malformed interval or version", () => {
        const found = problems({
            features: '["llmtrace"]',
            ...urls,
            llmtraceRedisUrl: "redis://:secret@cache:6379",
            esoRefreshInterval: "hourly",
            esoChartVersion: "latest",
        });
        assert.deepStrictEqual(found.map((p) => p.split(":")[0]).sort(), ["esoChartVersion", "esoRefreshInterval", "llmtraceRedisUrl"]);
        assert.ok(
            found.some((p) => /^llmtraceRedisUrl: ".*" holds a password/.test(p)),
            found.join("\n"),
        );
    });

    it("reads the cluster, chart location and URLs into settings", () => {
        const { settings } = parseConfig(
            { ...base, features: '["llmtrace"]', ...urls, llmtraceChart: "https://charts.example.com", kubeContext: "gke_p_z_c" },
            { stack: "dev" },
        );
        assert.strictEqual(settings.kubernetes.context, "gke_p_z_c");
        assert.strictEqual(settings.kubernetes.cluster, undefined);
        assert.deepStrictEqual(settings.kubernetes.llmtrace.chart, {
            kind: "repository",
            repo: "https://charts.example.com",
            chart: "llmtrace",
        });
        assert.strictEqual(settings.kubernetes.urls.llmtraceRedisUrl.hostname, "cache");
        assert.strictEqual(settings.kubernetes.refreshInterval, "1h");
    });
});
