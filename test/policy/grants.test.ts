import * as assert from "assert";

import { secretManagerAuditLogs, secretManagerGrantsPerSecret } from "../../policy/policies";
import { Evaluation, RecordedResource, byType, findResource } from "../support/evaluate";
import { DEV, checkStack, mutate, stackEvaluation, violationsOf } from "./harness";
import { GCP_SECRET_IAM_MEMBER as IAM_MEMBER, GCP_AUDIT_CONFIG as AUDIT, GCP_PROJECT_IAM_MEMBER } from "../support/types";

describe("policy secret-manager-grants-per-secret", () => {
    let e: Evaluation;
    let grant: RecordedResource;
    before(async () => {
        e = await stackEvaluation("prod");
        grant = findResource(e, IAM_MEMBER, "cloudrun-litellm-access-litellm-master-key");
    });
    const check = (r: RecordedResource) => violationsOf(secretManagerGrantsPerSecret, r);

    it("accepts the program's per-secret accessor grants", async () => {
        assert.ok(byType(e, IAM_MEMBER).length > 10);
        for (const r of byType(e, IAM_MEMBER)) {
            assert.deepStrictEqual(await check(r), [], r.name);
        }
    });

    it("refuses the same grant made on the whole project, as a member, a binding or a policy", async () => {
        const { project, role, member } = grant.inputs;
        const asProject = (type: string, inputs: Record<string, unknown>) =>
            mutate(
                grant,
                (i) => {
                    for (const k of Object.keys(i)) delete i[k];
                    Object.assign(i, inputs);
                },
                { type },
            );
        const member_ = await check(asProject(GCP_PROJECT_IAM_MEMBER, { project, role, member }));
        assert.deepStrictEqual(member_.length, 1);
        assert.match(member_[0], /roles\/secretmanager\.secretAccessor at projects level opens every secret there/);
        assert.strictEqual((await check(asProject("gcp:projects/iAMBinding:IAMBinding", { project, role, members: [member] }))).length, 1);
        const policyData = JSON.stringify({
            bindings: [
                { role: "roles/secretmanager.admin", members: [member] },
                { role: "roles/logging.viewer", members: [member] },
            ],
        });
        const viaPolicy = await check(asProject("gcp:projects/iAMPolicy:IAMPolicy", { project, policyData }));
        assert.deepStrictEqual(
            viaPolicy.map((v) => v.split(": ")[1]),
            ["roles/secretmanager.admin at projects level opens every secret there. Grant it per secret."],
        );
        // Other roles at project level are another policy's concern.
        assert.deepStrictEqual(await check(asProject(GCP_PROJECT_IAM_MEMBER, { project, role: "roles/logging.viewer", member })), []);
        assert.strictEqual((await check(asProject("gcp:folder/iAMMember:IAMMember", { folder: "folders/1", role, member }))).length, 1);
    });

    it("refuses authoritative bindings and policies on one secret", async () => {
        const binding = mutate(
            grant,
            (i) => {
                i.members = [i.member];
                delete i.member;
            },
            { type: "gcp:secretmanager/secretIamBinding:SecretIamBinding" },
        );
        assert.match((await check(binding))[0], /an authoritative binding replaces grants made elsewhere/);
        const policy = mutate(
            grant,
            (i) => {
                i.policyData = JSON.stringify({ bindings: [{ role: i.role, members: [i.member] }] });
            },
            { type: "gcp:secretmanager/secretIamPolicy:SecretIamPolicy" },
        );
        assert.strictEqual((await check(policy)).length, 1);
    });

    it("refuses admin per secret and public readers", async () => {
        assert.match(
            (await check(mutate(grant, (i) => (i.role = "roles/secretmanager.admin"))))[0],
            /roles\/secretmanager\.admin is not a per-secret workload role/,
        );
        assert.match((await check(mutate(grant, (i) => (i.member = "allUsers"))))[0], /allUsers may not read a secret/);
    });
});

describe("policy secret-manager-audit-logs", () => {
    let prod: Evaluation;
    before(async () => {
        prod = await stackEvaluation("prod");
    });
    const withAudit = (change: (inputs: any) => void): RecordedResource[] =>
        prod.resources.map((r) => (r.type === AUDIT ? mutate(r, change) : r));
    const violations = async (resources: RecordedResource[]) => {
        const v = await checkStack(secretManagerAuditLogs, resources);
        assert.ok(v.applicable);
        return v.violations;
    };

    it("accepts prod, which records ADMIN_READ and DATA_READ for Secret Manager", async () => {
        assert.strictEqual(byType(prod, AUDIT).length, 1);
        assert.deepStrictEqual(await violations(prod.resources), []);
    });

    it("refuses prod without its audit config, naming the project and the missing log types", async () => {
        const without = prod.resources.filter((r) => r.type !== AUDIT);
        assert.deepStrictEqual(await violations(without), [
            "project llm-platform-prod holds secrets but does not record ADMIN_READ and DATA_READ audit logs for secretmanager.googleapis.com.",
        ]);
    });

    it("refuses a config that skips DATA_READ, logs another service, or exempts someone", async () => {
        assert.match(
            (await violations(withAudit((i) => (i.auditLogConfigs = [{ logType: "ADMIN_READ" }]))))[0],
            /does not record DATA_READ audit/,
        );
        assert.strictEqual((await violations(withAudit((i) => (i.service = "storage.googleapis.com")))).length, 1);
        const exempt = await violations(withAudit((i) => (i.auditLogConfigs[1].exemptedMembers = ["user:ops@example.com"])));
        assert.deepStrictEqual(exempt, ["project llm-platform-prod: DATA_READ audit logs exempt user:ops@example.com."]);
    });

    it("does not apply to dev", async () => {
        const dev = await stackEvaluation("dev");
        assert.deepStrictEqual(await checkStack(secretManagerAuditLogs, dev.resources, DEV), {
            applicable: false,
            reason: "applies to the prod environment only",
        });
    });

    it("an audit config is not a grant: the grants policy leaves it alone", async () => {
        assert.deepStrictEqual(await violationsOf(secretManagerGrantsPerSecret, byType(prod, AUDIT)[0]), []);
    });
});
