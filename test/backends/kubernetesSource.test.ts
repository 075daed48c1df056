import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { EXTERNAL_SECRETS } from "../../components/platform";
import { expectedStack } from "../support/expectedStacks";
import { Evaluation, byType, evaluate, findResource, promiseOf, unwrap, urnName } from "../../scripts/lib/evaluate";
import { BACKEND_CONFIG, changed, resolved, snapshot, storeSpecValidator, valueLeaks } from "./support";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const SECRET = "kubernetes:core/v1:Secret";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const PASSWORD = "random:index/randomPassword:RandomPassword";

const READER = { kind: "ServiceAccount", name: "secret-reader", namespace: "secret-source" };

describe("kubernetes source-namespace backend (prod, kubernetes target)", () => {
    let e: Evaluation;
    let esoKeys: string[];
    before(async () => {
        e = await evaluate({ stack: "prod", set: BACKEND_CONFIG.kubernetes });
        assert.ifError(e.error);
        esoKeys = [...expectedStack("prod").grants[EXTERNAL_SECRETS]];
    });

    it("registers every resource once, and nothing of a cloud", () => {
        const urns = e.resources.map((r) => r.urn);
        assert.strictEqual(new Set(urns).size, urns.length);
        assert.deepStrictEqual(e.resources.filter((r) => /^(gcp|aws|vault):/.test(r.type)).map((r) => r.name), []);
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
        assert.deepStrictEqual(byType(e, SECRET).map((r) => r.name).sort(), p.active.map((a) => a.spec.key).sort());
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

    it("lets the reader get exactly the Secrets ESO's consumers need, in the source namespace only", () => {
        const roles = byType(e, ROLE);
        assert.deepStrictEqual(roles.map((r) => r.name), [`${EXTERNAL_SECRETS}-access`]);
        assert.strictEqual(roles[0].inputs.metadata.namespace, "secret-source");
        // get by name only: list and watch cannot be limited by name and would expose every value.
        const [rule] = roles[0].inputs.rules;
        assert.deepStrictEqual({ ...rule, resourceNames: [...rule.resourceNames].sort() }, { apiGroups: [""], resources: ["secrets"], resourceNames: esoKeys, verbs: ["get"] });
        assert.strictEqual(roles[0].inputs.rules.length, 1);
        assert.ok(!esoKeys.includes("dex-admin-password"), "no consumer reads the Dex admin password");
        const bindings = byType(e, ROLE_BINDING);
        assert.deepStrictEqual(bindings.map((b) => b.name), [`${EXTERNAL_SECRETS}-access`]);
        assert.strictEqual(bindings[0].inputs.metadata.namespace, "secret-source");
        assert.deepStrictEqual(bindings[0].inputs.roleRef, {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Role",
            name: roles[0].inputs.metadata.name,
        });
        assert.deepStrictEqual(bindings[0].inputs.subjects, [READER]);
    });

    it("lets the reader create rules reviews (ESO's store check) and nothing else cluster-wide", () => {
        const clusterRoles = byType(e, CLUSTER_ROLE);
        assert.strictEqual(clusterRoles.length, 1);
        assert.deepStrictEqual(clusterRoles[0].inputs.rules, [
            { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectrulesreviews"], verbs: ["create"] },
        ]);
        const bindings = byType(e, CLUSTER_ROLE_BINDING);
        assert.strictEqual(bindings.length, 1);
        assert.strictEqual(bindings[0].inputs.roleRef.name, clusterRoles[0].inputs.metadata.name);
        assert.deepStrictEqual(bindings[0].inputs.subjects, [READER]);
    });

    it("makes the reader a token-less service account in the source namespace", async () => {
        const accounts = byType(e, SERVICE_ACCOUNT);
        assert.strictEqual(accounts.length, 1);
        assert.deepStrictEqual(
            { name: accounts[0].inputs.metadata.name, namespace: accounts[0].inputs.metadata.namespace },
            { name: READER.name, namespace: READER.namespace },
        );
        assert.strictEqual(accounts[0].inputs.automountServiceAccountToken, false);
        const access = e.platform!.externalSecrets!;
        assert.strictEqual(await resolved(access.principal.member), "system:serviceaccount:secret-source:secret-reader");
        assert.deepStrictEqual(await resolved(access.serviceAccountAnnotations), {});
    });

    it("gives a store block the ClusterSecretStore v1 schema accepts", async () => {
        const provider = await resolved(e.platform!.externalSecrets!.storeProvider);
        assert.deepStrictEqual(provider, {
            kubernetes: {
                remoteNamespace: "secret-source",
                server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt", namespace: "secret-source" } },
                auth: { serviceAccount: { name: "secret-reader", namespace: "secret-source" } },
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

    it("keeps every value secret and only in the field made to hold it", async () => {
        assert.deepStrictEqual(await valueLeaks(e), []);
    });

    it("exports no value, and the same inputs on a second run", async () => {
        const outputs = JSON.stringify(e.outputs);
        for (const { spec } of e.platform!.active.filter((a) => a.spec.source.kind !== "setting")) {
            const value = unwrap(findResource(e, SECRET, spec.key).inputs.stringData).value;
            assert.ok(!outputs.includes(value), `the value of ${spec.key} is in the stack outputs`);
        }
        const again = await evaluate({ stack: "prod", set: BACKEND_CONFIG.kubernetes });
        assert.deepStrictEqual(snapshot(again), snapshot(e));
    });

    it("rotates one value: a generation bump rewrites one Secret and moves only its version", async () => {
        const bumped = await evaluate({ stack: "prod", set: { ...BACKEND_CONFIG.kubernetes, rotations: { "vllm-api-key": 1 } } });
        assert.ifError(bumped.error);
        // This provider has no versions: ExternalSecrets stay as they are, and the release reading the
        // value rolls on its version digest. The bump also restarts the key's rotation clock.
        assert.deepStrictEqual(changed(e, bumped).sort(), ["time:index/rotating:Rotating vllm-api-key-rotation", `${PASSWORD} vllm-api-key`, `${SECRET} vllm-api-key`, "kubernetes:helm.sh/v3:Release litellm"].sort());
        const versions = (x: Evaluation) => x.outputs.secretVersions.value as Record<string, string>;
        assert.deepStrictEqual(Object.keys(versions(e)).filter((k) => versions(e)[k] !== versions(bumped)[k]), ["vllm-api-key"]);
    });

    it("keeps the dev stack disposable", async () => {
        const dev = await evaluate({ stack: "dev", set: BACKEND_CONFIG.kubernetes });
        assert.ifError(dev.error);
        assert.ok(byType(dev, SECRET).length > 0);
        assert.ok([...byType(dev, SECRET), ...byType(dev, NAMESPACE)].every((r) => !r.protect));
    });
});
