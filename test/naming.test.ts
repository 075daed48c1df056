import * as assert from "assert";

import {
    cloudRunServiceName,
    itemKey,
    labelValue,
    networkResourceName,
    redisInstanceName,
    secretId,
    serviceAccountId,
    sqlInstanceBaseName,
} from "../components/naming";

describe("naming", () => {
    it("builds Secret Manager ids from prefix and key", () => {
        assert.strictEqual(secretId("llm-dev", "litellm-master-key"), "llm-dev-litellm-master-key");
        assert.throws(() => secretId("llm dev", "x"), /not a valid Secret Manager id/);
        // An empty prefix gives the bare ids the Cloud Run guide's gcloud secrets create uses.
        assert.strictEqual(secretId("", "database-url"), "database-url");
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

    it("names Cloud Run services, Cloud SQL and Memorystore instances and networks within their limits", () => {
        assert.strictEqual(cloudRunServiceName("prod", "litellm"), "prod-litellm");
        assert.strictEqual(sqlInstanceBaseName("dev", "litellm"), "dev-litellm");
        assert.strictEqual(redisInstanceName("prod", "litellm"), "prod-litellm");
        assert.strictEqual(networkResourceName("dev", "llm-run"), "dev-llm-run");
        const long = "a-very-long-environment-name-that-goes-on";
        for (const [name, max] of [
            [cloudRunServiceName(long, "litellm-proxy-for-everyone"), 49],
            [redisInstanceName(long, "litellm"), 40],
            [redisInstanceName(long, "litellm2"), 40],
            [networkResourceName(long, "x".repeat(40)), 63],
        ] as const) {
            assert.ok(name.length <= max, `${name} is longer than ${max}`);
            assert.match(name, /^[a-z][a-z0-9-]*[a-z0-9]$/);
        }
        assert.notStrictEqual(redisInstanceName(long, "litellm"), redisInstanceName(long, "litellm2"));
        assert.throws(() => cloudRunServiceName("9lives", "x"), /not a valid GCP resource name/);
    });

    it("keys list items by a stable short hash", () => {
        assert.strictEqual(itemKey("group:a@example.com"), itemKey("group:a@example.com"));
        assert.notStrictEqual(itemKey("group:a@example.com"), itemKey("group:b@example.com"));
        assert.match(itemKey("user:x"), /^[0-9a-f]{8}$/);
    });

    it("makes label values lowercase and within GCP's charset", () => {
        assert.strictEqual(labelValue("OAuth2 Proxy"), "oauth2-proxy");
        assert.strictEqual(labelValue("x".repeat(80)).length, 63);
    });
});
