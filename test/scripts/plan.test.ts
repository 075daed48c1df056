import * as assert from "assert";

import { describeConsumer } from "../../components/contract";
import { committedStacks } from "../../scripts/lib/stacks";
import { PlanEvaluation, planEvaluation, renderPlan } from "../../scripts/lib/planText";
import { fields, fit, wrap } from "../../scripts/lib/textLayout";

describe("text layout", () => {
    it("wraps at spaces with the given indents, and cuts only a word wider than a line", () => {
        assert.deepStrictEqual(wrap("aa bb cc dd", 8, "- ", "  "), ["- aa bb", "  cc dd"]);
        assert.deepStrictEqual(wrap("abcdefghij", 6, "", ""), ["abcdef", "ghij"]);
        assert.deepStrictEqual(wrap("short", 80, "  "), ["  short"]);
    });

    it("aligns labelled fields and puts each item of a list on its own line", () => {
        assert.deepStrictEqual(
            fields(
                [
                    ["a", "one two three"],
                    ["long", ["x", "y"]],
                ],
                "  ",
                14,
            ),
            ["  a     one", "        two", "        three", "  long  x", "        y"],
        );
    });

    it("fits any line to the width, continuing it 4 columns further in", () => {
        assert.deepStrictEqual(fit(["  one two three", "ok"], 11), ["  one two", "      three", "ok"]);
    });
});

describe("npm run plan fits a 100-column terminal", () => {
    const plans = new Map<string, { plan: PlanEvaluation; lines: string[] }>();
    before(async () => {
        for (const stack of committedStacks()) {
            const plan = await planEvaluation(stack);
            assert.ifError(plan.evaluation.error);
            plans.set(stack, { plan, lines: await renderPlan(plan.evaluation, plan.missing) });
        }
    });

    it("has no line over 100 columns in the plan of any committed stack", () => {
        assert.ok(plans.size >= 2);
        for (const [stack, { lines }] of plans) {
            const wide = lines.filter((l) => l.length > 100);
            assert.deepStrictEqual(wide, [], `stack ${stack}`);
        }
    });

    it("shows every secret as a block: key, source, needed-when, backend id, and each reader on a line", () => {
        for (const [stack, { plan, lines }] of plans) {
            for (const { spec, consumers } of plan.evaluation.platform!.active) {
                const at = lines.indexOf(`  ${spec.key}`);
                assert.ok(at > 0, `${stack}: no block for ${spec.key}`);
                const block = lines.slice(
                    at + 1,
                    lines.findIndex((l, i) => i > at && !l.startsWith("    ")),
                );
                // The labels in order; a long source may take more than one line.
                const labels = block.map((l) => /^ {4}(\w+) +\S/.exec(l)?.[1]).filter((x) => x !== undefined);
                // The adoption example's plan also says, per secret, whether it is adopted or created.
                const adoption = stack === "adopt-example" ? ["origin"] : [];
                assert.deepStrictEqual(labels, ["source", "needed", "backend", ...adoption, "readers"], `${stack} ${spec.key}`);
                const readers = block.slice(block.findIndex((l) => l.startsWith("    readers"))).map((l) => l.slice(13));
                for (const c of consumers) {
                    assert.ok(
                        readers.includes(describeConsumer(c)),
                        `${stack} ${spec.key}: reader ${describeConsumer(c)} not on a line of its own`,
                    );
                }
            }
        }
    });

    it("lays out prod's vllm-api-key as written here", () => {
        const { lines } = plans.get("prod")!;
        const at = lines.indexOf("  vllm-api-key");
        // The platform guide's litellm-secrets[vllm] and serving/vllm-api-key[api-key].
        assert.deepStrictEqual(lines.slice(at, at + 7), [
            "  vllm-api-key",
            "    source   generated: 40 alphanumeric chars",
            "    needed   feature vllm",
            "    backend  llm-prod-vllm-api-key",
            "    readers  Cloud Run litellm env VLLM_API_KEY",
            "             litellm/litellm-secrets[vllm] (litellm)",
            "             serving/vllm-api-key[api-key] (vllm)",
        ]);
    });
});
