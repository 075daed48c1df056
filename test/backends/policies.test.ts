import * as assert from "assert";
import { createHash } from "crypto";

import { irsaTrustPolicy, readPolicy, serviceAccountSubject, vaultReadPolicy } from "../../components/backends";
import { contentVersion } from "../../components/backends/contentVersion";
import { evaluate, promiseOf } from "../support/evaluate";
import { BACKEND_CONFIG } from "./support";
import { RANDOM_BYTES } from "../support/types";

describe("backend policy builders", () => {
    it("trusts the issuer's sub and aud claims for one service account", () => {
        const arn = "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC";
        const doc = irsaTrustPolicy(arn, "ns", "ksa") as any;
        assert.deepStrictEqual(doc.Statement[0].Condition.StringEquals, {
            "oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC:sub": "system:serviceaccount:ns:ksa",
            "oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC:aud": "sts.amazonaws.com",
        });
        assert.throws(() => irsaTrustPolicy("arn:aws:iam::123456789012:role/x", "ns", "ksa"), /not an IAM OIDC provider ARN/);
    });

    it("reads exactly the given ARNs, and decrypts only with a customer managed key", () => {
        const arns = ["arn:aws:secretsmanager:eu-west-1:1:secret:a-AAAAAA", "arn:aws:secretsmanager:eu-west-1:1:secret:b-BBBBBB"];
        const plain = readPolicy(arns) as any;
        assert.deepStrictEqual(plain.Statement, [
            {
                Sid: "ReadSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: arns,
            },
        ]);
        const withKey = readPolicy(arns, { keyArn: "arn:aws:kms:eu-west-1:1:key/k", region: "eu-west-1" }) as any;
        assert.strictEqual(withKey.Statement.length, 2);
        assert.deepStrictEqual(withKey.Statement[1].Condition.StringEquals["kms:EncryptionContext:SecretARN"], arns);
    });

    it("writes one read-only block per Vault path", () => {
        assert.strictEqual(
            vaultReadPolicy(["secret/data/prod/a", "secret/data/prod/b"]),
            'path "secret/data/prod/a" {\n  capabilities = ["read"]\n}\n\npath "secret/data/prod/b" {\n  capabilities = ["read"]\n}\n',
        );
    });

    it("turns a service account member back into its RBAC subject, and refuses anything else", () => {
        assert.deepStrictEqual(serviceAccountSubject("system:serviceaccount:secret-source:secret-reader"), {
            kind: "ServiceAccount",
            namespace: "secret-source",
            name: "secret-reader",
        });
        assert.throws(() => serviceAccountSubject("serviceAccount:x@p.iam.gserviceaccount.com"), /is not a Kubernetes service account/);
    });

    it("versions content: same value and key, same version; a change of either, a new one", () => {
        assert.strictEqual(contentVersion("k1", "sk-abc"), contentVersion("k1", "sk-abc"));
        assert.notStrictEqual(contentVersion("k1", "sk-abc"), contentVersion("k1", "sk-abd"));
        assert.notStrictEqual(contentVersion("k1", "sk-abc"), contentVersion("k2", "sk-abc"));
        assert.match(contentVersion("k1", ""), /^[0-9a-f]{16}$/);
        // RFC 4231 test case 2 (HMAC-SHA256, key "Jefe"): a keyed hash, not a plain digest.
        assert.strictEqual(contentVersion("Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e");
    });
});

describe("plain secret versions (Vault, Kubernetes source)", () => {
    /** Unsalted digests anyone could recompute from a guessed value. */
    const digests = (value: string): string[] =>
        ["sha256", "sha1", "md5", "sha512"].map((alg) => createHash(alg).update(value).digest("hex"));

    for (const backend of ["vault", "kubernetes"] as const) {
        it(`${backend}: no stack output holds an unsalted digest of a value, and the key stays secret`, async () => {
            const e = await evaluate({ stack: "dev", set: BACKEND_CONFIG[backend] });
            assert.ifError(e.error);
            const versions = e.outputs.secretVersions.value as Record<string, string>;
            assert.strictEqual(e.outputs.secretVersions.secret, false);
            const keys = Object.keys(versions);
            assert.ok(keys.length >= 10, keys.join(", "));
            for (const key of keys) {
                const value = await promiseOf(e.platform!.values[key]);
                const version = versions[key];
                assert.match(version, /^[0-9a-f]{16}$/, key);
                assert.ok(!digests(value).some((d) => d.includes(version)), `${key}: its version is a plain digest of its value`);
            }
            // The key: one RandomBytes, its outputs marked secret.
            const key = e.resources.filter((r) => r.type === RANDOM_BYTES && r.name === "secret-version-key");
            assert.strictEqual(key.length, 1);
            assert.deepStrictEqual(key[0].additionalSecretOutputs.sort(), ["base64", "hex"]);
        });
    }
});
