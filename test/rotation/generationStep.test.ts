/**
 * An alternating database password moves at most one generation per update, measured from the
 * generation the stack last deployed (its own output `rotationGenerations`, read back through a
 * StackReference to itself): a step of two would give both users new passwords at once.
 */
import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { EvaluateOptions, evaluate } from "../support/evaluate";
import { RANDOM_PASSWORD as PASSWORD } from "../support/types";

const KEY = "litellm-db-password";

/** Mock state: the stack's previous outputs, as its self-reference reads them. */
const deployedAt =
    (generation: number | undefined): NonNullable<EvaluateOptions["mockState"]> =>
    (type) =>
        type === "pulumi:pulumi:StackReference"
            ? { outputs: generation === undefined ? {} : { rotationGenerations: { [KEY]: generation } } }
            : undefined;

describe("alternating password steps", () => {
    it("exports the generation for the next update, and deploys a first time with no outputs to read", async () => {
        const e = await evaluate({ stack: "dev", mockState: deployedAt(undefined) });
        assert.ifError(e.error);
        assert.deepStrictEqual(e.outputs.rotationGenerations, { secret: false, value: { [KEY]: 0 } });
    });

    it("allows one step from the deployed generation, up or back", async () => {
        for (const [deployed, next] of [
            [0, 1],
            [1, 1],
            [2, 1],
        ]) {
            const e = await evaluate({ stack: "dev", set: { rotations: { [KEY]: next } }, mockState: deployedAt(deployed) });
            assert.ifError(e.error);
            assert.strictEqual((e.outputs.rotationGenerations.value as Record<string, number>)[KEY], next);
        }
    });

    it("refuses two steps in one update, before either user's password is generated", async () => {
        const e = await evaluate({ stack: "dev", set: { rotations: { [KEY]: 2 } }, mockState: deployedAt(0) });
        assert.ok(e.error, "expected the update to be refused");
        assert.ok(e.error instanceof pulumi.RunError, e.error.stack);
        assert.match(e.error.message, /rotations\.litellm-db-password: this update would move litellm-db-password from generation 0 to 2/);
        assert.match(e.error.message, /Fix: move one generation per pulumi up/);
        const passwords = e.resources.filter((r) => r.type === PASSWORD && r.name.startsWith(`${KEY}-`));
        assert.deepStrictEqual(
            passwords.map((r) => r.name),
            [],
        );
    });
});
