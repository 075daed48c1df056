import * as assert from "assert";

import { awsSecretName, iamRoleName, vaultPolicyName, vaultSecretPath } from "../components/naming";

describe("backend naming", () => {
    it("names AWS secrets <path>/<key> and refuses what Secrets Manager would", () => {
        assert.strictEqual(awsSecretName("app/prod/llm", "litellm-master-key"), "app/prod/llm/litellm-master-key");
        for (const [path, key] of [
            ["app/prod/llm/", "x"],
            ["app prod", "x"],
            ["app/prod", "ä"],
            ["a".repeat(510), "key"],
        ]) {
            assert.throws(() => awsSecretName(path, key), /is not a valid AWS Secrets Manager name/, `${path}/${key}`);
        }
    });

    const roleTable: [string, string, string][] = [
        ["prod", "external-secrets", "llm-prod-external-secrets"],
        ["dev", "a role", "llm-dev-a-role"],
    ];
    for (const [env, role, expected] of roleTable) {
        it(`names the IAM role of ${role} in ${env} ${expected}`, () => assert.strictEqual(iamRoleName(env, role), expected));
    }

    it("cuts long IAM role names to 64 characters without collisions", () => {
        const a = iamRoleName("staging-europe-west", `external-secrets-${"x".repeat(60)}-a`);
        const b = iamRoleName("staging-europe-west", `external-secrets-${"x".repeat(60)}-b`);
        assert.ok(a.length <= 64 && b.length <= 64, `${a} ${b}`);
        assert.notStrictEqual(a, b);
        assert.match(a, /^[A-Za-z0-9+=,.@_-]+$/);
    });

    it("names Vault policies in lowercase and paths without stray slashes", () => {
        assert.strictEqual(vaultPolicyName("prod", "External-Secrets"), "llm-prod-external-secrets");
        assert.strictEqual(vaultSecretPath("prod", "hf-token"), "prod/hf-token");
        assert.strictEqual(vaultSecretPath("teams/llm/prod", "hf-token"), "teams/llm/prod/hf-token");
        for (const path of ["/prod", "prod/", "pr od", "a//b"]) {
            assert.throws(() => vaultSecretPath(path, "k"), /is not valid/, path);
        }
    });
});
