import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { AwsSecretsManagerSecret } from "../../components/backends";
import { Evaluation, byType, evaluate, findResource, promiseOf, unwrap, urnName } from "../support/evaluate";
import {
    BACKEND_CONFIG,
    KMS_KEY,
    MONITORING_KEYS,
    OIDC_PROVIDER,
    ROTATION_LAMBDA,
    STORE_READER_NAME,
    changed,
    VLLM_KEY_PINNED_READERS,
    fetchedByNamespace,
    resolved,
    storeSpecValidator,
    valueLeaks,
} from "./support";
import {
    AWS_SECRET as SECRET,
    AWS_SECRET_VERSION as VERSION,
    AWS_SECRET_ROTATION as ROTATION,
    AWS_IAM_ROLE as ROLE,
    AWS_IAM_ROLE_POLICY as ROLE_POLICY,
    AWS_IAM_USER as USER,
    AWS_IAM_USER_POLICY as USER_POLICY,
    K8S_SERVICE_ACCOUNT as SERVICE_ACCOUNT,
    RANDOM_PASSWORD as PASSWORD,
} from "../support/types";

const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B7";

const prodAws = { ...BACKEND_CONFIG.aws, awsKmsKeyArn: KMS_KEY, awsTags: { team: "platform", "cost-center": "llm" } };

describe("aws-secrets-manager backend (prod, kubernetes target)", () => {
    let e: Evaluation;
    let esoKeys: string[];
    before(async () => {
        e = await evaluate({ stack: "prod", set: prodAws });
        assert.ifError(e.error);
        // Every key some store reads, by the secret names the rendered ExternalSecrets fetch.
        esoKeys = [...new Set([...fetchedByNamespace(e).values()].flat())].map((name) => name.replace("app/prod/llm/", ""));
    });

    it("registers nothing of Google Cloud", () => {
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type.startsWith("gcp:")).map((r) => r.name),
            [],
        );
    });

    it("keeps each active secret in one AWS secret under the environment's path, with its value as JSON", async () => {
        const p = e.platform!;
        const keys = p.active.map((a) => a.spec.key);
        assert.deepStrictEqual(
            byType(e, SECRET).map((r) => r.name),
            keys,
        );
        assert.deepStrictEqual(
            byType(e, VERSION)
                .map((r) => r.name)
                .sort(),
            keys.map((k) => `${k}-version`).sort(),
        );
        for (const { spec } of p.active) {
            const secret = findResource(e, SECRET, spec.key);
            assert.strictEqual(secret.inputs.name, `app/prod/llm/${spec.key}`);
            assert.strictEqual(secret.inputs.region, "eu-west-1");
            assert.strictEqual(secret.inputs.description, spec.description);
            assert.strictEqual(secret.inputs.recoveryWindowInDays, 30, "prod keeps deleted secrets 30 days");
            assert.strictEqual(secret.inputs.kmsKeyId, KMS_KEY);
            assert.strictEqual(secret.protect, true);
            assert.deepStrictEqual(secret.inputs.tags, {
                team: "platform",
                "cost-center": "llm",
                environment: "prod",
                component: spec.component,
                "contract-key": spec.key,
                "managed-by": "pulumi",
            });
            assert.strictEqual(urnName(secret.parent), spec.key);

            const version = findResource(e, VERSION, `${spec.key}-version`);
            // The SDK wraps secretString itself: what can fail is the value handed over being a Pulumi secret.
            assert.ok(await pulumi.isSecret(p.values[spec.key]), `${spec.key}: the value is not a Pulumi secret`);
            const value = await promiseOf(p.values[spec.key]);
            assert.deepStrictEqual(JSON.parse(unwrap(version.inputs.secretString)), { value });
            assert.strictEqual(version.inputs.secretId, await promiseOf((p.stored[spec.key] as AwsSecretsManagerSecret).arn));
            assert.deepStrictEqual(version.ignoreChanges, []);
        }
    });

    it("lets exactly each namespace's store service account assume that namespace's role, through the cluster's OIDC provider", () => {
        const namespaces = [...fetchedByNamespace(e).keys()];
        assert.ok(namespaces.includes("monitoring"));
        const roles = byType(e, ROLE);
        assert.deepStrictEqual(roles.map((r) => r.name).sort(), namespaces.map((ns) => `external-secrets-${ns}`).sort());
        for (const ns of namespaces) {
            const role = findResource(e, ROLE, `external-secrets-${ns}`);
            assert.strictEqual(role.inputs.name, `llm-prod-external-secrets-${ns}`);
            assert.deepStrictEqual(
                JSON.parse(role.inputs.assumeRolePolicy),
                {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Federated: OIDC_PROVIDER },
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Condition: {
                                StringEquals: {
                                    [`${ISSUER}:sub`]: `system:serviceaccount:${ns}:${STORE_READER_NAME}`,
                                    [`${ISSUER}:aud`]: "sts.amazonaws.com",
                                },
                            },
                        },
                    ],
                },
                ns,
            );
        }
    });

    it("allows each namespace's role exactly GetSecretValue and DescribeSecret on exactly the ARNs its Secrets fetch", async () => {
        const stored = e.platform!.stored;
        const arnOf = (name: string) => promiseOf((stored[name.replace("app/prod/llm/", "")] as AwsSecretsManagerSecret).arn);
        const fetched = fetchedByNamespace(e);
        // The guide's table: Grafana's namespace needs exactly its two keys, never LiteLLM's master key.
        assert.deepStrictEqual(fetched.get("monitoring"), MONITORING_KEYS.map((k) => `app/prod/llm/${k}`).sort());
        const policies = byType(e, ROLE_POLICY);
        assert.deepStrictEqual(policies.map((r) => r.name).sort(), [...fetched.keys()].map((ns) => `external-secrets-${ns}-access`).sort());
        for (const [ns, names] of fetched) {
            const policy = findResource(e, ROLE_POLICY, `external-secrets-${ns}-access`);
            assert.strictEqual(policy.inputs.role, findResource(e, ROLE, `external-secrets-${ns}`).inputs.name);
            const arns = await Promise.all(names.map(arnOf));
            const doc = JSON.parse(policy.inputs.policy);
            assert.strictEqual(doc.Statement.length, 2);
            const [read, decrypt] = doc.Statement;
            assert.strictEqual(read.Effect, "Allow");
            assert.deepStrictEqual([...read.Action].sort(), ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
            assert.deepStrictEqual([...read.Resource].sort(), [...arns].sort(), ns);
            // The customer managed key: decrypt only through Secrets Manager and only for these secrets.
            assert.deepStrictEqual(decrypt.Condition.StringEquals["kms:ViaService"], "secretsmanager.eu-west-1.amazonaws.com");
            assert.deepStrictEqual([...decrypt.Condition.StringEquals["kms:EncryptionContext:SecretARN"]].sort(), [...arns].sort());
            assert.deepStrictEqual(
                { ...decrypt, Condition: undefined },
                { Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: KMS_KEY, Condition: undefined },
            );
        }
        assert.ok(!esoKeys.includes("dex-admin-password"), "the Dex admin password has no Kubernetes consumer");
        const otherGrants = e.resources.filter((r) => /^aws:iam\/(policy|rolePolicyAttachment|policyAttachment|userPolicy)/.test(r.type));
        assert.deepStrictEqual(
            otherGrants.map((r) => r.type),
            [],
        );
    });

    it("annotates each store's service account with its namespace's role ARN, and ESO's own with none", async () => {
        const account = findResource(e, SERVICE_ACCOUNT, "monitoring/secret-store-reader");
        assert.deepStrictEqual(account.inputs.metadata.name, STORE_READER_NAME);
        assert.deepStrictEqual(account.inputs.metadata.namespace, "monitoring");
        assert.deepStrictEqual(account.inputs.metadata.annotations, {
            "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/llm-prod-external-secrets-monitoring",
        });
        const eso = unwrap(findResource(e, "kubernetes:helm.sh/v3:Release", "external-secrets").inputs.values);
        assert.strictEqual(eso.serviceAccount.annotations, undefined);
    });

    it("gives each namespace a store block that the SecretStore v1 schema accepts", async () => {
        const provider = await resolved(e.platform!.stores.monitoring.storeProvider);
        assert.deepStrictEqual(provider, {
            aws: {
                service: "SecretsManager",
                region: "eu-west-1",
                auth: { jwt: { serviceAccountRef: { name: STORE_READER_NAME } } },
            },
        });
        assert.deepStrictEqual(storeSpecValidator()({ provider }), []);
    });

    it("references each secret by name, property `value`, and the VersionId this program wrote", async () => {
        const p = e.platform!;
        for (const key of esoKeys) {
            const versionId = await promiseOf(p.stored[key].version);
            assert.match(versionId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            assert.deepStrictEqual(await resolved(p.backend.reference(p.stored[key]) as object), {
                key: `app/prod/llm/${key}`,
                property: "value",
                version: `uuid/${versionId}`,
            });
        }
    });

    it("rotates one value: a generation bump writes one new version and touches nothing else", async () => {
        const bumped = await evaluate({ stack: "prod", set: { ...prodAws, rotations: { "vllm-api-key": 1 } } });
        assert.ifError(bumped.error);
        // The bump also restarts the key's rotation clock.
        assert.deepStrictEqual(
            changed(e, bumped).sort(),
            [
                "time:index/rotating:Rotating vllm-api-key-rotation",
                `${PASSWORD} vllm-api-key`,
                `${VERSION} vllm-api-key-version`,
                ...VLLM_KEY_PINNED_READERS,
            ].sort(),
        );
        const before = await promiseOf(e.platform!.stored["vllm-api-key"].version);
        const after = await promiseOf(bumped.platform!.stored["vllm-api-key"].version);
        assert.notStrictEqual(after, before, "a new value is a new VersionId, so ESO's pinned reference moves");
    });
});

describe("aws-secrets-manager backend: static credentials (a cluster outside EKS)", () => {
    it("gives each namespace an IAM user with exactly its grants, no role, no key in state, and a store reading secret-store-key", async () => {
        const { awsOidcProviderArn: _, ...outsideEks } = BACKEND_CONFIG.aws;
        const e = await evaluate({ stack: "prod", set: { ...outsideEks, backendAccess: "static-credentials" } });
        assert.ifError(e.error);
        const fetched = fetchedByNamespace(e);
        assert.deepStrictEqual(
            byType(e, ROLE).map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            byType(e, ROLE_POLICY).map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type === "aws:iam/accessKey:AccessKey").map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            byType(e, USER)
                .map((r) => r.name)
                .sort(),
            [...fetched.keys()].map((ns) => `external-secrets-${ns}`).sort(),
        );
        const user = findResource(e, USER, "external-secrets-monitoring");
        assert.strictEqual(user.inputs.name, "llm-prod-external-secrets-monitoring");
        // IAM tag values allow only letters, digits, spaces and _.:/=+-@.
        assert.deepStrictEqual(user.inputs.tags, { environment: "prod", "managed-by": "pulumi" });
        const policy = findResource(e, USER_POLICY, "external-secrets-monitoring-access");
        assert.strictEqual(policy.inputs.user, "llm-prod-external-secrets-monitoring");
        const stored = e.platform!.stored;
        const arns = await Promise.all(MONITORING_KEYS.map((k) => promiseOf((stored[k] as AwsSecretsManagerSecret).arn)));
        assert.deepStrictEqual([...JSON.parse(policy.inputs.policy).Statement[0].Resource].sort(), arns.sort());
        const access = e.platform!.stores.monitoring;
        const provider = await resolved(access.storeProvider);
        // Key names from ESO's documentation (docs/snippets/aws-sm-store.yaml); Secret name from the guide.
        assert.deepStrictEqual(provider, {
            aws: {
                service: "SecretsManager",
                region: "eu-west-1",
                auth: {
                    secretRef: {
                        accessKeyIDSecretRef: { name: "secret-store-key", key: "access-key" },
                        secretAccessKeySecretRef: { name: "secret-store-key", key: "secret-access-key" },
                    },
                },
            },
        });
        assert.deepStrictEqual(storeSpecValidator()({ provider }), []);
        assert.deepStrictEqual(await resolved(access.serviceAccountAnnotations), {});
        assert.deepStrictEqual(
            access.operatorSecrets.map((o) => [o.namespace, o.name, o.keys]),
            [["monitoring", "secret-store-key", ["access-key", "secret-access-key"]]],
        );
        const commands = await promiseOf(access.operatorSecrets[0].commands);
        assert.ok(
            commands.some((c) => c.startsWith("aws iam create-access-key --user-name llm-prod-external-secrets-monitoring ")),
            commands.join("\n"),
        );
        assert.deepStrictEqual(await valueLeaks(e), []);
    });
});

describe("aws-secrets-manager backend: rotation Lambdas, and the dev stack without a customer managed key", () => {
    it("attaches a rotation schedule only where config names a Lambda, and reads those at AWSCURRENT", async () => {
        const e = await evaluate({
            stack: "prod",
            set: { ...BACKEND_CONFIG.aws, awsRotationLambdas: { "anthropic-api-key": ROTATION_LAMBDA }, awsRotationDays: 90 },
        });
        assert.ifError(e.error);
        const rotations = byType(e, ROTATION);
        assert.deepStrictEqual(
            rotations.map((r) => r.name),
            ["anthropic-api-key-rotation"],
        );
        assert.strictEqual(rotations[0].inputs.rotationLambdaArn, ROTATION_LAMBDA);
        assert.deepStrictEqual(rotations[0].inputs.rotationRules, { automaticallyAfterDays: 90 });
        const p = e.platform!;
        assert.strictEqual(rotations[0].inputs.secretId, await promiseOf((p.stored["anthropic-api-key"] as AwsSecretsManagerSecret).arn));
        assert.deepStrictEqual(findResource(e, VERSION, "anthropic-api-key-version").ignoreChanges, ["versionStages"]);
        const rotated = await resolved(p.backend.reference(p.stored["anthropic-api-key"]) as object);
        assert.deepStrictEqual(rotated, { key: "app/prod/llm/anthropic-api-key", property: "value" });
        const other = await resolved(p.backend.reference(p.stored["hf-token"]) as object);
        assert.match((other as { version: string }).version, /^uuid\//);
    });

    it("uses Secrets Manager's own key on the dev stack (no awsKmsKeyArn)", async () => {
        const e = await evaluate({ stack: "dev", set: BACKEND_CONFIG.aws });
        assert.ifError(e.error);
        const secrets = byType(e, SECRET);
        assert.ok(secrets.length > 0);
        for (const s of secrets) {
            assert.strictEqual(s.inputs.kmsKeyId, undefined, s.name);
        }
        // Without a customer managed key the policy grants Secrets Manager reads alone.
        assert.strictEqual(JSON.parse(byType(e, ROLE_POLICY)[0].inputs.policy).Statement.length, 1);
    });
});
