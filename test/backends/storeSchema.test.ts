import * as assert from "assert";

import { storeSpecValidator } from "./support";

// The backend tests lean on this validator; it must reject what ESO's API server would.
describe("SecretStore v1 schema (fixture)", () => {
    const table: [string, Record<string, unknown>, RegExp][] = [
        ["aws without a region", { aws: { service: "SecretsManager" } }, /must have required property 'region'/],
        ["aws with an unknown service", { aws: { service: "Vault", region: "eu-west-1" } }, /allowed values/],
        ["vault KV version 3", { vault: { server: "https://v", version: "v3" } }, /allowed values/],
        [
            "vault kubernetes auth without a role",
            { vault: { server: "https://v", auth: { kubernetes: { mountPath: "kubernetes" } } } },
            /'role'/,
        ],
        ["kubernetes auth with no method", { kubernetes: { auth: {} } }, /fewer than 1 properties/],
        [
            "kubernetes CA from a Deployment",
            { kubernetes: { server: { caProvider: { type: "Deployment", name: "x" } } } },
            /allowed values/,
        ],
        ["two providers", { aws: { service: "SecretsManager", region: "eu-west-1" }, kubernetes: {} }, /more than 1 properties/],
    ];
    for (const [what, provider, error] of table) {
        it(`rejects ${what}`, () => {
            const errors = storeSpecValidator()({ provider });
            assert.ok(
                errors.some((m) => error.test(m)),
                errors.join("; ") || "accepted",
            );
        });
    }

    it("accepts a minimal valid block", () => {
        assert.deepStrictEqual(storeSpecValidator()({ provider: { aws: { service: "SecretsManager", region: "eu-west-1" } } }), []);
    });
});
