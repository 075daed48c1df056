/**
 * A consumer namespace reads only its own secrets (issue: per-namespace secret access), under
 * every backend: one SecretStore per namespace, each authenticating as that namespace's own
 * service account, bound to an identity of its own; nothing grants `get` on Secrets beyond it.
 * Expectations come from the rendered objects and hand-kept facts (the guide's store and reader
 * names, the Workload Identity member format), never from the program's grant helpers.
 */
import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { Evaluation, RecordedResource, byType, evaluate, findResource, promiseOf, unwrap } from "../support/evaluate";
import { BACKEND_CONFIG, MONITORING_KEYS, STORE_READER_NAME, fetchedByNamespace } from "../backends/support";
import { crdValidator } from "../support/k8sFixtures";
import {
    K8S_SERVICE_ACCOUNT as SERVICE_ACCOUNT,
    GCP_SERVICE_ACCOUNT_IAM_MEMBER as WI_MEMBER,
    GCP_SERVICE_ACCOUNT as GSA,
} from "../support/types";
import { GCP_SECRET_IAM_MEMBER } from "../support/types";

const storeCrd = crdValidator("external-secrets.io_secretstores.yaml", "v1");

const STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const RBAC = /^kubernetes:rbac\.authorization\.k8s\.io\/v1:(Cluster)?Role$/;

/** The guides' store name (../shared/seeds/004_*.txt: every ExternalSecret references `secret-store`). */
const STORE_NAME = "secret-store";

const cases: [string, string, Record<string, unknown>][] = [
    ["gcp-secret-manager", "dev", {}],
    ["gcp-secret-manager", "prod", {}],
    ["gcp-secret-manager, static credentials", "prod", { backendAccess: "static-credentials" }],
    ["aws-secrets-manager", "prod", BACKEND_CONFIG.aws],
    ["vault", "prod", BACKEND_CONFIG.vault],
    ["kubernetes", "prod", BACKEND_CONFIG.kubernetes],
];

/** Every string in an object that sits under a `namespace` key (a reference into another namespace). */
function namespaceRefs(v: unknown, at = ""): string[] {
    if (Array.isArray(v)) {
        return v.flatMap((x, i) => namespaceRefs(x, `${at}[${i}]`));
    }
    if (typeof v === "object" && v !== null) {
        return Object.entries(v).flatMap(([k, x]) => (k === "namespace" ? [`${at}.${k}`] : namespaceRefs(x, `${at}.${k}`)));
    }
    return [];
}

for (const [backend, stack, set] of cases) {
    describe(`per-namespace secret access (${backend}, ${stack})`, () => {
        let e: Evaluation;
        before(async () => {
            e = await evaluate({ stack, set });
            assert.ifError(e.error);
        });

        it("gives every namespace with ExternalSecrets one SecretStore named secret-store, and no ClusterSecretStore", () => {
            const namespaces = [...fetchedByNamespace(e).keys()];
            assert.ok(namespaces.length >= 5, namespaces.join(", "));
            assert.deepStrictEqual(
                byType(e, STORE)
                    .map((s) => `${s.inputs.metadata.namespace}/${s.inputs.metadata.name}`)
                    .sort(),
                namespaces.map((ns) => `${ns}/${STORE_NAME}`).sort(),
            );
            assert.deepStrictEqual(
                e.resources.filter((r) => r.type.endsWith(":ClusterSecretStore")).map((r) => r.name),
                [],
            );
            for (const r of byType(e, EXTERNAL_SECRET)) {
                assert.deepStrictEqual(r.inputs.spec.secretStoreRef, { kind: "SecretStore", name: STORE_NAME }, r.name);
            }
        });

        it("renders SecretStores the v1 CRD schema accepts, unknown fields refused", () => {
            for (const store of byType(e, STORE)) {
                assert.strictEqual(store.inputs.apiVersion, storeCrd.apiVersion);
                assert.strictEqual(store.inputs.kind, storeCrd.kind);
                assert.ok(storeCrd.validate(unwrap(store.inputs)), `${store.name}: ${JSON.stringify(storeCrd.validate.errors)}`);
            }
        });

        it("makes each store authenticate as its own namespace's token-less eso-reader, naming no other namespace", () => {
            for (const store of byType(e, STORE)) {
                const ns: string = store.inputs.metadata.namespace;
                const account = findResource(e, SERVICE_ACCOUNT, `${ns}/${STORE_NAME}-reader`);
                assert.deepStrictEqual([account.inputs.metadata.namespace, account.inputs.metadata.name], [ns, STORE_READER_NAME]);
                assert.strictEqual(account.inputs.automountServiceAccountToken, false);
                assert.ok(store.dependencies.includes(account.urn), `${ns}: the store waits for its service account`);
                // A namespaced store's references resolve in its own namespace; naming one is refused or ignored by ESO.
                assert.deepStrictEqual(namespaceRefs(unwrap(store.inputs.spec.provider)), [], ns);
                assert.ok(JSON.stringify(store.inputs.spec.provider).includes(`"${STORE_READER_NAME}"`) || backend.includes("static"), ns);
            }
        });

        it("gives each namespace an identity of its own: no two stores share a principal", async () => {
            const p = e.platform!;
            const members = await Promise.all(Object.values(p.stores).map((a) => promiseOf(pulumi.output(a.principal.member))));
            assert.strictEqual(new Set(members).size, members.length, members.join(", "));
            assert.strictEqual(members.length, fetchedByNamespace(e).size);
        });

        it("grants `get` on Secrets only by name, in a namespaced Role, and never list, watch or a wildcard", () => {
            const rules = e.resources
                .filter((r) => RBAC.test(r.type))
                .flatMap((r: RecordedResource) => (r.inputs.rules ?? []).map((rule: any) => ({ r, rule })));
            for (const { r, rule } of rules) {
                const onSecrets = (rule.resources ?? []).some((x: string) => x === "secrets" || x === "*");
                if (!onSecrets) {
                    continue;
                }
                assert.ok(!r.type.endsWith(":ClusterRole"), `${r.name}: a ClusterRole on Secrets`);
                assert.deepStrictEqual(rule.verbs, ["get"], r.name);
                assert.ok(Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0, `${r.name}: get on every Secret`);
            }
            if (backend === "kubernetes") {
                assert.ok(rules.length > 0, "the source backend's readers need Roles");
            }
        });

        it("leaves External Secrets Operator's own service account without any backend identity", () => {
            const values = unwrap(findResource(e, "kubernetes:helm.sh/v3:Release", "external-secrets").inputs.values);
            assert.strictEqual(values.serviceAccount.annotations, undefined);
            assert.strictEqual(values.processClusterStore, false);
        });
    });
}

describe("GKE Workload Identity binding (gcp-secret-manager)", () => {
    for (const stack of ["dev", "prod"]) {
        it(`binds roles/iam.workloadIdentityUser for exactly each store's eso-reader, each on its own account (${stack})`, async () => {
            const e = await evaluate({ stack });
            assert.ifError(e.error);
            // The project is the stack file's gcpProject; the member format is GKE's
            // (PROJECT.svc.id.goog[NAMESPACE/KSA]).
            const project = `llm-platform-${stack}`;
            const namespaces = [...fetchedByNamespace(e).keys()];
            const bindings = e.resources.filter((r) => r.type === WI_MEMBER && r.inputs.role === "roles/iam.workloadIdentityUser");
            assert.deepStrictEqual(
                bindings.map((b) => b.inputs.member).sort(),
                namespaces.map((ns) => `serviceAccount:${project}.svc.id.goog[${ns}/${STORE_READER_NAME}]`).sort(),
            );
            assert.ok(!bindings.some((b) => b.inputs.member.includes("[external-secrets/")), "ESO's own account is bound to nothing");
            for (const ns of namespaces) {
                const binding = findResource(e, WI_MEMBER, `external-secrets-${ns}-workload-identity`);
                assert.strictEqual(binding.inputs.member, `serviceAccount:${project}.svc.id.goog[${ns}/${STORE_READER_NAME}]`);
                const gsa = findResource(e, GSA, `external-secrets-${ns}`);
                const email = `${gsa.inputs.accountId}@${project}.iam.gserviceaccount.com`;
                assert.strictEqual(binding.inputs.serviceAccountId, `projects/${project}/serviceAccounts/${email}`);
                // The store's service account names that same account, which ESO impersonates.
                const ksa = findResource(e, SERVICE_ACCOUNT, `${ns}/${STORE_NAME}-reader`);
                assert.deepStrictEqual(ksa.inputs.metadata.annotations, { "iam.gke.io/gcp-service-account": email });
            }
        });
    }

    it("grants each namespace's account secretAccessor on exactly the secrets its ExternalSecrets fetch", async () => {
        const e = await evaluate({ stack: "prod" });
        assert.ifError(e.error);
        const fetched = fetchedByNamespace(e);
        // The guide's table: Grafana's namespace needs exactly its two keys, never LiteLLM's master key.
        assert.deepStrictEqual(fetched.get("monitoring"), MONITORING_KEYS.map((k) => `llm-prod-${k}`).sort());
        const grants = e.resources.filter((r) => r.type === GCP_SECRET_IAM_MEMBER);
        for (const [ns, ids] of fetched) {
            const gsa = findResource(e, GSA, `external-secrets-${ns}`);
            const member = `serviceAccount:${gsa.inputs.accountId}@llm-platform-prod.iam.gserviceaccount.com`;
            const mine = grants.filter((g) => g.inputs.member === member);
            assert.ok(
                mine.every((g) => g.inputs.role === "roles/secretmanager.secretAccessor"),
                ns,
            );
            assert.deepStrictEqual(mine.map((g) => g.inputs.secretId).sort(), ids, ns);
        }
    });

    it("binds nothing with static credentials, and creates no key (the operator makes secret-store-key)", async () => {
        const e = await evaluate({ stack: "prod", set: { backendAccess: "static-credentials" } });
        assert.ifError(e.error);
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type === WI_MEMBER).map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type === "gcp:serviceaccount/key:Key").map((r) => r.name),
            [],
        );
        const store = findResource(e, STORE, "monitoring/secret-store");
        // Secret name from the platform guide; data key from ESO's documentation.
        assert.deepStrictEqual(store.inputs.spec.provider, {
            gcpsm: {
                projectID: "llm-platform-prod",
                auth: { secretRef: { secretAccessKeySecretRef: { name: "secret-store-key", key: "secret-access-credentials" } } },
            },
        });
        const access = e.platform!.stores.monitoring;
        assert.deepStrictEqual(
            access.operatorSecrets.map((o) => `${o.namespace}/${o.name}[${o.keys.join(",")}]`),
            ["monitoring/secret-store-key[secret-access-credentials]"],
        );
    });
});
