import * as assert from "assert";

import { SECRET_ACCESS_LOG_TYPES } from "../../components/backends";
import { Evaluation, RecordedResource, byType, evaluate } from "../support/evaluate";
import { expectedStack } from "../support/expectedStacks";
import {
    GCP_AUDIT_CONFIG as AUDIT,
    GCP_SECRET as SECRET,
    RANDOM_PASSWORD as PASSWORD,
    RANDOM_BYTES as BYTES,
    GENERATED_SECRET as GENERATED,
    GCP_SQL_INSTANCE as INSTANCE,
    GCP_SQL_DATABASE as DATABASE,
    GCP_REDIS_INSTANCE as REDIS,
    K8S_NAMESPACE as NAMESPACE,
} from "../support/types";
import { GCP_SECRET_VERSION } from "../support/types";

/** How a resource survives `pulumi destroy` or a replacement, if it does. */
function guards(r: RecordedResource): string[] {
    return [
        ...(r.protect ? ["protect"] : []),
        ...(r.retainOnDelete ? ["retainOnDelete"] : []),
        ...(r.inputs.deletionProtection === true ? ["deletionProtection"] : []),
    ];
}

/**
 * Every guarded resource of an evaluation but the Kubernetes namespaces: `type name: guards`.
 * Namespaces are retained in every stack for another reason (they may hold workloads this
 * program does not own); a test of their own below.
 */
const guarded = (e: Evaluation): string[] =>
    e.resources
        .filter((r) => r.type !== NAMESPACE && guards(r).length > 0)
        .map((r) => `${r.type} ${r.name}: ${guards(r).join(", ")}`)
        .sort();

describe("data-loss guards", () => {
    let dev: Evaluation;
    let prod: Evaluation;
    before(async () => {
        dev = await evaluate({ stack: "dev" });
        prod = await evaluate({ stack: "prod" });
        assert.ifError(dev.error);
        assert.ifError(prod.error);
    });

    it("guards no data in dev: the stack tears down with one destroy", () => {
        assert.deepStrictEqual(guarded(dev), []);
        // Not vacuous: dev has the data a guard would cover, unguarded.
        const secrets = expectedStack("dev").secrets;
        assert.strictEqual(byType(dev, SECRET).filter((s) => secrets.includes(s.name)).length, secrets.length);
        assert.strictEqual(byType(dev, INSTANCE).length, 1);
        assert.strictEqual(byType(dev, REDIS).length, 1);
    });

    it("guards in prod exactly every secret, the values that must never regenerate, and the data stores", () => {
        const active = prod.platform!.active;
        const pinned = active.filter((a) => a.spec.neverRotate !== undefined && ["generated", "randomBytes"].includes(a.spec.source.kind));
        // The listing this test pins: every secret, plus each pinned value's generator and its component.
        assert.deepStrictEqual(
            pinned.map((a) => a.spec.key),
            ["litellm-salt-key"],
        );
        // The data stores: the Cloud SQL instance, its database and support-agent's, and Memorystore.
        const stores = [
            ...byType(prod, INSTANCE).map((r) => `${INSTANCE} ${r.name}: protect, deletionProtection`),
            ...byType(prod, DATABASE).map((r) => `${DATABASE} ${r.name}: protect`),
            ...byType(prod, REDIS).map((r) => `${REDIS} ${r.name}: protect, deletionProtection`),
        ];
        assert.strictEqual(stores.length, 4, "one instance, two databases (LiteLLM's, support-agent's), one Redis");
        const expected = [
            ...active.map((a) => `${SECRET} ${a.spec.key}: protect, deletionProtection`),
            // LiteLLM's config file is a Secret Manager secret, protected like the others.
            `${SECRET} litellm-config: protect, deletionProtection`,
            ...pinned.map((a) => `${a.spec.source.kind === "generated" ? PASSWORD : BYTES} ${a.spec.key}: protect`),
            ...pinned.map((a) => `${GENERATED} ${a.spec.key}: protect`),
            ...stores,
        ].sort();
        assert.deepStrictEqual(guarded(prod), expected);
    });

    it("retains the Kubernetes namespaces in both stacks, and nothing else about them", () => {
        for (const e of [dev, prod]) {
            const namespaces = byType(e, NAMESPACE);
            assert.ok(namespaces.length > 0, e.stack);
            assert.deepStrictEqual(new Set(namespaces.map((n) => guards(n).join(", "))), new Set(["retainOnDelete"]), e.stack);
        }
    });

    it("keeps a replaced prod version disabled (recoverable) instead of destroying it; dev destroys it", () => {
        const policies = (e: Evaluation) => new Set(byType(e, GCP_SECRET_VERSION).map((v) => v.inputs.deletionPolicy));
        assert.deepStrictEqual([...policies(prod)], ["DISABLE"]);
        assert.deepStrictEqual([...policies(dev)], ["DELETE"]);
    });
});

describe("secret access audit logs", () => {
    it("records ADMIN_READ and DATA_READ for Secret Manager in prod, one additive audit config", async () => {
        const prod = await evaluate({ stack: "prod" });
        const audits = byType(prod, AUDIT);
        assert.deepStrictEqual(
            audits.map((a) => ({ name: a.name, inputs: a.inputs, parent: a.parent })),
            [
                {
                    name: "secret-access-audit",
                    inputs: {
                        project: "llm-platform-prod",
                        service: "secretmanager.googleapis.com",
                        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }],
                    },
                    parent: null,
                },
            ],
        );
        assert.deepStrictEqual([...SECRET_ACCESS_LOG_TYPES], ["ADMIN_READ", "DATA_READ"]);
        // Not a grant: nothing in it names a member or a role.
        assert.ok(!JSON.stringify(audits[0].inputs).includes("member"));
    });

    it("is on in prod even when the stack file does not mention it", async () => {
        const unset = await evaluate({ stack: "prod", unset: ["auditLogs"] });
        assert.ifError(unset.error);
        assert.strictEqual(byType(unset, AUDIT).length, 1);
    });

    it("is off in dev unless the stack turns it on", async () => {
        assert.deepStrictEqual(byType(await evaluate({ stack: "dev" }), AUDIT), []);
        const on = await evaluate({ stack: "dev", set: { auditLogs: true } });
        assert.deepStrictEqual(
            byType(on, AUDIT).map((a) => a.inputs.project),
            ["llm-platform-dev"],
        );
    });
});
