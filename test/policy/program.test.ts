import * as assert from "assert";

import { POLICIES, ResourceValidationPolicy, StackValidationPolicy, noSecretValuesOutsideSinks, secretShape } from "../../policy/policies";
import { SecretSpec } from "../../components/contract/types";
import { Evaluation, byType, contractByType, findResource, unwrap } from "../support/evaluate";
import { checkResource, checkStack, mutate, packConfig, stackEvaluation, violationsOf } from "./harness";
import { GCP_SECRET_VERSION as VERSION, GCP_SECRET as SECRET } from "../support/types";

const resourcePolicies = POLICIES.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = POLICIES.filter((p): p is StackValidationPolicy => "validateStack" in p);

/** Derived rows stored beside the secrets that are not secret themselves (an address). */
const NOT_SECRET_DERIVED = ["redis-host"];

for (const stack of ["dev", "prod"]) {
    describe(`policy pack on the ${stack} stack`, () => {
        let e: Evaluation;
        /** Stored values by contract key, as the backend receives them. */
        let stored: Map<string, string>;
        before(async () => {
            e = await stackEvaluation(stack);
            stored = new Map(contractByType(e, VERSION).map((v) => [v.name.replace(/-version$/, ""), String(unwrap(v.inputs.secretData))]));
        });

        it("passes every resource policy on every resource the program registers", async () => {
            const found: string[] = [];
            for (const policy of resourcePolicies) {
                for (const r of e.resources) {
                    const v = await checkResource(policy, r, packConfig(stack, policy));
                    if (v.applicable) {
                        found.push(...v.violations.map((m) => `${policy.name}: ${m}`));
                    }
                }
            }
            assert.deepStrictEqual(found, []);
        });

        it("passes every stack policy", async () => {
            for (const policy of stackPolicies) {
                const v = await checkStack(policy, e.resources, packConfig(stack, policy));
                assert.deepStrictEqual(v.applicable ? v.violations : [], [], policy.name);
            }
        });

        const notSecret = (spec: SecretSpec): boolean =>
            spec.source.kind === "setting" || spec.source.kind === "activeUser" || NOT_SECRET_DERIVED.includes(spec.key);

        it("recognises every stored secret value by its shape, and no stored setting", () => {
            const active = e.platform!.active;
            assert.strictEqual(stored.size, active.length);
            const derived = active.filter((a) => a.spec.source.kind === "derived").map((a) => a.spec.key);
            assert.deepStrictEqual(
                NOT_SECRET_DERIVED.filter((k) => !derived.includes(k)),
                [],
                "a listed derived row is gone",
            );
            for (const { spec } of active) {
                const shape = secretShape(stored.get(spec.key)!);
                // Settings and the active database user's name are stored beside secrets, not secret.
                if (notSecret(spec)) {
                    assert.strictEqual(shape, undefined, `${spec.key} is a setting, not a secret`);
                } else {
                    assert.ok(shape, `${spec.key} (${spec.source.kind}) does not look like a secret`);
                }
            }
        });

        it("flags every stored secret value copied into a plain field, naming the field and never the value", async () => {
            const secrets = e.platform!.active.filter((a) => !notSecret(a.spec));
            for (const { spec } of secrets) {
                const value = stored.get(spec.key)!;
                const secret = findResource(e, SECRET, spec.key);
                const planted = [
                    mutate(secret, (i) => (i.annotations = { "copied-from": value })),
                    mutate(secret, (i) => (i.labels = { ...i.labels, leak: value })),
                ];
                assert.deepStrictEqual(
                    await violationsOf(noSecretValuesOutsideSinks, secret, packConfig(stack, noSecretValuesOutsideSinks)),
                    [],
                    spec.key,
                );
                for (const [r, path] of [
                    [planted[0], ".annotations.copied-from"],
                    [planted[1], ".labels.leak"],
                ] as const) {
                    const violations = await violationsOf(noSecretValuesOutsideSinks, r, packConfig(stack, noSecretValuesOutsideSinks));
                    assert.strictEqual(violations.length, 1, `${spec.key} in ${path}: ${violations.join("; ")}`);
                    assert.ok(violations[0].startsWith(`${SECRET} ${spec.key}: ${path} holds `), violations[0]);
                    assert.ok(!violations[0].includes(value), "a violation message must not repeat the value");
                }
            }
        });

        it("accepts the values where they belong (the secret versions)", async () => {
            for (const v of byType(e, VERSION)) {
                assert.deepStrictEqual(
                    await violationsOf(noSecretValuesOutsideSinks, v, packConfig(stack, noSecretValuesOutsideSinks)),
                    [],
                );
            }
        });
    });
}
