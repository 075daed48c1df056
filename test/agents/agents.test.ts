/**
 * Agent services as readers of the contract: the dev stack with two agents (one on Cloud Run
 * keeping its runs in its own Cloud SQL database, one on Kubernetes keeping them in Memorystore)
 * evaluates with exactly their grants, env vars and Secrets, under the guide's names (kept here by
 * hand from seed 003), leaks nothing, and a change of a value rolls exactly its readers.
 */
import * as assert from "assert";

import {
    Evaluation,
    RecordedResource,
    byType,
    changedResources,
    evaluate,
    findResource,
    isSecretEnvelope,
    unwrap,
} from "../support/evaluate";
import { BACKEND_CONFIG } from "../backends/support";
import { ACCOUNT, PROJECT_IAM, SECRET_IAM, SERVICE, USER, dataOf, secretIdOf, versionOf } from "../run/gcpRuntimeHelpers";
import { GCP_SQL_INSTANCE, GCP_SQL_DATABASE, GCP_RUN_IAM_MEMBER } from "../support/types";

const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const STORE = "kubernetes:external-secrets.io/v1:SecretStore";

/**
 * The general secrets guide (seed 003): `kubectl create secret generic agent-secrets
 * --from-literal=openai-api-key=… --from-literal=anthropic-api-key=… --from-literal=database-url=…`;
 * the Deployment's `OPENAI_API_KEY` ← `agent-secrets[openai-api-key]` and
 * `FASTAGENTIC_DURABLE_STORE` ← `agent-secrets[database-url]`; `.env` names `ANTHROPIC_API_KEY`;
 * Cloud Run `--set-secrets "OPENAI_API_KEY=openai-api-key:latest"`.
 */
const GUIDE = {
    secretName: "agent-secrets",
    openai: { env: "OPENAI_API_KEY", secretKey: "openai-api-key", backendKey: "openai-api-key" },
    anthropic: { env: "ANTHROPIC_API_KEY", secretKey: "anthropic-api-key", backendKey: "anthropic-api-key" },
    store: { env: "FASTAGENTIC_DURABLE_STORE", secretKey: "database-url" },
};
/** FastAgentic's port (neul-labs/fastagentic docs, Kubernetes deployment: containerPort 8000). */
const FASTAGENTIC_PORT = 8000;

const DEV_FEATURES = ["vllm", "dex", "oauth2-proxy", "grafana", "n8n", "open-webui", "tabby", "argocd", "llmtrace"];
const OPENAI = "openai-test-value-0123456789";
const ANTHROPIC = "anthropic-test-value-0123456789";
const AGENTS = [
    {
        name: "alpha",
        cloudRun: { image: "us-central1-docker.pkg.dev/llm-platform-dev/agents/alpha:1.0.0", invokers: ["group:alpha-users@acme.io"] },
        providerKeys: ["openai-api-key"],
        durableStore: "postgres",
    },
    {
        name: "beta",
        kubernetes: { namespace: "beta-agents" },
        providerKeys: ["openai-api-key", "anthropic-api-key"],
        durableStore: "redis",
    },
];

const withAgents = (extra: { set?: Record<string, unknown>; secrets?: Record<string, string> } = {}) =>
    evaluate({
        stack: "dev",
        set: { features: [...DEV_FEATURES, "openai", "anthropic"], agents: AGENTS, ...extra.set },
        secrets: { openaiApiKey: OPENAI, anthropicApiKey: ANTHROPIC, ...extra.secrets },
    });

/** Contract key whose backend id is `id`, from the stack's outputs. */
const keyOfId = (e: Evaluation, id: string): string => {
    const ids = e.outputs.secretIds.value as Record<string, string>;
    const key = Object.keys(ids).find((k) => ids[k] === id);
    assert.ok(key !== undefined, `no stored secret has id ${id}`);
    return key;
};

/** Inputs with every secret envelope replaced: what anyone reading the state in plain sees. */
function plain(v: unknown): unknown {
    if (isSecretEnvelope(v)) {
        return "[secret]";
    }
    if (Array.isArray(v)) {
        return v.map(plain);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

describe("agents (dev stack with two agents)", () => {
    let e: Evaluation;
    before(async () => {
        e = await withAgents();
        assert.ifError(e.error);
    });

    describe("on Cloud Run (alpha)", () => {
        const template = () => unwrap(findResource(e, SERVICE, "alpha").inputs).template;
        const envs = (): { name: string; value?: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[] =>
            template().containers[0].envs;
        const principal = () => (e.outputs.principals.value as Record<string, string>)["cloudrun-alpha"];

        it("reads exactly the guide's variables for the keys it names, each a pinned secretKeyRef", () => {
            assert.deepStrictEqual(
                envs()
                    .map((x) => x.name)
                    .sort(),
                [GUIDE.store.env, GUIDE.openai.env].sort(),
            );
            for (const env of envs()) {
                assert.strictEqual(env.value, undefined, `${env.name} has a plain value`);
                assert.ok(env.valueSource?.secretKeyRef, `${env.name} is not a secretKeyRef`);
            }
            const openai = envs().find((x) => x.name === GUIDE.openai.env)!.valueSource!.secretKeyRef;
            assert.deepStrictEqual(openai, {
                secret: secretIdOf(e, GUIDE.openai.backendKey),
                version: versionOf(e, GUIDE.openai.backendKey),
            });
            assert.strictEqual(template().containers[0].ports.containerPort, FASTAGENTIC_PORT);
        });

        it("keeps its runs in its own row: its own Cloud SQL user and database, never LiteLLM's", () => {
            const ref = envs().find((x) => x.name === GUIDE.store.env)!.valueSource!.secretKeyRef;
            const key = keyOfId(e, ref.secret);
            assert.ok(!["database-url", "redis-url"].includes(key), `the store reads ${key}`);
            assert.strictEqual(ref.version, versionOf(e, key));
            const url = new URL(dataOf(e, key));
            assert.strictEqual(url.protocol, "postgresql:");
            assert.strictEqual(url.username, "agent_alpha");
            assert.strictEqual(url.pathname, "/agent_alpha");
            assert.match(url.searchParams.get("host") ?? "", /^\/cloudsql\//);
            const users = byType(e, USER).map((u) => unwrap(u.inputs));
            const own = users.filter((u) => u.name === "agent_alpha");
            assert.strictEqual(own.length, 1);
            assert.strictEqual(decodeURIComponent(url.password), own[0].password);
            for (const other of users.filter((u) => u.name !== "agent_alpha")) {
                assert.notStrictEqual(other.password, own[0].password, `agent_alpha shares ${other.name}'s password`);
            }
            assert.ok(byType(e, GCP_SQL_DATABASE).some((d) => d.inputs.name === "agent_alpha"));
        });

        it("runs as its own service account, granted exactly the two secrets it reads", () => {
            assert.strictEqual(principal(), `serviceAccount:${template().serviceAccount}`);
            assert.notStrictEqual(principal(), (e.outputs.principals.value as Record<string, string>)["cloudrun-litellm"]);
            assert.ok(byType(e, ACCOUNT).some((a) => a.name === "cloudrun-alpha"));
            const granted = byType(e, SECRET_IAM)
                .filter((g) => g.inputs.member === principal())
                .map((g) => keyOfId(e, g.inputs.secretId))
                .sort();
            const storeKey = keyOfId(e, envs().find((x) => x.name === GUIDE.store.env)!.valueSource!.secretKeyRef.secret);
            assert.deepStrictEqual(granted, [storeKey, GUIDE.openai.backendKey].sort());
            const sql = byType(e, PROJECT_IAM).filter((g) => g.inputs.member === principal());
            assert.deepStrictEqual(
                sql.map((g) => g.inputs.role),
                ["roles/cloudsql.client"],
            );
            assert.strictEqual(template().volumes[0].cloudSqlInstance.instances.length, 1);
        });

        it("waits for its grants to propagate before its first revision, as LiteLLM does", () => {
            const sleep = findResource(e, "time:index/sleep:Sleep", "cloudrun-alpha-iam-propagation");
            assert.ok(findResource(e, SERVICE, "alpha").dependencies.includes(sleep.urn));
            const grants = e.resources.filter((r) => /IamMember|IAMMember/.test(r.type) && r.inputs.member === principal());
            assert.strictEqual(grants.length, 3, "two secrets and Cloud SQL");
            for (const g of grants) {
                assert.ok(sleep.dependencies.includes(g.urn), `the wait does not follow ${g.name}`);
            }
        });

        it("may be called by the members config names, and by nobody else", () => {
            const invokers = byType(e, GCP_RUN_IAM_MEMBER).filter((m) => m.name.startsWith("alpha-invoker-"));
            assert.deepStrictEqual(
                invokers.map((m) => [m.inputs.role, m.inputs.member]),
                [["roles/run.invoker", "group:alpha-users@acme.io"]],
            );
        });
    });

    describe("on Kubernetes (beta)", () => {
        const es = () => findResource(e, EXTERNAL_SECRET, `beta-agents/${GUIDE.secretName}`);

        it("gets the guide's agent-secrets in its namespace with exactly the keys it reads", () => {
            const inputs = unwrap(es().inputs);
            assert.deepStrictEqual(inputs.metadata.name, GUIDE.secretName);
            assert.deepStrictEqual(inputs.metadata.namespace, "beta-agents");
            assert.strictEqual(inputs.spec.target.name, GUIDE.secretName);
            const data: { secretKey: string; remoteRef: { key: string } }[] = inputs.spec.data;
            assert.deepStrictEqual(
                data.map((d) => d.secretKey).sort(),
                [GUIDE.anthropic.secretKey, GUIDE.store.secretKey, GUIDE.openai.secretKey].sort(),
            );
            const by = Object.fromEntries(data.map((d) => [d.secretKey, d.remoteRef.key]));
            assert.strictEqual(by[GUIDE.openai.secretKey], secretIdOf(e, GUIDE.openai.backendKey));
            assert.strictEqual(by[GUIDE.anthropic.secretKey], secretIdOf(e, GUIDE.anthropic.backendKey));
            const storeKey = keyOfId(e, by[GUIDE.store.secretKey]);
            assert.ok(!["database-url", "redis-url", "redis-password"].includes(storeKey), `the store reads ${storeKey}`);
            assert.match(dataOf(e, storeKey), /^redis:\/\/:[^@]+@/);
        });

        it("is an ordinary store consumer, with a rollout checksum and no Cloud Run service or account", () => {
            // The agent's namespace has its own store, which reads as its own identity.
            const store = unwrap(findResource(e, STORE, "beta-agents/secret-store").inputs);
            assert.deepStrictEqual([store.metadata.namespace, store.metadata.name], ["beta-agents", "secret-store"]);
            const checksums = (e.outputs.kubernetes.value as { rolloutChecksums: Record<string, string> }).rolloutChecksums;
            assert.match(checksums.beta, /^[0-9a-f]{64}$/);
            assert.ok(!byType(e, SERVICE).some((s) => s.name === "beta"));
            assert.ok(!("cloudrun-beta" in (e.outputs.principals.value as Record<string, string>)));
        });

        it("is the only agent-secrets of the stack", () => {
            assert.deepStrictEqual(
                byType(e, EXTERNAL_SECRET)
                    .filter((r) => unwrap(r.inputs).metadata.name === GUIDE.secretName)
                    .map((r) => r.name),
                [`beta-agents/${GUIDE.secretName}`],
            );
        });
    });

    it("leaks no provider key, agent password or store URL into a plain input or a stack output", () => {
        const storeValues = ["agent-alpha-database-url", "agent-beta-database-url", "agent-alpha-db-password"].map((k) => dataOf(e, k));
        const agentPassword = decodeURIComponent(new URL(storeValues[0]).password);
        const needles = [OPENAI, ANTHROPIC, agentPassword, ...storeValues];
        for (const r of e.resources) {
            const text = JSON.stringify(plain(r.inputs));
            for (const n of needles) {
                assert.ok(!text.includes(n), `${r.type} ${r.name} holds a secret value in plain`);
            }
        }
        const outputs = JSON.stringify(Object.values(e.outputs).map((o) => o.value));
        for (const n of needles) {
            assert.ok(!outputs.includes(n), "a stack output holds a secret value");
        }
    });

    describe("rotation rolls exactly the agents that read the value", () => {
        const rolled = (after: Evaluation): string[] => {
            const changed = changedResources(e, after);
            const names = new Set(changed.map((r: RecordedResource) => `${r.type}::${r.name}`));
            return [
                names.has(`${SERVICE}::alpha`) ? "alpha" : "",
                names.has(`${EXTERNAL_SECRET}::beta-agents/${GUIDE.secretName}`) ? "beta" : "",
                names.has(`${SERVICE}::litellm`) ? "litellm" : "",
            ].filter((x) => x !== "");
        };

        it("the OpenAI key: LiteLLM and both agents", async () => {
            assert.deepStrictEqual(rolled(await withAgents({ secrets: { openaiApiKey: `${OPENAI}-new` } })), ["alpha", "beta", "litellm"]);
        });

        it("the Anthropic key: LiteLLM and beta, not alpha", async () => {
            assert.deepStrictEqual(rolled(await withAgents({ secrets: { anthropicApiKey: `${ANTHROPIC}-new` } })), ["beta", "litellm"]);
        });

        it("alpha's database password: alpha alone, with its user's new password", async () => {
            const after = await withAgents({ set: { rotations: { "litellm-master-key": 0, "agent-alpha-db-password": 1 } } });
            assert.ifError(after.error);
            assert.deepStrictEqual(rolled(after), ["alpha"]);
            const user = (x: Evaluation) => unwrap(byType(x, USER).find((u) => u.inputs.name === "agent_alpha")!.inputs).password;
            assert.notStrictEqual(user(after), user(e));
            assert.ok(!changedResources(e, after).some((r) => r.type === GCP_SQL_INSTANCE));
        });
    });
});

describe("agents in config", () => {
    const problemsOf = async (agents: unknown[], set: Record<string, unknown> = {}) => {
        const r = await evaluate({
            stack: "dev",
            set: { features: [...DEV_FEATURES, "openai"], agents, ...set },
            secrets: { openaiApiKey: OPENAI },
        });
        assert.ok(r.error, "the stack evaluated");
        assert.strictEqual(r.resources.length, 0, "resources were registered before the config error");
        return r.error.message;
    };
    const cloudRun = { image: "us-central1-docker.pkg.dev/p/agents/a:1" };
    const cases: [string, unknown[], RegExp, Record<string, unknown>?][] = [
        [
            "a provider key an agent cannot read",
            [{ name: "a", cloudRun, providerKeys: ["vllm-api-key"] }],
            /agents\.a\.providerKeys: "vllm-api-key" is not a provider key/,
        ],
        [
            "a provider key whose feature is off",
            [{ name: "a", cloudRun, providerKeys: ["anthropic-api-key"] }],
            /agents\.a\.providerKeys: anthropic-api-key exists only with feature anthropic/,
        ],
        [
            "both places",
            [{ name: "a", cloudRun, kubernetes: { namespace: "x" }, providerKeys: ["openai-api-key"] }],
            /agents\.a\.cloudRun: an agent runs in one place/,
        ],
        [
            "two agents in one namespace",
            [
                { name: "a", kubernetes: { namespace: "x" }, providerKeys: ["openai-api-key"] },
                { name: "b", kubernetes: { namespace: "x" }, providerKeys: ["openai-api-key"] },
            ],
            /agents\.b\.kubernetes\.namespace: x already holds a's agent-secrets/,
        ],
        [
            "a name twice",
            [
                { name: "a", cloudRun, providerKeys: ["openai-api-key"] },
                { name: "a", cloudRun, providerKeys: ["openai-api-key"] },
            ],
            /agents\.a\.name: is listed twice/,
        ],
        [
            "a platform workload's name",
            [{ name: "litellm", cloudRun, providerKeys: ["openai-api-key"] }],
            /agents\.litellm\.name: "litellm" is a workload of the platform itself/,
        ],
        [
            "a store without the runtime",
            [{ name: "a", cloudRun, durableStore: "redis" }],
            /agents\.a\.durableStore: redis is the platform's Memorystore, which exists only with gcpRuntime/,
            { gcpRuntime: false },
        ],
        [
            "postgres on the cluster without a private IP",
            [{ name: "a", kubernetes: { namespace: "x" }, durableStore: "postgres" }],
            /agents\.a\.durableStore: postgres on Kubernetes connects to Cloud SQL's private IP/,
            { cloudSqlPrivateIp: false },
        ],
        ["an agent that reads nothing", [{ name: "a", cloudRun }], /agents\.a\.providerKeys: the agent reads no secret/],
        [
            "an image Cloud Run cannot pull",
            [{ name: "a", cloudRun: { image: "ghcr.io/x/a:1" }, providerKeys: ["openai-api-key"] }],
            /agents\.a\.cloudRun\.image: Cloud Run pulls only from/,
        ],
        [
            "a public agent",
            [{ name: "a", cloudRun: { ...cloudRun, invokers: ["allUsers"] }, providerKeys: ["openai-api-key"] }],
            /agents\.a\.cloudRun\.invokers: must be a list of IAM members/,
        ],
        [
            "an example invoker",
            [{ name: "a", cloudRun: { ...cloudRun, invokers: ["group:team@example.com"] }, providerKeys: ["openai-api-key"] }],
            /agents\.a\.cloudRun\.invokers: group:team@example\.com: an example member/,
        ],
        [
            "an unknown field",
            [{ name: "a", cloudRun, providerKeys: ["openai-api-key"], secrets: [] }],
            /agents\.a\.secrets: is not an agent field/,
        ],
        ["a bad name", [{ name: "A_1", cloudRun, providerKeys: ["openai-api-key"] }], /agents\[0\]\.name: "A_1" is not valid/],
        [
            "the kubernetes target off",
            [{ name: "a", kubernetes: { namespace: "x" }, providerKeys: ["openai-api-key"] }],
            /agents\.a\.kubernetes: the kubernetes target is off/,
            { targets: ["cloudRun"] },
        ],
    ];
    for (const [what, agents, expected, set] of cases) {
        it(`refuses ${what}, naming the key and the fix`, async () => {
            const message = await problemsOf(agents, set);
            assert.match(message, expected);
            assert.match(message, /Fix: /);
        });
    }

    it("refuses a rotation bump of the password of an agent the stack lacks", async () => {
        const message = await problemsOf([{ name: "a", cloudRun, providerKeys: ["openai-api-key"] }], {
            rotations: { "agent-b-db-password": 1 },
        });
        assert.match(message, /rotations\.agent-b-db-password: names no secret of the contract/);
    });
});

describe("a cluster agent on the other backends", () => {
    for (const backend of Object.keys(BACKEND_CONFIG) as (keyof typeof BACKEND_CONFIG)[]) {
        it(`${backend}: projects the guide's agent-secrets from that backend, with exactly the key it reads`, async () => {
            const agent = { name: "support-agent", kubernetes: { namespace: "support-agents" }, providerKeys: ["anthropic-api-key"] };
            const e = await evaluate({ stack: "prod", set: { ...BACKEND_CONFIG[backend], agents: [agent] } });
            assert.ifError(e.error);
            const es = unwrap(findResource(e, EXTERNAL_SECRET, `support-agents/${GUIDE.secretName}`).inputs);
            assert.deepStrictEqual(
                es.spec.data.map((d: { secretKey: string }) => d.secretKey),
                [GUIDE.anthropic.secretKey],
            );
            // The same backend entry LiteLLM's anthropic-api-key Secret reads.
            const litellm = unwrap(findResource(e, EXTERNAL_SECRET, "litellm/anthropic-api-key").inputs);
            assert.deepStrictEqual(es.spec.data[0].remoteRef, litellm.spec.data[0].remoteRef);
        });
    }
});
