import * as assert from "assert";

import { prodDataProtected } from "../../policy/policies";
import { Evaluation, byType, contractByType } from "../support/evaluate";
import { DEV, checkResource, mutate, stackEvaluation, violationsOf } from "./harness";
import { GCP_SECRET as SECRET } from "../support/types";

describe("policy prod-data-protected", () => {
    let prod: Evaluation;
    before(async () => {
        prod = await stackEvaluation("prod");
    });

    it("accepts every prod secret: protected, with deletion protection", async () => {
        // Every contract secret, and LiteLLM's config file: all protected alike.
        assert.strictEqual(contractByType(prod, SECRET).length, prod.platform!.active.length);
        assert.strictEqual(byType(prod, SECRET).length, prod.platform!.active.length + 1);
        for (const s of byType(prod, SECRET)) {
            assert.deepStrictEqual(await violationsOf(prodDataProtected, s), [], s.name);
        }
    });

    it("refuses a prod secret without protect, or without deletion protection", async () => {
        const s = byType(prod, SECRET)[0];
        assert.deepStrictEqual(
            await violationsOf(
                prodDataProtected,
                mutate(s, () => undefined, { protect: false }),
            ),
            [`${SECRET} ${s.name}: not protected; pulumi destroy or a replacement would delete its data.`],
        );
        assert.deepStrictEqual(
            await violationsOf(
                prodDataProtected,
                mutate(s, (i) => (i.deletionProtection = false)),
            ),
            [`${SECRET} ${s.name}: deletionProtection is off.`],
        );
        assert.strictEqual(
            (
                await violationsOf(
                    prodDataProtected,
                    mutate(s, (i) => delete i.deletionProtection),
                )
            ).length,
            1,
        );
    });

    it("does not apply to dev, whose secrets are disposable", async () => {
        const dev = await stackEvaluation("dev");
        const s = byType(dev, SECRET)[0];
        assert.strictEqual(s.protect, false);
        assert.deepStrictEqual(await checkResource(prodDataProtected, s, DEV), {
            applicable: false,
            reason: "applies to the prod environment only",
        });
    });
});
