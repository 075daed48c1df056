/**
 * Component outputs (`registerOutputs`) are kept in state like resources' outputs. Every one the
 * program registers, on every stack and backend, is either a Pulumi secret or listed below, by
 * hand, as plain-safe (names, ids, versions, times); and no plain-safe output holds a secret value.
 */
import * as assert from "assert";

import { EvaluateOptions, Evaluation, evaluate, isSecretEnvelope, promiseOf } from "../support/evaluate";
import { BACKEND_CONFIG } from "../backends/support";
import { ADOPTED_RUNTIME, STACK as ADOPT_STACK, secureValue } from "../adoption/adoptionHelpers";

/** Hand-kept: the outputs that may be plain, by component type; each holds no secret by design. */
const PLAIN_SAFE: Record<string, readonly string[]> = {
    "llm-platform-secrets:adoption:ExistingPostgres": ["connectionName", "databaseName", "instanceName", "privateAddress", "userName"],
    "llm-platform-secrets:adoption:ExistingRedis": ["host", "port", "serverCa", "tls"],
    "llm-platform-secrets:agents:AgentDatabase": ["databaseName", "userName"],
    "llm-platform-secrets:awssm:IrsaRole": ["arn", "member"],
    "llm-platform-secrets:awssm:Secret": ["arn", "backendId", "version"],
    "llm-platform-secrets:data:Postgres": ["connectionName", "databaseName", "instanceName", "privateAddress", "userName"],
    "llm-platform-secrets:data:Redis": ["host", "port", "serverCa", "tls"],
    "llm-platform-secrets:grants:AccessorGrants": ["secretKeys"],
    "llm-platform-secrets:grants:CloudSqlClientGrant": ["member", "role"],
    "llm-platform-secrets:gsm:Secret": ["backendId", "version"],
    "llm-platform-secrets:identity:WorkloadServiceAccount": ["email", "member"],
    "llm-platform-secrets:k8s:HelmRelease": ["chartVersion", "namespace", "releaseName"],
    "llm-platform-secrets:k8s:NamespaceStore": ["serviceAccountName", "storeName"],
    "llm-platform-secrets:monitoring:AlertChannel": ["channelName"],
    "llm-platform-secrets:monitoring:RotationReminders": ["nextRotationTime", "rotationPeriod", "topic"],
    "llm-platform-secrets:monitoring:SecretAccessAlerts": ["metricType", "policyName"],
    "llm-platform-secrets:k8ssource:Namespace": ["namespaceName"],
    "llm-platform-secrets:k8ssource:Secret": ["backendId", "version"],
    "llm-platform-secrets:network:PrivateNetwork": ["networkId", "privateServicesNetworkId", "subnetworkId"],
    "llm-platform-secrets:rotation:Schedules": ["nextRotation", "periodIndex", "rotatedAt"],
    "llm-platform-secrets:run:ConfigFile": ["secret", "version"],
    "llm-platform-secrets:run:Service": ["secretVersions", "serviceName", "uri"],
    "llm-platform-secrets:secrets:AlternatingPassword": ["activeUser", "generation"],
    "llm-platform-secrets:vault:KubernetesRole": ["member", "roleName"],
    "llm-platform-secrets:vault:Secret": ["backendId", "kvVersion", "version"],
};

/** Hand-kept: derived rows that are addresses, not credentials. */
const NOT_SECRET = ["redis-host"];

/** `type` of a URN: the last segment of its type chain. */
const typeOf = (urn: string): string => urn.split("::")[2].split("$").pop() as string;

/** Every string leaf with whether a secret envelope wraps it. */
function* leaves(v: unknown, inSecret = false): Generator<{ value: string; secret: boolean }> {
    if (isSecretEnvelope(v)) {
        yield* leaves(v.value, true);
    } else if (Array.isArray(v)) {
        for (const x of v) {
            yield* leaves(x, inSecret);
        }
    } else if (typeof v === "object" && v !== null) {
        for (const x of Object.values(v)) {
            yield* leaves(x, inSecret);
        }
    } else if (v !== undefined && v !== null) {
        yield { value: String(v), secret: inSecret };
    }
}

/** Plain outputs that should be secret, and plain-safe ones holding a secret value. */
async function offences(e: Evaluation, seen: Set<string>): Promise<string[]> {
    const p = e.platform!;
    // Names and addresses stored beside secrets are not secret themselves (the contract says so).
    const secretKeys = p.active
        .filter((a) => !["setting", "activeUser"].includes(a.spec.source.kind) && !NOT_SECRET.includes(a.spec.key))
        .map((a) => a.spec.key);
    const values = (await Promise.all(secretKeys.map((k) => promiseOf(p.values[k])))).filter((v) => v.length >= 8);
    const found: string[] = [];
    for (const [urn, outputs] of Object.entries(e.componentOutputs)) {
        const type = typeOf(urn);
        for (const [name, value] of Object.entries(outputs)) {
            const where = `${type} ${urn.split("::").pop()} .${name}`;
            if (PLAIN_SAFE[type]?.includes(name)) {
                seen.add(`${type} ${name}`);
                if ([...leaves(value)].some((l) => values.some((v) => l.value.includes(v)))) {
                    found.push(`${where}: plain-safe, but holds a secret value`);
                }
            } else if ([...leaves(value)].some((l) => !l.secret)) {
                found.push(`${where}: plain, and not listed as plain-safe`);
            }
        }
    }
    return found;
}

describe("component outputs", () => {
    const seen = new Set<string>();
    const cases: [string, EvaluateOptions][] = [
        ["dev", { stack: "dev" }],
        ["prod", { stack: "prod" }],
        ...Object.entries(BACKEND_CONFIG).map(([, set]): [string, EvaluateOptions] => [`prod on ${set.backend}`, { stack: "prod", set }]),
        // The Cloud Run guide's runtime adopted by name (docs/adoption.md): its Cloud SQL instance
        // and Memorystore are read, not created, by components of their own.
        [
            `${ADOPT_STACK} with the guide's runtime adopted`,
            {
                stack: ADOPT_STACK,
                secureValue,
                set: ADOPTED_RUNTIME,
            },
        ],
    ];
    for (const [name, options] of cases) {
        it(`are secrets or plain-safe: ${name}`, async () => {
            const e = await evaluate(options);
            assert.ifError(e.error);
            assert.ok(Object.keys(e.componentOutputs).length > 20, "components registered their outputs");
            assert.deepStrictEqual(await offences(e, seen), []);
        });
    }

    it("lists no plain-safe output the program does not register (the table is current)", () => {
        const listed = Object.entries(PLAIN_SAFE).flatMap(([type, names]) => names.map((n) => `${type} ${n}`));
        assert.deepStrictEqual(
            listed.filter((l) => !seen.has(l)),
            [],
        );
    });
});
