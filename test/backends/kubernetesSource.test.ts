import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { Evaluation, byType, evaluate, findResource, promiseOf, unwrap, urnName } from "../support/evaluate";
import { BACKEND_CONFIG, MONITORING_KEYS, STORE_READER_NAME, changed, fetchedByNamespace, resolved, storeSpecValidator } from "./support";
import {
    K8S_NAMESPACE as NAMESPACE,
    K8S_SECRET as SECRET,
    K8S_SERVICE_ACCOUNT as SERVICE_ACCOUNT,
    RANDOM_PASSWORD as PASSWORD,
} from "../support/types";

const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";

/** The RBAC subject of a namespace's store: its `eso-reader` service account, in that namespace. */
const readerOf = (ns: string) => ({ kind: "ServiceAccount", name: STORE_READER_NAME, namespace: ns });

describe("kubernetes source-namespace backend (prod, kubernetes target)", () => {
    let e: Evaluation;
    let esoKeys: string[];
    before(async () => {
        e = await evaluate({ stack: "prod", set: BACKEND_CONFIG.kubernetes });
        assert.ifError(e.error);
        // Every key some store reads, by the names the rendered ExternalSecrets fetch.
        esoKeys = [...new Set([...fetchedByNamespace(e).values()].flat())];
    });

    it("registers nothing of a cloud", () => {
        assert.deepStrictEqual(
            e.resources.filter((r) => /^(gcp|aws|vault):/.test(r.type)).map((r) => r.name),
            [],
        );
    });

    it("creates the source namespace once, protected in prod", () => {
        // Consumer namespaces are created by the Kubernetes wiring; the source namespace once, here.
        const namespaces = byType(e, NAMESPACE).filter((n) => n.inputs.metadata.name === "secret-source");
        assert.strictEqual(namespaces.length, 1);
        assert.strictEqual(namespaces[0].inputs.metadata.name, "secret-source");
        assert.strictEqual(namespaces[0].protect, true);
    });

    it("keeps each active secret as one Opaque Secret named by its key, the value under `value`, kept secret", async () => {
        const p = e.platform!;
        assert.deepStrictEqual(
            byType(e, SECRET)
                .map((r) => r.name)
                .sort(),
            p.active.map((a) => a.spec.key).sort(),
        );
        for (const { spec } of p.active) {
            const secret = findResource(e, SECRET, spec.key);
            assert.strictEqual(secret.inputs.metadata.name, spec.key);
            assert.strictEqual(secret.inputs.metadata.namespace, "secret-source");
            assert.strictEqual(secret.inputs.metadata.labels["llm-platform-secrets/component"], spec.component);
            assert.strictEqual(secret.inputs.type, "Opaque");
            // The SDK wraps stringData itself: what can fail is the value handed over being a Pulumi secret.
            assert.ok(await pulumi.isSecret(p.values[spec.key]), `${spec.key}: the value is not a Pulumi secret`);
            assert.deepStrictEqual(unwrap(secret.inputs.stringData), { value: await promiseOf(p.values[spec.key]) });
            assert.strictEqual(secret.inputs.data, undefined);
            assert.strictEqual(secret.protect, true);
            assert.strictEqual(urnName(secret.parent), spec.key);
        }
    });

    it("lets each namespace's store reader get exactly the Secrets that namespace fetches, in the source namespace only", () => {
        const fetched = fetchedByNamespace(e);
        // The guide's table: Grafana's namespace needs exactly its two keys, never LiteLLM's master key.
        assert.deepStrictEqual(fetched.get("monitoring"), [...MONITORING_KEYS].sort());
        const roles = byType(e, ROLE);
        const bindings = byType(e, ROLE_BINDING);
        const expected = [...fetched.keys()].map((ns) => `external-secrets-${ns}-access`).sort();
        assert.deepStrictEqual(roles.map((r) => r.name).sort(), expected);
        assert.deepStrictEqual(bindings.map((r) => r.name).sort(), expected);
        for (const [ns, names] of fetched) {
            const role = findResource(e, ROLE, `external-secrets-${ns}-access`);
            assert.strictEqual(role.inputs.metadata.namespace, "secret-source");
            // get by name only: list and watch cannot be limited by name and would expose every value.
            assert.deepStrictEqual(role.inputs.rules.length, 1);
            const [rule] = role.inputs.rules;
            assert.deepStrictEqual(
                { ...rule, resourceNames: [...rule.resourceNames].sort() },
                {
                    apiGroups: [""],
                    resources: ["secrets"],
                    resourceNames: names,
                    verbs: ["get"],
                },
                ns,
            );
            const binding = findResource(e, ROLE_BINDING, `external-secrets-${ns}-access`);
            assert.strictEqual(binding.inputs.metadata.namespace, "secret-source");
            assert.deepStrictEqual(binding.inputs.roleRef, {
                apiGroup: "rbac.authorization.k8s.io",
                kind: "Role",
                name: role.inputs.metadata.name,
            });
            assert.deepStrictEqual(binding.inputs.subjects, [readerOf(ns)], ns);
        }
        assert.ok(!esoKeys.includes("dex-admin-password"), "no consumer reads the Dex admin password");
    });

    it("grants nothing cluster-wide (ESO's self review needs no grant: system:basic-user allows it)", () => {
        assert.deepStrictEqual(
            byType(e, CLUSTER_ROLE).map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            byType(e, CLUSTER_ROLE_BINDING).map((r) => r.name),
            [],
        );
    });

    it("makes each store reader a token-less service account in its own namespace, bound to no cloud identity", async () => {
        const fetched = fetchedByNamespace(e);
        const accounts = byType(e, SERVICE_ACCOUNT);
        assert.deepStrictEqual(
            accounts.map((a) => `${a.inputs.metadata.namespace}/${a.inputs.metadata.name}`).sort(),
            [...fetched.keys()].map((ns) => `${ns}/${STORE_READER_NAME}`).sort(),
        );
        for (const a of accounts) {
            assert.strictEqual(a.inputs.automountServiceAccountToken, false, a.name);
            assert.deepStrictEqual(a.inputs.metadata.annotations, {}, a.name);
        }
        const access = e.platform!.stores.monitoring;
        assert.strictEqual(await resolved(access.principal.member), "system:serviceaccount:monitoring:eso-reader");
    });

    it("gives each namespace a store block the SecretStore v1 schema accepts", async () => {
        const provider = await resolved(e.platform!.stores.monitoring.storeProvider);
        assert.deepStrictEqual(provider, {
            kubernetes: {
                remoteNamespace: "secret-source",
                server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
                auth: { serviceAccount: { name: STORE_READER_NAME } },
            },
        });
        assert.deepStrictEqual(storeSpecValidator()({ provider }), []);
    });

    it("references each Secret by name with property `value` (this provider has no versions)", async () => {
        const p = e.platform!;
        for (const key of esoKeys) {
            assert.deepStrictEqual(await resolved(p.backend.reference(p.stored[key]) as object), { key, property: "value" });
        }
    });

    it("rotates one value: a generation bump rewrites one Secret and moves only its version", async () => {
        const bumped = await evaluate({ stack: "prod", set: { ...BACKEND_CONFIG.kubernetes, rotations: { "vllm-api-key": 1 } } });
        assert.ifError(bumped.error);
        // This provider has no versions: ExternalSecrets stay as they are, and the release reading the
        // value rolls on its version digest. The bump also restarts the key's rotation clock.
        assert.deepStrictEqual(
            changed(e, bumped).sort(),
            [
                "time:index/rotating:Rotating vllm-api-key-rotation",
                `${PASSWORD} vllm-api-key`,
                `${SECRET} vllm-api-key`,
                "kubernetes:helm.sh/v3:Release litellm",
            ].sort(),
        );
        const versions = (x: Evaluation) => x.outputs.secretVersions.value as Record<string, string>;
        assert.deepStrictEqual(
            Object.keys(versions(e)).filter((k) => versions(e)[k] !== versions(bumped)[k]),
            ["vllm-api-key"],
        );
    });
});

describe("kubernetes source-namespace backend, values written by the operator (kubernetesSourceValues: operator)", () => {
    let e: Evaluation;
    before(async () => {
        e = await evaluate({ stack: "dev", set: { ...BACKEND_CONFIG.kubernetes, kubernetesSourceValues: "operator" } });
        assert.ifError(e.error);
    });

    it("writes, generates and keeps no value: no source Secret, no random value, no rotation clock", () => {
        const valueTypes = e.resources.filter((r) => r.type === SECRET || r.type.startsWith("random:") || r.type.startsWith("time:"));
        assert.deepStrictEqual(
            valueTypes.map((r) => `${r.type} ${r.name}`),
            [],
        );
        assert.deepStrictEqual(Object.keys(e.platform!.values), []);
        // The program still makes the namespace, the readers' grants and the stores.
        assert.strictEqual(byType(e, NAMESPACE).filter((n) => n.inputs.metadata.name === "secret-source").length, 1);
        assert.ok(byType(e, ROLE).length > 0);
    });

    it("still fetches every Secret by name with property `value`", () => {
        const fetched = fetchedByNamespace(e);
        assert.deepStrictEqual(fetched.get("monitoring"), [...MONITORING_KEYS].sort());
        for (const r of e.resources.filter((x) => x.type === "kubernetes:external-secrets.io/v1:ExternalSecret")) {
            for (const d of r.inputs.spec.data) {
                assert.deepStrictEqual(Object.keys(d.remoteRef).sort(), ["key", "property"], r.name);
                assert.strictEqual(d.remoteRef.property, "value");
            }
        }
    });

    it("needs no provided secret in config, and refuses a rotation bump it could not perform", async () => {
        // Prod's provided keys (Pulumi.prod.yaml), all removed: the operator puts those values in the source Secrets.
        const provided = ["anthropicApiKey", "langfusePublicKey", "langfuseSecretKey", "hfToken", "cloudflareApiToken"];
        const prod = await evaluate({
            stack: "prod",
            set: { ...BACKEND_CONFIG.kubernetes, kubernetesSourceValues: "operator" },
            unset: provided,
        });
        assert.ifError(prod.error);
        const bumped = await evaluate({
            stack: "dev",
            set: { ...BACKEND_CONFIG.kubernetes, kubernetesSourceValues: "operator", rotations: { "vllm-api-key": 1 } },
        });
        assert.match(String(bumped.error?.message), /rotations\.vllm-api-key: the operator writes the source values/);
    });
});
