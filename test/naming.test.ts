import * as assert from "assert";

import { labelValue, secretId, serviceAccountId } from "../components/naming";

describe("naming", () => {
    it("builds Secret Manager ids from prefix and key", () => {
        assert.strictEqual(secretId("llm-dev", "litellm-master-key"), "llm-dev-litellm-master-key");
        assert.throws(() => secretId("llm dev", "x"), /not a valid Secret Manager id/);
    });

    for (const [env, role, expected] of [
        ["dev", "cloudrun-litellm", "dev-cloudrun-litellm"],
        ["prod", "external-secrets", "prod-external-secrets"],
        ["a", "b", "a-b-sa"],
    ] as const) {
        it(`service account id for ${env}/${role} is ${expected}`, () => {
            assert.strictEqual(serviceAccountId(env, role), expected);
        });
    }

    it("cuts long service account ids to 30 characters, keeping two long names apart", () => {
        const a = serviceAccountId("production-europe", "cloudrun-litellm-proxy-a");
        const b = serviceAccountId("production-europe", "cloudrun-litellm-proxy-b");
        for (const id of [a, b]) {
            assert.ok(id.length <= 30 && id.length >= 6, id);
            assert.match(id, /^[a-z][a-z0-9-]*[a-z0-9]$/);
        }
        assert.notStrictEqual(a, b);
    });

    it("makes label values lowercase and within GCP's charset", () => {
        assert.strictEqual(labelValue("OAuth2 Proxy"), "oauth2-proxy");
        assert.strictEqual(labelValue("x".repeat(80)).length, 63);
    });
});
