/**
 * What every backend must do, checked the same way on each: the real program evaluated on prod
 * with the backend under test and one Kubernetes-only configuration, so that every backend keeps
 * the same secrets for the same readers. The backends are a hand-kept list, not the program's
 * registry, and every expectation comes from the hand-kept tables (test/fixtures/expected-stacks.yaml,
 * the seed-contract fixtures through test/contract/seedExpectations.ts, the ESO CRD) or from each
 * backend's documented naming (docs/backends.md), never from the code under test. What only one
 * backend does is tested in that backend's own file.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { Evaluation, PROJECT_DIR, RecordedResource, byType, evaluate, promiseOf, unwrap } from "../support/evaluate";
import { expectedStack } from "../support/expectedStacks";
import {
    AWS_IAM_ROLE_POLICY,
    AWS_SECRET,
    AWS_SECRET_VERSION,
    GCP_SECRET,
    GCP_SECRET_IAM_MEMBER,
    GCP_SECRET_VERSION,
    K8S_NAMESPACE,
    K8S_SECRET,
    K8S_SERVICE_ACCOUNT,
    VAULT_K8S_AUTH_ROLE,
    VAULT_POLICY,
} from "../support/types";
import {
    BACKEND_NAMING,
    GUIDE_ROW_FEATURES,
    LLMTRACE_FEATURES,
    SECRET_ADDITIONS,
    guideSecretRows,
    llmtraceRows,
    slot,
} from "../contract/seedExpectations";
import { BACKEND_CONFIG, KUBERNETES_ONLY, changed, snapshot, storeSpecValidator, valueLeaks } from "./support";

const STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const VAULT_ENTRY = "vault:kv/secretV2:SecretV2";
const K8S_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const K8S_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
/** The Kubernetes backend's source namespace on prod (its config default, docs/backends.md). */
const SOURCE_NAMESPACE = "secret-source";

/** What the suite must know of one backend to read the plan: hand-kept, from its docs and its cloud's API. */
interface Backend {
    /** Stack config on top of Pulumi.prod.yaml. */
    readonly set: Record<string, unknown>;
    /** Resources that hold one secret each (several types: the secret and its version). */
    readonly holders: readonly string[];
    /** The one of `holders` whose id is the backend id, and that id from its inputs. */
    readonly named: string;
    readonly idOf: (r: RecordedResource) => string;
    /** What the backend id of a key is on prod (docs/backends.md, "Naming"). */
    readonly prefix: string;
    /** The resource `named` a rotation rewrites: the one holding the value. */
    readonly valueHolder: (key: string) => string;
    /** Inputs that keep data on prod, by holder type (beside `protect`). */
    readonly keeps: Readonly<Record<string, Record<string, unknown>>>;
    /** The same inputs on dev, a disposable stack: nothing stays behind a `pulumi destroy`. */
    readonly disposable: Readonly<Record<string, Record<string, unknown>>>;
    /** Per namespace, the backend ids its store's reader may read, followed from the store to its grants. */
    readonly readable: (e: Evaluation, store: RecordedResource) => Promise<string[]>;
}

const one = <T>(xs: readonly T[], what: string): T => {
    assert.strictEqual(xs.length, 1, `expected one ${what}, found ${xs.length}`);
    return xs[0];
};
/** The store reader's service account in the store's namespace. */
const readerOf = (e: Evaluation, store: RecordedResource, name: string): RecordedResource =>
    one(
        byType(e, K8S_SERVICE_ACCOUNT).filter(
            (r) => r.inputs.metadata.namespace === store.inputs.metadata.namespace && r.inputs.metadata.name === name,
        ),
        `service account ${name}`,
    );
/** A secret's name from its ARN: AWS appends `-` and six random characters (Secrets Manager's ARN format). */
const awsNameOf = (arn: string): string => /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn)?.[1] ?? `not an ARN: ${arn}`;

const { alertEmail: _, ...withoutAlertEmail } = KUBERNETES_ONLY;

const BACKENDS: Readonly<Record<string, Backend>> = {
    "gcp-secret-manager": {
        // Prod's alerts watch Secret Manager and must reach a person: prod's own address stays.
        set: { backend: "gcp-secret-manager", ...withoutAlertEmail },
        holders: [GCP_SECRET, GCP_SECRET_VERSION],
        named: GCP_SECRET,
        idOf: (r) => r.inputs.secretId,
        prefix: "llm-prod-",
        valueHolder: (key) => `${GCP_SECRET_VERSION} ${key}-version`,
        keeps: { [GCP_SECRET]: { deletionProtection: true }, [GCP_SECRET_VERSION]: { deletionPolicy: "DISABLE" } },
        disposable: { [GCP_SECRET]: { deletionProtection: false }, [GCP_SECRET_VERSION]: { deletionPolicy: "DELETE" } },
        readable: async (e, store) => {
            // Workload Identity: the reader's annotation names the Google account the grants name.
            const sa = store.inputs.spec.provider.gcpsm.auth.workloadIdentity.serviceAccountRef.name;
            const email = readerOf(e, store, sa).inputs.metadata.annotations["iam.gke.io/gcp-service-account"];
            return byType(e, GCP_SECRET_IAM_MEMBER)
                .filter((r) => r.inputs.member === `serviceAccount:${email}` && r.inputs.role === "roles/secretmanager.secretAccessor")
                .map((r) => r.inputs.secretId);
        },
    },
    "aws-secrets-manager": {
        set: BACKEND_CONFIG.aws,
        holders: [AWS_SECRET, AWS_SECRET_VERSION],
        named: AWS_SECRET,
        idOf: (r) => r.inputs.name,
        prefix: "app/prod/llm/",
        valueHolder: (key) => `${AWS_SECRET_VERSION} ${key}-version`,
        // Recoverable for Secrets Manager's default window after a delete.
        keeps: { [AWS_SECRET]: { recoveryWindowInDays: 30 } },
        // Deleted at once, so the name is free for the next stack.
        disposable: { [AWS_SECRET]: { recoveryWindowInDays: 0 } },
        readable: async (e, store) => {
            // IRSA: the reader's annotation names the role whose policy lists the secrets.
            const sa = store.inputs.spec.provider.aws.auth.jwt.serviceAccountRef.name;
            const roleArn: string = readerOf(e, store, sa).inputs.metadata.annotations["eks.amazonaws.com/role-arn"];
            const policies = byType(e, AWS_IAM_ROLE_POLICY).filter((r) => r.inputs.role === roleArn.split("/").pop());
            return policies.flatMap((p) =>
                JSON.parse(p.inputs.policy)
                    .Statement.filter((s: { Action: string[] }) => [s.Action].flat().includes("secretsmanager:GetSecretValue"))
                    .flatMap((s: { Resource: string[] }) => [s.Resource].flat().map(awsNameOf)),
            );
        },
    },
    vault: {
        set: BACKEND_CONFIG.vault,
        holders: [VAULT_ENTRY],
        named: VAULT_ENTRY,
        idOf: (r) => r.inputs.name,
        prefix: "prod/",
        valueHolder: (key) => `${VAULT_ENTRY} ${key}`,
        // Deleting an entry only marks its latest version deleted: every version stays.
        keeps: { [VAULT_ENTRY]: { deleteAllVersions: false } },
        disposable: { [VAULT_ENTRY]: { deleteAllVersions: true } },
        readable: async (e, store) => {
            // Kubernetes auth: the store's role carries policies; each reads KV paths `<mount>/data/<path>`.
            const { mountPath, role } = store.inputs.spec.provider.vault.auth.kubernetes;
            const mount = store.inputs.spec.provider.vault.path;
            const authRole = one(
                byType(e, VAULT_K8S_AUTH_ROLE).filter((r) => r.inputs.roleName === role && r.inputs.backend === mountPath),
                `auth role ${role}`,
            );
            const policies = byType(e, VAULT_POLICY).filter((r) => authRole.inputs.tokenPolicies.includes(r.inputs.name));
            return policies.flatMap((p) =>
                [...String(p.inputs.policy).matchAll(/path "([^"]+)" \{\s*capabilities = \["read"\]\s*\}/g)].map((m) =>
                    m[1].replace(`${mount}/data/`, ""),
                ),
            );
        },
    },
    kubernetes: {
        set: BACKEND_CONFIG.kubernetes,
        holders: [K8S_SECRET],
        named: K8S_SECRET,
        idOf: (r) => r.inputs.metadata.name,
        prefix: "",
        valueHolder: (key) => `${K8S_SECRET} ${key}`,
        keeps: {},
        disposable: {},
        readable: async (e, store) => {
            // RBAC: Roles bound to the store's service account, in the source namespace, `get` by name.
            const { name } = store.inputs.spec.provider.kubernetes.auth.serviceAccount;
            const subject = { kind: "ServiceAccount", name, namespace: store.inputs.metadata.namespace };
            const bindings = byType(e, K8S_ROLE_BINDING).filter((b) =>
                b.inputs.subjects.some((s: object) => JSON.stringify(s) === JSON.stringify(subject)),
            );
            const roles = byType(e, K8S_ROLE).filter((r) =>
                bindings.some(
                    (b) => b.inputs.roleRef.name === r.inputs.metadata.name && b.inputs.metadata.namespace === r.inputs.metadata.namespace,
                ),
            );
            assert.ok(roles.every((r) => r.inputs.metadata.namespace === SOURCE_NAMESPACE));
            return roles.flatMap((r) =>
                r.inputs.rules
                    .filter((x: { verbs: string[] }) => x.verbs.includes("get"))
                    .flatMap((x: { resourceNames: string[] }) => x.resourceNames),
            );
        },
    },
};

/**
 * Rows of the prod stack that the Kubernetes-only configuration drops: they are derived from the
 * GCP runtime's Cloud SQL and Memorystore (gcpRuntime: false), which the cluster's LiteLLM does not use.
 */
const GCP_RUNTIME_ROWS = ["database-url", "redis-host", "redis-password", "redis-url"];
const expectedKeys = (stack: string): string[] =>
    expectedStack(stack)
        .secrets.filter((k) => !GCP_RUNTIME_ROWS.includes(k))
        .sort();
const EXPECTED_KEYS = expectedKeys("prod");

/** Per namespace, the backend keys its Secrets hold on prod: the guides' rows for Pulumi.prod.yaml's features. */
function expectedReads(): Map<string, string[]> {
    const stack = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
    const features = new Set<string>(stack.config["llm-platform-secrets:features"]);
    const rows = [
        ...guideSecretRows().map((row) => ({ row, needs: GUIDE_ROW_FEATURES[slot(row)] })),
        ...SECRET_ADDITIONS.map((a) => ({ row: a.row, needs: a.features })),
        ...llmtraceRows().map((row) => ({ row, needs: LLMTRACE_FEATURES as readonly string[] })),
    ];
    const reads = new Map<string, Set<string>>();
    for (const { row } of rows.filter((x) => x.needs.every((f) => features.has(f)))) {
        reads.set(row.namespace, (reads.get(row.namespace) ?? new Set()).add(row.backendKey));
    }
    return new Map([...reads].map(([ns, keys]) => [ns, [...keys].sort()]));
}

/** The key rotated below: one every stack generates, read on the cluster (the guide's vllm-api-key). */
const ROTATED = "vllm-api-key";

for (const name of ["gcp-secret-manager", "aws-secrets-manager", "vault", "kubernetes"]) {
    const backend = BACKENDS[name];
    describe(`every backend: ${name} (prod, kubernetes target)`, () => {
        let e: Evaluation;
        /** Resources of `type` that hold a secret (the Kubernetes backend's, in the source namespace only). */
        const holdersOf = (x: Evaluation, type: string) =>
            byType(x, type).filter((r) => type !== K8S_SECRET || r.inputs.metadata.namespace === SOURCE_NAMESPACE);
        const named = (x: Evaluation) => holdersOf(x, backend.named);
        before(async () => {
            e = await evaluate({ stack: "prod", set: backend.set });
            assert.ifError(e.error);
        });

        it("stores every secret of the stack exactly once, under the id its naming gives on prod", () => {
            const ids = named(e).map(backend.idOf);
            assert.deepStrictEqual([...ids].sort(), EXPECTED_KEYS.map((k) => `${backend.prefix}${k}`).sort());
            const urns = e.resources.map((r) => r.urn);
            assert.strictEqual(new Set(urns).size, urns.length, "a resource is registered twice");
        });

        it("keeps data on prod: every secret protected, and the backend's own guard on what holds it", () => {
            for (const type of backend.holders) {
                const holders = holdersOf(e, type);
                assert.strictEqual(holders.length, EXPECTED_KEYS.length, type);
                const kept = backend.keeps[type] ?? {};
                for (const r of holders) {
                    assert.deepStrictEqual(
                        Object.fromEntries(Object.keys(kept).map((k) => [k, unwrap(r.inputs[k])])),
                        kept,
                        `${type} ${r.name}`,
                    );
                    assert.ok(type !== backend.named || r.protect, `${type} ${r.name} is not protected`);
                }
            }
            for (const ns of byType(e, K8S_NAMESPACE).filter((r) => r.inputs.metadata.name === SOURCE_NAMESPACE)) {
                assert.strictEqual(ns.protect, true, "the source namespace: deleting it deletes every value");
            }
        });

        it("keeps nothing on dev: no secret protected, the backend's guard off, ids under dev's naming", async () => {
            const dev = await evaluate({ stack: "dev", set: backend.set });
            assert.ifError(dev.error);
            assert.deepStrictEqual(
                named(dev).map(backend.idOf).sort(),
                expectedKeys("dev").map((k) => `${BACKEND_NAMING[name].prefix}${k}`),
            );
            for (const type of backend.holders) {
                const disposable = backend.disposable[type] ?? {};
                for (const r of holdersOf(dev, type)) {
                    assert.deepStrictEqual(
                        Object.fromEntries(Object.keys(disposable).map((k) => [k, unwrap(r.inputs[k])])),
                        disposable,
                        `${type} ${r.name}`,
                    );
                    assert.strictEqual(r.protect, false, `${type} ${r.name}`);
                }
            }
            assert.ok(byType(dev, K8S_NAMESPACE).every((r) => r.inputs.metadata.name !== SOURCE_NAMESPACE || !r.protect));
        });

        it("writes no secret value outside a secret in the field made for it, nor in any stack output", async () => {
            assert.deepStrictEqual(await valueLeaks(e), []);
            // Not even a secret output: a value is read from the backend, never from the stack.
            const outputs = JSON.stringify(e.outputs);
            for (const key of EXPECTED_KEYS) {
                const value = await promiseOf(e.platform!.values[key]);
                assert.ok(value.length < 12 || !outputs.includes(value), `the value of ${key} is in the stack outputs`);
            }
        });

        it("gives every namespace's SecretStore a provider block the SecretStore v1 CRD schema accepts", () => {
            const stores = byType(e, STORE);
            assert.deepStrictEqual(stores.map((s) => s.inputs.metadata.namespace).sort(), [...expectedReads().keys()].sort());
            for (const store of stores) {
                assert.deepStrictEqual(storeSpecValidator()(unwrap(store.inputs.spec)), [], store.name);
            }
        });

        it("lets each namespace's reader read exactly the keys that namespace's Secrets hold (the guides' tables)", async () => {
            for (const [ns, keys] of expectedReads()) {
                const store = one(
                    byType(e, STORE).filter((s) => s.inputs.metadata.namespace === ns),
                    `store in ${ns}`,
                );
                const readable = await backend.readable(e, store);
                assert.deepStrictEqual([...readable].sort(), keys.map((k) => `${backend.prefix}${k}`).sort(), ns);
            }
        });

        it("moves the version of a secret when its value changes, and of no other", async () => {
            const again = await evaluate({ stack: "prod", set: backend.set });
            const bumped = await evaluate({ stack: "prod", set: { ...backend.set, rotations: { [ROTATED]: 1 } } });
            assert.ifError(bumped.error);
            const versions = async (x: Evaluation) =>
                Object.fromEntries(await Promise.all(EXPECTED_KEYS.map(async (k) => [k, await promiseOf(x.platform!.stored[k].version)])));
            const [before, same, after] = await Promise.all([versions(e), versions(again), versions(bumped)]);
            assert.deepStrictEqual(same, before, "a second run moved a version");
            assert.deepStrictEqual(
                EXPECTED_KEYS.filter((k) => after[k] !== before[k]),
                [ROTATED],
            );
            const rewritten = changed(e, bumped).filter((r) => backend.holders.some((t) => r.startsWith(`${t} `)));
            assert.deepStrictEqual(rewritten, [backend.valueHolder(ROTATED)]);
        });

        it("registers the same inputs and outputs on a second run", async () => {
            const again = await evaluate({ stack: "prod", set: backend.set });
            assert.deepStrictEqual(snapshot(again), snapshot(e));
            assert.deepStrictEqual(JSON.stringify(again.outputs), JSON.stringify(e.outputs));
        });
    });
}
