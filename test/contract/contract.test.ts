import * as assert from "assert";

import { SECRET_CONTRACT, activeSecrets, contractProblems, providedSecrets } from "../../components/contract";
import { DERIVATIONS, Derivation, FEATURES, Feature, SecretSpec, TARGETS, Target } from "../../components/contract/types";
import { GUIDE_SEEDED_KEYS } from "./seedExpectations";

const ALL_TARGETS = new Set<Target>(TARGETS);
const keysFor = (features: Feature[], targets: ReadonlySet<Target> = ALL_TARGETS): string[] =>
    activeSecrets(SECRET_CONTRACT, new Set(features), targets).map((a) => a.spec.key);

describe("secret contract", () => {
    it("is consistent: unique keys, valid names, bcrypt of a known entry, one owner per consumer slot", () => {
        assert.deepStrictEqual(contractProblems(SECRET_CONTRACT), []);
    });

    it("reports a duplicate key, a hash of an unknown entry and two entries feeding one env var", () => {
        const base = SECRET_CONTRACT[0];
        const bad: SecretSpec[] = [
            base,
            { ...base },
            { ...base, key: "orphan-hash", source: { kind: "bcrypt", of: "nope" }, consumers: [] },
        ];
        const problems = contractProblems(bad);
        assert.ok(
            problems.some((p) => p.includes("listed twice")),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => p.includes("hashes nope")),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => p.includes("Cloud Run litellm env LITELLM_MASTER_KEY")),
            problems.join("\n"),
        );
    });

    it("holds the seeds' full set of secrets when every feature is on", () => {
        const all = keysFor([...FEATURES]);
        for (const key of [
            ...GUIDE_SEEDED_KEYS,
            "ui-username",
            "ui-password",
            "openai-api-key",
            "anthropic-api-key",
            "langfuse-public-key",
            "langfuse-secret-key",
            "cloudflare-api-token",
            "hf-token",
        ]) {
            assert.ok(all.includes(key), `${key} missing`);
        }
    });

    it("needs no provided secret on a minimal stack (local models, no public DNS)", () => {
        assert.deepStrictEqual(providedSecrets(SECRET_CONTRACT, new Set<Feature>(["vllm"])), []);
        assert.deepStrictEqual(providedSecrets(SECRET_CONTRACT, new Set<Feature>()), []);
    });

    it("asks for each provided secret only when its feature is on", () => {
        const provided = (features: Feature[]) =>
            providedSecrets(SECRET_CONTRACT, new Set(features))
                .map((s) => s.key)
                .sort();
        assert.deepStrictEqual(provided(["anthropic"]), ["anthropic-api-key"]);
        assert.deepStrictEqual(provided(["langfuse", "cloudflare"]), [
            "cloudflare-api-token",
            "langfuse-public-key",
            "langfuse-secret-key",
        ]);
        assert.deepStrictEqual(provided(["huggingface", "openai"]), ["hf-token", "openai-api-key"]);
    });

    it("creates a Dex client secret only when Dex and its client are both on", () => {
        assert.ok(!keysFor(["grafana"]).includes("dex-grafana-client-secret"));
        assert.ok(!keysFor(["dex"]).includes("dex-grafana-client-secret"));
        assert.ok(keysFor(["dex", "grafana"]).includes("dex-grafana-client-secret"));
        // LiteLLM is always there, so its client secret needs Dex alone.
        assert.ok(keysFor(["dex"]).includes("dex-litellm-client-secret"));
    });

    it("keeps a secret but drops consumers whose target is off", () => {
        const cloudRunOnly = activeSecrets(SECRET_CONTRACT, new Set<Feature>(), new Set<Target>(["cloudRun"]));
        const master = cloudRunOnly.find((a) => a.spec.key === "litellm-master-key");
        assert.deepStrictEqual(
            master?.consumers.map((c) => c.kind),
            ["cloudRunEnv"],
        );
        const k8sOnly = activeSecrets(SECRET_CONTRACT, new Set<Feature>(), new Set<Target>(["kubernetes"]));
        // The platform guide's litellm/litellm-secrets[master] and experience/key-portal[LITELLM_MASTER_KEY].
        assert.deepStrictEqual(
            k8sOnly.find((a) => a.spec.key === "litellm-master-key")?.consumers.map((c) => c.kind),
            ["kubernetesSecret", "kubernetesSecret"],
        );
    });

    it("drops a Kubernetes consumer whose own feature is off", () => {
        const row: SecretSpec = {
            key: "token",
            description: "a token",
            component: "x",
            source: { kind: "provided", configKey: "token", issuer: "x" },
            requires: ["huggingface"],
            consumers: [{ kind: "kubernetesSecret", namespace: "n", secretName: "s", key: "k", workload: "w", requires: ["vllm"] }],
        };
        const consumers = (features: Feature[]) => activeSecrets([row], new Set(features), ALL_TARGETS)[0]?.consumers;
        assert.deepStrictEqual(consumers(["huggingface"]), []);
        assert.strictEqual(consumers(["huggingface", "vllm"])?.length, 1);
    });

    it("gives every value generated here a rotation class or a reason never to rotate", () => {
        const classes = Object.fromEntries(SECRET_CONTRACT.filter((s) => s.rotation !== undefined).map((s) => [s.key, s.rotation]));
        assert.deepStrictEqual(classes, {
            "litellm-master-key": "llm-api-key",
            "vllm-api-key": "llm-api-key",
            "litellm-db-password": "database-password",
            "litellm-grafana-ro-password": "database-password",
            "oauth2-proxy-cookie-secret": "service-credential",
            "dex-admin-password": "admin-password",
            "dex-argocd-client-secret": "service-credential",
            "dex-oauth2-proxy-client-secret": "service-credential",
            "dex-litellm-client-secret": "service-credential",
            "dex-grafana-client-secret": "service-credential",
            "dex-open-webui-client-secret": "service-credential",
            "dex-tabby-client-secret": "service-credential",
            "ui-password": "admin-password",
        });
        assert.deepStrictEqual(
            SECRET_CONTRACT.filter((s) => s.neverRotate !== undefined).map((s) => s.key),
            ["litellm-salt-key", "n8n-encryption-key"],
        );
        // Passwords checked by stores outside the program rotate by hand, with the store.
        assert.deepStrictEqual(
            SECRET_CONTRACT.filter((s) => s.manualRotation !== undefined).map((s) => s.key),
            ["llmtrace-postgres-password", "llmtrace-redis-password", "llmtrace-clickhouse-password"],
        );
    });

    it("reports rotation fields that do not fit the row", () => {
        const master = SECRET_CONTRACT.find((s) => s.key === "litellm-master-key")!;
        const provided = SECRET_CONTRACT.find((s) => s.key === "openai-api-key")!;
        const problems = contractProblems([
            { ...master, key: "no-schedule", rotation: undefined, consumers: [] },
            { ...master, key: "both", neverRotate: "because", consumers: [] },
            { ...provided, key: "provided-on-a-clock", rotation: "llm-api-key", consumers: [] },
            { ...master, key: "lonely-user", source: { kind: "activeUser", of: "no-schedule" }, rotation: undefined, consumers: [] },
        ]);
        assert.deepStrictEqual(problems, [
            "no-schedule: generated here, so it needs a rotation class, a manualRotation or a neverRotate reason",
            "both: has more than one of a rotation class, a manualRotation and a neverRotate reason",
            "provided-on-a-clock: only values generated here rotate here (provided values do not)",
            "lonely-user: names the active user of no-schedule, which has no alternating users",
        ]);
    });

    it("needs a derived secret only when the stack produces what it derives from", () => {
        const derived = ["database-url", "redis-host", "redis-password", "redis-url"];
        assert.deepStrictEqual(
            keysFor([...FEATURES]).filter((k) => derived.includes(k)),
            [],
        );
        const withRuntime = activeSecrets(SECRET_CONTRACT, new Set<Feature>(), ALL_TARGETS, new Set(DERIVATIONS)).map((a) => a.spec.key);
        assert.deepStrictEqual(
            withRuntime.filter((k) => derived.includes(k)),
            derived,
        );
        const onlyHost = activeSecrets(SECRET_CONTRACT, new Set<Feature>(), ALL_TARGETS, new Set<Derivation>(["memorystore-host"]));
        assert.deepStrictEqual(
            onlyHost.map((a) => a.spec.key).filter((k) => derived.includes(k)),
            ["redis-host"],
        );
    });

    it("feeds LiteLLM's DATABASE_URL, REDIS_HOST and REDIS_PASSWORD from derived rows", () => {
        const envOf = (key: string) =>
            SECRET_CONTRACT.find((s) => s.key === key)?.consumers.flatMap((c) =>
                c.kind === "cloudRunEnv" ? [`${c.service}/${c.env}`] : [],
            );
        assert.deepStrictEqual(envOf("database-url"), ["litellm/DATABASE_URL"]);
        assert.deepStrictEqual(envOf("redis-host"), ["litellm/REDIS_HOST"]);
        assert.deepStrictEqual(envOf("redis-password"), ["litellm/REDIS_PASSWORD"]);
        for (const key of ["database-url", "redis-host", "redis-password", "redis-url"]) {
            assert.strictEqual(SECRET_CONTRACT.find((s) => s.key === key)?.source.kind, "derived", key);
        }
    });

    it("reports a derived row whose derivation nothing produces", () => {
        const bad = {
            ...SECRET_CONTRACT[0],
            key: "orphan-url",
            consumers: [],
            rotation: undefined,
            source: { kind: "derived", from: "nowhere", description: "x" },
        };
        assert.deepStrictEqual(contractProblems([bad as unknown as SecretSpec]), [
            "orphan-url: derives from nowhere, which nothing produces",
        ]);
    });

    it("marks the LiteLLM salt key as never rotated, with the reason", () => {
        const salt = SECRET_CONTRACT.find((s) => s.key === "litellm-salt-key");
        assert.match(salt?.neverRotate ?? "", /orphans/);
    });
});
