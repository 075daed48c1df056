import * as assert from "assert";

import { irsaTrustPolicy, readPolicy, serviceAccountSubject, vaultReadPolicy } from "../../components/backends";
import { contentVersion } from "../../components/backends/contentVersion";

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
            { Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: arns },
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

    it("versions content: same value, same version; any change, a new one", () => {
        assert.strictEqual(contentVersion("sk-abc"), contentVersion("sk-abc"));
        assert.notStrictEqual(contentVersion("sk-abc"), contentVersion("sk-abd"));
        assert.match(contentVersion(""), /^[0-9a-f]{16}$/);
    });
});
