import * as assert from "assert";

import { SECRET_CONTRACT, activeSecrets, contractProblems } from "../../components/contract";
import { grantsByPrincipal } from "../../components/platform";
import { createdValues, dataBound, valueNeeds } from "../../scripts/lib/bench/bound";
import { canonical, diff } from "../../scripts/lib/bench/changes";
import { replay } from "../../scripts/lib/bench/floor";
import { growthExponent } from "../../scripts/lib/bench/markdown";
import { classOf, falseWaits, schedule } from "../../scripts/lib/bench/schedule";
import { scaleContract } from "../../scripts/lib/bench/synthetic";
import { creationTime, resourceSeconds, secondsToCreate } from "../../scripts/lib/bench/timeTable";
import { commandLines } from "../../scripts/lib/bench/wholeCommand";
import { Evaluation, RecordedResource, SECRET_SIG, contractByType, evaluate, unwrap } from "../support/evaluate";
import {
    GCP_SQL_INSTANCE as SQL,
    GCP_REDIS_INSTANCE as REDIS,
    GCP_NETWORK as NETWORK,
    GCP_SQL_USER as USER,
    GCP_SECRET_VERSION as VERSION,
} from "../support/types";

/** A recorded resource for graph tests: `data` are property dependencies, `after` explicit ones. */
function res(
    type: string,
    name: string,
    opts: { data?: string[]; after?: string[]; parent?: string; custom?: boolean; inputs?: Record<string, any> } = {},
): RecordedResource {
    const data = opts.data ?? [];
    return {
        type,
        name,
        urn: name,
        parent: opts.parent ?? null,
        custom: opts.custom ?? true,
        inputs: opts.inputs ?? {},
        dependencies: [...data, ...(opts.after ?? [])],
        propertyDependencies: data.length === 0 ? {} : { input: data },
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        additionalSecretOutputs: [],
        provider: null,
    };
}

describe("bench: synthetic contracts", () => {
    it("copies every row and consumer under suffixed keys, consistently", () => {
        const big = scaleContract(SECRET_CONTRACT, 3);
        assert.strictEqual(big.length, SECRET_CONTRACT.length * 3);
        assert.deepStrictEqual(contractProblems(big), []);
        const hash = big.find((s) => s.key === "dex-admin-hash-s2");
        assert.deepStrictEqual(hash?.source, { kind: "bcrypt", of: "dex-admin-password-s2" });
        const master = big.find((s) => s.key === "litellm-master-key-s1");
        assert.deepStrictEqual(
            master?.consumers.map((c) => (c.kind === "cloudRunEnv" ? c.env : c.secretName)),
            ["LITELLM_MASTER_KEY_S1", "litellm-secrets-s1", "key-portal-s1"],
        );
        assert.strictEqual(scaleContract(SECRET_CONTRACT, 1).length, SECRET_CONTRACT.length);
        assert.throws(() => scaleContract(SECRET_CONTRACT, 0), /whole number from 1/);
    });

    it("evaluates a 2× contract to twice the secrets, versions and grants", async () => {
        // Agents come from config, not the table: without them the copies are the whole stack.
        const two = await evaluate({ stack: "prod", contract: scaleContract(SECRET_CONTRACT, 2), set: { agents: [] } });
        assert.ifError(two.error);
        const config = two.platform!.config;
        const one = activeSecrets(SECRET_CONTRACT, config.features, config.targets, config.derivations);
        const grants = [...grantsByPrincipal(one).values()].flat().length;
        // LiteLLM's config file (one version, one grant) is not a contract secret: left out.
        const count = (t: string) => contractByType(two, t).length;
        assert.strictEqual(two.platform!.active.length, 2 * one.length);
        assert.strictEqual(count(VERSION), 2 * one.length);
        assert.strictEqual(count("gcp:secretmanager/secretIamMember:SecretIamMember"), 2 * grants);
    });
});

describe("bench: the floor program", () => {
    it("registers the same resources as the program: types, names, parents and inputs", async () => {
        const real = await evaluate({ stack: "dev" });
        const floor = await evaluate({ stack: "dev", program: () => replay(real.resources) });
        assert.ifError(floor.error);
        const shape = (e: Evaluation) => e.resources.map((r) => `${r.urn} ${r.parent} ${r.custom} ${canonical(unwrap(r.inputs))}`).sort();
        assert.deepStrictEqual(shape(floor), shape(real));
        assert.strictEqual(floor.platform, undefined);
    });
});

describe("bench: simulated first deploy", () => {
    // network → (data) sql, redis; redis also waits for sql by dependsOn (false); the URL secret is
    // derived from the user (data, so it may wait); the key secret waits for sql by dependsOn (false).
    const graph = [
        res(NETWORK, "net"),
        res(SQL, "sql", { data: ["net"] }),
        res(REDIS, "redis", { data: ["net"], after: ["sql"] }),
        res(USER, "user", { data: ["sql"] }),
        res(VERSION, "url-version", { data: ["user"] }),
        res(VERSION, "key-version", { after: ["sql"] }),
    ];

    it("schedules the recorded graph and the data bound with the table's times", () => {
        const recorded = schedule(graph, { dataOnly: false });
        const data = schedule(graph, { dataOnly: true });
        assert.strictEqual(recorded.makespan, 25 + 900 + 420);
        assert.deepStrictEqual(
            recorded.criticalPath.map((t) => [t.resource.name, t.start, t.binding?.kind ?? "-"]),
            [
                ["net", 0, "-"],
                ["sql", 25, "data"],
                ["redis", 925, "dependsOn"],
            ],
        );
        assert.strictEqual(data.makespan, 25 + 900 + 15 + 2);
        assert.strictEqual(data.byUrn.get("key-version")?.start, 0);
        assert.strictEqual(recorded.byUrn.get("key-version")?.start, 925);
    });

    it("flags a cache waiting for a database and a secret waiting for a database it is not derived from", () => {
        const found = falseWaits(graph).map((w) => `${w.resource.name} -> ${w.waitsFor.name}: ${w.rule}`);
        assert.deepStrictEqual(found.sort(), [
            "key-version -> sql: a secret must not wait for a database it is not derived from",
            "redis -> sql: a cache must not wait for a database",
        ]);
    });

    it("lets a child of a custom resource wait for it, and a component parent carry its own waits", () => {
        const g = [
            res(SQL, "sql"),
            res("llm-platform-secrets:x:Component", "comp", { custom: false, after: ["sql"] }),
            res(VERSION, "child", { parent: "comp" }),
            res(USER, "user-of-sql", { parent: "sql" }),
        ];
        const s = schedule(g, { dataOnly: false });
        assert.strictEqual(s.byUrn.get("child")?.start, 900);
        assert.strictEqual(s.byUrn.get("user-of-sql")?.start, 900);
        assert.strictEqual(s.byUrn.get("user-of-sql")?.binding?.kind, "parent");
        assert.strictEqual(schedule(g, { dataOnly: true }).byUrn.get("child")?.start, 0);
    });

    it("times a time.Sleep by its own createDuration, and a component as nothing", () => {
        assert.strictEqual(resourceSeconds(res("time:index/sleep:Sleep", "wait", { inputs: { createDuration: "45s" } })), 45);
        assert.strictEqual(resourceSeconds(res("time:index/rotating:Rotating", "clock")), 0);
        assert.strictEqual(resourceSeconds(res(SQL, "c", { custom: false })), 0);
        assert.strictEqual(resourceSeconds(res(SQL, "sql")), 900);
    });

    it("refuses a dependency cycle", () => {
        assert.throws(() => schedule([res(SQL, "a", { data: ["b"] }), res(SQL, "b", { data: ["a"] })], { dataOnly: true }), /cycle/);
    });

    it("times types by exact row, then longest prefix; classifies data stores and the ESO release", () => {
        assert.strictEqual(secondsToCreate(SQL), 900);
        assert.strictEqual(secondsToCreate("gcp:sql/sslCert:SslCert"), 20);
        assert.strictEqual(secondsToCreate("random:index/randomPassword:RandomPassword"), 0);
        assert.strictEqual(creationTime("acme:thing:Thing"), undefined);
        // Every family the platform uses has a row of its own, not only the package-wide fallback.
        for (const [type, row] of [
            ["gcp:sql/database:Database", "gcp:sql/database:Database"],
            ["gcp:redis/instance:Instance", "gcp:redis/instance:Instance"],
            ["gcp:cloudrunv2/service:Service", "gcp:cloudrunv2/service:Service"],
            ["gcp:servicenetworking/connection:Connection", "gcp:servicenetworking/connection:Connection"],
            ["gcp:compute/router:Router", "gcp:compute/"],
            ["gcp:vpcaccess/connector:Connector", "gcp:vpcaccess/connector:Connector"],
            ["gcp:secretmanager/secretIamMember:SecretIamMember", "gcp:secretmanager/"],
            ["gcp:serviceaccount/iAMMember:IAMMember", "gcp:serviceaccount/"],
            ["aws:secretsmanager/secret:Secret", "aws:secretsmanager/"],
            ["aws:iam/role:Role", "aws:iam/"],
            ["vault:kv/secretV2:SecretV2", "vault:"],
            ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v3:Release"],
            ["kubernetes:external-secrets.io/v1:ExternalSecret", "kubernetes:external-secrets.io/"],
        ]) {
            assert.strictEqual(creationTime(type)?.match, row, type);
        }
        assert.strictEqual(
            classOf(res("kubernetes:helm.sh/v3:Release", "eso", { inputs: { chart: "external-secrets" } })),
            "cluster add-on",
        );
        assert.strictEqual(classOf(res("kubernetes:helm.sh/v3:Release", "litellm", { inputs: { chart: "litellm-helm" } })), undefined);
        assert.strictEqual(classOf(res(REDIS, "r")), "cache");
        assert.strictEqual(classOf(res(VERSION, "v")), "secret");
    });
});

describe("bench: changes between evaluations", () => {
    const evaluation = (resources: RecordedResource[]): Evaluation => ({
        stack: "t",
        resources,
        componentOutputs: {},
        outputs: {},
        config: {},
        secretKeys: [],
    });

    it("ignores property order and secret wrapping, and sees changed, added and removed resources", () => {
        const before = evaluation([
            res(VERSION, "a", { inputs: { x: 1, y: { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "s" } } }),
            res(VERSION, "b", { inputs: { x: 1 } }),
            res(VERSION, "gone"),
        ]);
        const after = evaluation([
            res(VERSION, "a", { inputs: { y: "s", x: 1 } }),
            res(VERSION, "b", { inputs: { x: 2 } }),
            res(VERSION, "new"),
        ]);
        const d = diff(before, after);
        assert.deepStrictEqual(
            [d.changed, d.added, d.removed].map((rs) => rs.map((r) => r.name)),
            [["b"], ["new"], ["gone"]],
        );
    });

    it("measures growth as a log-log slope", () => {
        assert.strictEqual(growthExponent(100, 1, 1000, 10).toFixed(2), "1.00");
        assert.strictEqual(growthExponent(100, 1, 1000, 100).toFixed(2), "2.00");
    });
});

describe("bench: the data bound, from values alone", () => {
    const SECRET = (value: string) => ({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
    // The network's self link and the instance's id, address and connection name exist only once
    // they are created; the instance's name is an input it echoes back.
    const graph = [
        res(NETWORK, "net", { inputs: { name: "net" } }),
        res(SQL, "sql", { inputs: { name: "db", network: "https://compute/net" } }),
        res(USER, "user", { inputs: { instance: "db" } }),
        res(VERSION, "url-version", { inputs: { secretData: SECRET("postgresql://u@localhost/x?host=/cloudsql/p%3Ar%3Adb") } }),
        res(VERSION, "ip-version", { inputs: { secretData: SECRET("redis://10.1.0.5:6379") } }),
        res("gcp:projects/iAMMember:IAMMember", "grant", { inputs: { instanceId: "db-id", role: "x" } }),
        res(REDIS, "redis", { inputs: { authorizedNetwork: "https://compute/net" }, after: ["sql"] }),
    ];
    const created = new Map([
        ["net", { id: "net-id", state: { name: "net", selfLink: "https://compute/net" } }],
        [
            "sql",
            { id: "db-id", state: { name: "db", connectionName: "p:r:db", privateIpAddress: "10.1.0.5", network: "https://compute/net" } },
        ],
        ["user", { id: "user-id", state: { instance: "db" } }],
        ["url-version", { id: "url-version-id", state: {} }],
        ["ip-version", { id: "ip-version-id", state: {} }],
        ["grant", { id: "grant-id", state: { role: "x" } }],
        ["redis", { id: "redis-id", state: { authorizedNetwork: "https://compute/net" } }],
    ]);

    it("counts as created only the id and outputs that are not inputs echoed back", () => {
        assert.deepStrictEqual(createdValues(graph[1], created.get("sql")!).sort(), ["10.1.0.5", "db-id", "p:r:db"]);
    });

    it("finds needs by value: exact, inside a longer input, percent-encoded; not by a name known beforehand, nor by dependsOn", () => {
        const needs = valueNeeds(graph, created);
        const of = (name: string) => [...(needs.get(name) ?? [])].sort();
        assert.deepStrictEqual(of("sql"), ["net"]);
        assert.deepStrictEqual(of("user"), []);
        assert.deepStrictEqual(of("url-version"), ["sql"]);
        assert.deepStrictEqual(of("ip-version"), ["sql"]);
        assert.deepStrictEqual(of("grant"), ["sql"]);
        assert.deepStrictEqual(of("redis"), ["net"]);
    });

    it("schedules the longest path of creation times over those needs", () => {
        const b = dataBound(graph, valueNeeds(graph, created), (r) => secondsToCreate(r.type));
        const at = (name: string) => [b.byUrn.get(name)?.start, b.byUrn.get(name)?.finish];
        assert.deepStrictEqual(at("sql"), [25, 925]);
        assert.deepStrictEqual(at("user"), [0, 15]);
        assert.deepStrictEqual(at("url-version"), [925, 927]);
        assert.deepStrictEqual(at("redis"), [25, 445]);
        assert.strictEqual(b.makespan, 935);
        // The recorded graph (no property dependencies here) makes redis wait for sql by dependsOn.
        assert.strictEqual(schedule(graph, { dataOnly: false }).byUrn.get("redis")?.start, 900);
    });

    it("refuses needs that form a cycle", () => {
        const needs = new Map([
            ["a", new Set(["b"])],
            ["b", new Set(["a"])],
        ]);
        assert.throws(() => dataBound([res(SQL, "a"), res(SQL, "b")], needs, () => 1), /cycle through a, b/);
    });
});

describe("bench: the whole command", () => {
    it("starts the floor with the plan's own launcher and node flags", () => {
        assert.deepStrictEqual(commandLines("dev", "/tmp/m.json"), {
            plan: "node --stack-trace-limit=0 scripts/run.js plan --stack dev",
            floor: "node --stack-trace-limit=0 scripts/run.js lib/bench/floorProcess dev /tmp/m.json",
            npm: "npm run --silent plan -- --stack dev",
        });
    });
});
