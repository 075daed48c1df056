import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { Evaluation, SECRET_SIG } from "../support/evaluate";
import { valueLeaks } from "./support";

// The backend tests lean on this rule; it must catch what it is there to catch.
describe("the value-leak rule of the backend tests", () => {
    const value = "zqS0123456789abcdef";
    const envelope = { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value };
    const evaluation = (resources: { type: string; name: string; inputs: Record<string, unknown> }[], outputs = {}) =>
        ({
            resources,
            outputs,
            platform: {
                active: [{ spec: { key: "k", source: { kind: "generated" } } }],
                values: { k: pulumi.output(value) },
            },
        }) as unknown as Evaluation;

    it("accepts a value in a secret envelope in its sink", async () => {
        const e = evaluation([{ type: "vault:kv/secretV2:SecretV2", name: "k", inputs: { dataJson: envelope } }]);
        assert.deepStrictEqual(await valueLeaks(e), []);
    });

    it("reports plain text, misplaced secrets and plain outputs", async () => {
        const e = evaluation(
            [
                { type: "vault:kv/secretV2:SecretV2", name: "k", inputs: { dataJson: JSON.stringify({ value }) } },
                { type: "aws:secretsmanager/secret:Secret", name: "k", inputs: { tags: { note: envelope } } },
            ],
            { ids: { secret: false, value: { k: `x${value}` } } },
        );
        assert.deepStrictEqual(await valueLeaks(e), [
            "plaintext vault:kv/secretV2:SecretV2 k .dataJson",
            "misplaced aws:secretsmanager/secret:Secret k .tags.note",
            "plaintext output ids .k",
        ]);
    });
});
