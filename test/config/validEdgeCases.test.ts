/**
 * The counterpart of the bad-config tables (./badConfig/): configs at the edges that must evaluate.
 */
import * as assert from "assert";

import { FEATURES, SECRET_CONTRACT } from "../../components/contract";
import { Evaluation, byType, evaluate } from "../support/evaluate";
import { expectedStack } from "../support/expectedStacks";
import { AGENT_ROWS } from "../support/agents";
import { GCP_SECRET, GCP_SECRET_IAM_MEMBER, GCP_SERVICE_ACCOUNT } from "../support/types";

const secretNames = (e: Evaluation): string[] =>
    byType(e, GCP_SECRET)
        .map((r) => r.name)
        .sort();

const providedKeys = SECRET_CONTRACT.flatMap((s) => (s.source.kind === "provided" ? [s.source.configKey] : []));

describe("valid edge cases", () => {
    it("every feature off (and a single target) evaluates, storing only the always-needed secrets", async () => {
        const e = await evaluate({ stack: "dev", set: { features: [], targets: ["cloudRun"], gcpRuntime: false } });
        assert.ifError(e.error);
        // Hand-kept: LiteLLM's own secrets, which every stack has.
        const always = [
            "litellm-db-password",
            "litellm-db-username",
            "litellm-master-key",
            "litellm-salt-key",
            "ui-password",
            "ui-username",
        ];
        assert.deepStrictEqual(secretNames(e), always);
    });

    it("every feature on, with every provided secret set, evaluates and stores the whole contract", async () => {
        const secrets = Object.fromEntries(providedKeys.map((k) => [k, `value-of-${k}`]));
        for (const stack of ["dev", "prod"]) {
            const e = await evaluate({ stack, set: { features: [...FEATURES] }, secrets });
            assert.ifError(e.error);
            // Both stacks run the GCP runtime, so the derived rows exist too, and LiteLLM's config file.
            assert.deepStrictEqual(
                secretNames(e),
                [...SECRET_CONTRACT.map((s) => s.key), "litellm-config", ...AGENT_ROWS[stack]].sort(),
                stack,
            );
        }
    });

    it("a LiteLLM account of another project evaluates with the explicit opt-in, and runs as that account", async () => {
        const email = "litellm-run@shared-identities.iam.gserviceaccount.com";
        const e = await evaluate({ stack: "prod", set: { litellmServiceAccount: email, allowCrossProjectServiceAccount: true } });
        assert.ifError(e.error);
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type === GCP_SERVICE_ACCOUNT && r.name === "cloudrun-litellm"),
            [],
        );
        const grants = byType(e, GCP_SECRET_IAM_MEMBER).filter((g) => g.inputs.member === `serviceAccount:${email}`);
        assert.ok(grants.length > 0);
    });

    it("no target at all evaluates: secrets are stored, nobody is granted them", async () => {
        const e = await evaluate({ stack: "dev", set: { targets: [], gcpRuntime: false } });
        assert.ifError(e.error);
        assert.deepStrictEqual(byType(e, GCP_SECRET_IAM_MEMBER), []);
        // Not vacuous: the stack's secrets are all there (less those derived from the GCP runtime),
        // and the same stack with a target grants them.
        const derived = ["database-url", "redis-host", "redis-password", "redis-url"];
        assert.deepStrictEqual(
            secretNames(e),
            expectedStack("dev").secrets.filter((k) => !derived.includes(k)),
        );
        const targeted = await evaluate({ stack: "dev", set: { targets: ["cloudRun"], gcpRuntime: false } });
        assert.ok(byType(targeted, GCP_SECRET_IAM_MEMBER).length > 0);
    });
});
