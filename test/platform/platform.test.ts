import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { expectedStack } from "../support/expectedStacks";
import {
    Evaluation,
    byType,
    evaluate,
    findResource,
    promiseOf,
    unwrap,
    urnName,
    changedResources,
    inputsByUrn,
    contractByType,
} from "../support/evaluate";
import { AGENT_ROWS } from "../support/agents";
import {
    GCP_SECRET as SECRET,
    GCP_SECRET_VERSION as VERSION,
    GCP_SECRET_IAM_MEMBER as IAM_MEMBER,
    RANDOM_PASSWORD as PASSWORD,
    ROTATING,
} from "../support/types";
import { GCP_SQL_INSTANCE, GCP_PROJECT_IAM_MEMBER } from "../support/types";

for (const stack of ["dev", "prod"]) {
    describe(`platform (${stack} stack)`, () => {
        let e: Evaluation;
        before(async () => {
            e = await evaluate({ stack });
            assert.ifError(e.error);
        });

        it("registers every resource once (no URN collisions)", () => {
            const urns = e.resources.map((r) => r.urn);
            assert.strictEqual(new Set(urns).size, urns.length);
        });

        it("stores exactly the secrets the stack's features need, one Secret and one version each", () => {
            const p = e.platform!;
            const expected = [...expectedStack(stack).secrets, ...AGENT_ROWS[stack]];
            // Derived secrets are stored once the resources they derive from exist, so after the rest.
            assert.deepStrictEqual(
                contractByType(e, SECRET)
                    .map((r) => r.name)
                    .sort(),
                [...expected].sort(),
            );
            // Versions register once their Secret's id resolves, so their order is not the contract's.
            assert.deepStrictEqual(
                contractByType(e, VERSION)
                    .map((r) => r.name)
                    .sort(),
                expected.map((k) => `${k}-version`).sort(),
            );
            for (const key of expected) {
                const secret = findResource(e, SECRET, key);
                assert.strictEqual(secret.inputs.secretId, `${p.config.secretPrefix}-${key}`);
                assert.strictEqual(secret.inputs.project, p.config.gcp.project);
                assert.deepStrictEqual(Object.keys(secret.inputs.labels).sort(), ["component", "environment", "managed-by"]);
                assert.strictEqual(secret.inputs.labels.environment, stack);
                assert.strictEqual(urnName(secret.parent), key, "the Secret is a child of its component");
            }
        });

        it("keeps every value a secret: each value handed to the backend is a Pulumi secret, and is written", async () => {
            // The provider SDK wraps secretData itself, so an envelope there would prove nothing.
            const p = e.platform!;
            assert.deepStrictEqual(
                contractByType(e, VERSION)
                    .map((v) => v.name)
                    .sort(),
                Object.keys(p.stored)
                    .map((k) => `${k}-version`)
                    .sort(),
            );
            for (const key of Object.keys(p.stored)) {
                assert.ok(await pulumi.isSecret(p.values[key]), `${key}: the value is not a Pulumi secret`);
                assert.strictEqual(unwrap(findResource(e, VERSION, `${key}-version`).inputs.secretData), await promiseOf(p.values[key]));
            }
        });

        it("gives LiteLLM's master key the sk- prefix and the configured length", () => {
            const data = unwrap(findResource(e, VERSION, "litellm-master-key-version").inputs.secretData);
            assert.match(data, /^sk-[A-Za-z0-9]{48}$/);
        });

        it("makes the oauth2-proxy cookie secret 32 bytes, URL-safe", () => {
            const data: string = unwrap(findResource(e, VERSION, "oauth2-proxy-cookie-secret-version").inputs.secretData);
            assert.match(data, /^[A-Za-z0-9_-]+$/);
            assert.strictEqual(Buffer.from(data, "base64url").length, 32);
        });

        it("grants each principal exactly the secrets its consumers name, one member per secret", () => {
            const expected = new Map(Object.entries(expectedStack(stack).grants));
            const members = contractByType(e, IAM_MEMBER);
            let total = 0;
            assert.ok(expected.size > 0);
            for (const [principal, keys] of expected) {
                const mine = members.filter((m) => m.name.startsWith(`${principal}-access-`));
                assert.deepStrictEqual(
                    mine.map((m) => m.name).sort(),
                    keys.map((k) => `${principal}-access-${k}`),
                );
                for (const m of mine) {
                    assert.strictEqual(m.inputs.role, "roles/secretmanager.secretAccessor");
                    assert.match(m.inputs.member, /^serviceAccount:/);
                    // Account ids: <env>-<principal>, a namespace's store account <env>-eso-<namespace>.
                    assert.match(m.inputs.member, new RegExp(principal.replace(/^external-secrets-/, "eso-")));
                }
                total += keys.length;
            }
            assert.strictEqual(members.length, total);
            // The Cloud Run service reads its env vars' secrets and nothing else.
            assert.ok(!expected.get("cloudrun-litellm")?.includes("dex-admin-password"));
        });

        it("never binds authoritatively, and grants at project level only Cloud SQL client on one instance", () => {
            const forbidden = e.resources.filter((r) => /IamBinding|IamPolicy|iAMBinding|iAMPolicy/.test(r.type));
            assert.deepStrictEqual(
                forbidden.map((r) => `${r.type} ${r.name}`),
                [],
            );
            // Cloud SQL has no per-instance IAM: the connector's role exists only on the project,
            // so the one project grant carries a condition naming the instance.
            const projectGrants = byType(e, GCP_PROJECT_IAM_MEMBER);
            assert.deepStrictEqual(
                projectGrants.map((r) => [r.name, r.inputs.role]),
                [["cloudrun-litellm-cloudsql-client", "roles/cloudsql.client"]],
            );
            const instance = findResource(e, GCP_SQL_INSTANCE, "litellm-db");
            assert.strictEqual(
                projectGrants[0].inputs.condition.expression,
                `resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "projects/${e.platform!.config.gcp.project}/instances/${instance.inputs.name}"`,
            );
        });

        it("exports names, ids and versions, never a value", () => {
            // Settings (a user name) are stored beside secrets but are not secret themselves.
            const secretKeys = e.platform!.active.filter((a) => a.spec.source.kind !== "setting").map((a) => a.spec.key);
            const outputs = JSON.stringify(e.outputs);
            for (const key of secretKeys) {
                const value = String(unwrap(findResource(e, VERSION, `${key}-version`).inputs.secretData));
                assert.ok(!outputs.includes(value), `the value of ${key} is in the stack outputs`);
            }
            assert.strictEqual(Object.keys(e.outputs.secretIds.value as object).length, e.platform!.active.length);
        });

        it("evaluates to identical inputs a second time", async () => {
            const again = await evaluate({ stack });
            assert.deepStrictEqual(inputsByUrn(again), inputsByUrn(e));
        });
    });
}

describe("platform protections", () => {
    let dev: Evaluation;
    let prod: Evaluation;
    before(async () => {
        dev = await evaluate({ stack: "dev" });
        prod = await evaluate({ stack: "prod" });
    });

    it("protects prod secrets (Pulumi and API) and keeps replaced versions disabled", () => {
        for (const s of byType(prod, SECRET)) {
            assert.strictEqual(s.protect, true, s.name);
            assert.strictEqual(s.inputs.deletionProtection, true, s.name);
        }
        for (const v of byType(prod, VERSION)) {
            assert.strictEqual(v.inputs.deletionPolicy, "DISABLE", v.name);
        }
        assert.ok(findResource(prod, PASSWORD, "litellm-salt-key").protect, "the salt key's value is protected");
    });

    it("keeps dev disposable", () => {
        assert.ok(byType(dev, SECRET).every((s) => !s.protect && s.inputs.deletionProtection === false));
        assert.ok(byType(dev, VERSION).every((v) => v.inputs.deletionPolicy === "DELETE"));
    });

    it("replicates automatically in dev and to the configured regions in prod", () => {
        assert.deepStrictEqual(findResource(dev, SECRET, "ui-password").inputs.replication, { auto: {} });
        assert.deepStrictEqual(findResource(prod, SECRET, "ui-password").inputs.replication, {
            userManaged: { replicas: [{ location: "europe-west4" }, { location: "europe-west1" }] },
        });
    });
});

describe("rotation", () => {
    const changed = changedResources;

    it("bumping one generation changes exactly that value, its version, its clock and the service that reads it", async () => {
        const base = await evaluate({ stack: "dev" });
        const bumped = await evaluate({ stack: "dev", set: { rotations: { "vllm-api-key": 1 } } });
        assert.ifError(bumped.error);
        // The value and its version; LiteLLM on Cloud Run pins the version, so a new revision
        // rolls; on Kubernetes, the ExternalSecrets pinning that version and the one installed
        // workload reading it (LiteLLM; vLLM is deployed elsewhere).
        // The bump also restarts the key's rotation clock.
        assert.deepStrictEqual(
            changed(base, bumped)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "gcp:cloudrunv2/service:Service litellm",
                `${VERSION} vllm-api-key-version`,
                "kubernetes:external-secrets.io/v1:ExternalSecret litellm/litellm-secrets",
                "kubernetes:external-secrets.io/v1:ExternalSecret serving/vllm-api-key",
                "kubernetes:helm.sh/v3:Release litellm",
                `${PASSWORD} vllm-api-key`,
                `${ROTATING} vllm-api-key-rotation`,
            ],
        );
        assert.notStrictEqual(
            unwrap(findResource(base, VERSION, "vllm-api-key-version").inputs.secretData),
            unwrap(findResource(bumped, VERSION, "vllm-api-key-version").inputs.secretData),
        );
        assert.deepStrictEqual(findResource(bumped, PASSWORD, "vllm-api-key").inputs.keepers, { generation: "1" });
    });

    it("rotating the Dex admin password re-salts and re-hashes it, and touches nothing else", async () => {
        const base = await evaluate({ stack: "dev" });
        const bumped = await evaluate({ stack: "dev", set: { rotations: { "dex-admin-password": 2 } } });
        assert.deepStrictEqual(
            changed(base, bumped)
                .map((r) => r.name)
                .sort(),
            [
                "dex-admin-hash-salt",
                "dex-admin-hash-version",
                "dex-admin-password",
                "dex-admin-password-rotation",
                "dex-admin-password-version",
                // Dex's Secret pins the hash's new version; Dex itself is not installed here.
                "dex/dex-secrets",
            ],
        );
    });
});
