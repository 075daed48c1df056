import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import * as kv from "@pulumi/vault/kv";

import { Evaluation, byType, evaluate, findResource, promiseOf, unwrap, urnName } from "../support/evaluate";
import {
    BACKEND_CONFIG,
    MONITORING_KEYS,
    STORE_READER_NAME,
    changed,
    VLLM_KEY_PINNED_READERS,
    fetchedByNamespace,
    resolved,
    storeSpecValidator,
} from "./support";
import { VAULT_POLICY as POLICY, VAULT_K8S_AUTH_ROLE as AUTH_ROLE, RANDOM_PASSWORD as PASSWORD } from "../support/types";

const ENTRY = "vault:kv/secretV2:SecretV2";

/** The paths a Vault policy grants, and what each block allows; fails on anything else in it. */
function policyBlocks(hcl: string): { path: string; capabilities: string[] }[] {
    const block = /path "([^"]+)" \{\s*capabilities = \[([^\]]*)\]\s*\}/g;
    const blocks = [...hcl.matchAll(block)].map((m) => ({
        path: m[1],
        capabilities: m[2].split(",").map((c) => c.trim().replace(/"/g, "")),
    }));
    assert.strictEqual(hcl.replace(block, "").trim(), "", "the policy holds something other than path blocks");
    return blocks;
}

describe("vault backend (prod, kubernetes target)", () => {
    let e: Evaluation;
    let esoKeys: string[];
    before(async () => {
        e = await evaluate({ stack: "prod", set: BACKEND_CONFIG.vault });
        assert.ifError(e.error);
        // Every key some store reads, by the paths the rendered ExternalSecrets fetch.
        esoKeys = [...new Set([...fetchedByNamespace(e).values()].flat())].map((path) => path.replace("prod/", ""));
    });

    it("registers nothing of Google Cloud", () => {
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type.startsWith("gcp:")).map((r) => r.name),
            [],
        );
    });

    it("writes each active secret to MOUNT/ENV/<key> as {value}, kept secret, protected, every version kept", async () => {
        const p = e.platform!;
        // Entries register once their value resolves, so their order is not the contract's.
        assert.deepStrictEqual(
            byType(e, ENTRY)
                .map((r) => r.name)
                .sort(),
            p.active.map((a) => a.spec.key).sort(),
        );
        for (const { spec } of p.active) {
            const entry = findResource(e, ENTRY, spec.key);
            assert.strictEqual(entry.inputs.mount, "secret");
            assert.strictEqual(entry.inputs.name, `prod/${spec.key}`);
            // The SDK wraps dataJson itself: what can fail is the value handed over being a Pulumi secret.
            assert.ok(await pulumi.isSecret(p.values[spec.key]), `${spec.key}: the value is not a Pulumi secret`);
            assert.deepStrictEqual(JSON.parse(unwrap(entry.inputs.dataJson)), { value: await promiseOf(p.values[spec.key]) });
            assert.strictEqual(entry.inputs.deleteAllVersions, false);
            assert.strictEqual(entry.protect, true);
            assert.deepStrictEqual(entry.inputs.customMetadata, {
                data: { environment: "prod", component: spec.component, "managed-by": "pulumi" },
            });
            assert.strictEqual(urnName(entry.parent), spec.key);
            assert.strictEqual(await promiseOf(p.stored[spec.key].backendId), `secret/prod/${spec.key}`);
        }
    });

    it("writes one policy per namespace that reads exactly the paths of the entries its Secrets fetch", () => {
        const fetched = fetchedByNamespace(e);
        // The guide's table: Grafana's namespace needs exactly its two keys, never LiteLLM's master key.
        assert.deepStrictEqual(fetched.get("monitoring"), MONITORING_KEYS.map((k) => `prod/${k}`).sort());
        const policies = byType(e, POLICY);
        assert.deepStrictEqual(policies.map((r) => r.name).sort(), [...fetched.keys()].map((ns) => `external-secrets-${ns}-access`).sort());
        for (const [ns, paths] of fetched) {
            const policy = findResource(e, POLICY, `external-secrets-${ns}-access`);
            assert.strictEqual(policy.inputs.name, `llm-prod-external-secrets-${ns}`);
            const blocks = policyBlocks(policy.inputs.policy);
            // Expected paths come from what was written (mount and name of each entry), not from config.
            const expected = paths.map((path) => {
                const entry = findResource(e, ENTRY, path.replace("prod/", ""));
                return `${entry.inputs.mount}/data/${entry.inputs.name}`;
            });
            assert.deepStrictEqual(blocks.map((b) => b.path).sort(), expected.sort(), ns);
            assert.ok(blocks.every((b) => b.capabilities.length === 1 && b.capabilities[0] === "read"));
            assert.ok(!blocks.some((b) => b.path.endsWith("/dex-admin-password")), "no consumer reads the Dex admin password");
        }
    });

    it("binds one Kubernetes auth role per namespace to that namespace's store service account only", async () => {
        const fetched = fetchedByNamespace(e);
        const roles = byType(e, AUTH_ROLE);
        assert.deepStrictEqual(roles.map((r) => r.name).sort(), [...fetched.keys()].map((ns) => `external-secrets-${ns}`).sort());
        for (const ns of fetched.keys()) {
            assert.deepStrictEqual(findResource(e, AUTH_ROLE, `external-secrets-${ns}`).inputs, {
                backend: "kubernetes",
                roleName: `llm-prod-external-secrets-${ns}`,
                boundServiceAccountNames: [STORE_READER_NAME],
                boundServiceAccountNamespaces: [ns],
                audience: "vault",
                tokenPolicies: [findResource(e, POLICY, `external-secrets-${ns}-access`).inputs.name],
                tokenTtl: 900,
                tokenMaxTtl: 900,
            });
        }
        assert.deepStrictEqual(await resolved(e.platform!.stores.monitoring.serviceAccountAnnotations), {});
    });

    it("gives each namespace a store block the SecretStore v1 schema accepts, matching its auth role", async () => {
        const provider = await resolved(e.platform!.stores.monitoring.storeProvider);
        assert.deepStrictEqual(provider, {
            vault: {
                server: "https://vault.example.com:8200",
                path: "secret",
                version: "v2",
                auth: {
                    kubernetes: {
                        mountPath: "kubernetes",
                        role: "llm-prod-external-secrets-monitoring",
                        serviceAccountRef: { name: STORE_READER_NAME, audiences: ["vault"] },
                    },
                },
            },
        });
        assert.deepStrictEqual(storeSpecValidator()({ provider }), []);
    });

    it("references each entry below the mount, property `value`, pinned to the KV version written", async () => {
        const p = e.platform!;
        for (const key of esoKeys) {
            const ref = await resolved(p.backend.reference(p.stored[key]) as object);
            // The entry's metadata, as Vault reports it after the write.
            const entry = p.stored[key].dependencies[0] as kv.SecretV2;
            assert.ok(entry instanceof kv.SecretV2);
            const written = (await promiseOf(entry.metadata)).version;
            assert.match(written, /^[0-9]+$/);
            assert.deepStrictEqual(ref, { key: `prod/${key}`, property: "value", version: written });
        }
    });

    it("rotates one value: a generation bump rewrites one entry and touches nothing else", async () => {
        const bumped = await evaluate({ stack: "prod", set: { ...BACKEND_CONFIG.vault, rotations: { "vllm-api-key": 1 } } });
        assert.ifError(bumped.error);
        // The bump also restarts the key's rotation clock.
        assert.deepStrictEqual(
            changed(e, bumped).sort(),
            [
                "time:index/rotating:Rotating vllm-api-key-rotation",
                `${PASSWORD} vllm-api-key`,
                `${ENTRY} vllm-api-key`,
                ...VLLM_KEY_PINNED_READERS,
            ].sort(),
        );
        const versions = (x: Evaluation) => x.outputs.secretVersions.value as Record<string, string>;
        const moved = Object.keys(versions(e)).filter((k) => versions(e)[k] !== versions(bumped)[k]);
        assert.deepStrictEqual(moved, ["vllm-api-key"]);
        const ref = (x: Evaluation) => resolved(x.platform!.backend.reference(x.platform!.stored["vllm-api-key"]) as object);
        assert.notDeepStrictEqual(await ref(bumped), await ref(e));
    });
});
