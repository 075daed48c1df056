import * as assert from "assert";

import { formatProblem, parseConfig } from "../../components/config";

const OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
const gcp = { gcpProject: "llm-platform-dev" };
// LiteLLM on the cluster needs its database host (there is no Cloud SQL of the program's here).
const cluster = {
    ...gcp,
    targets: '["kubernetes"]',
    litellmDbEndpoint: "10.20.0.3",
    litellmImage: "europe-west4-docker.pkg.dev/p/r/berriai/litellm-database:main-v1.74.3-stable",
};
const aws = { ...cluster, backend: "aws-secrets-manager", awsRegion: "eu-west-1", awsOidcProviderArn: OIDC };
const vault = { ...cluster, backend: "vault", vaultAddress: "https://vault.example.com" };
const k8s = { ...cluster, backend: "kubernetes" };

const problemsOf = (values: Record<string, string>, stack = "dev") => parseConfig(values, { stack }).problems.map(formatProblem);

describe("config of the AWS, Vault and Kubernetes-source backends", () => {
    it("accepts each backend with only its required keys, and ignores the keys of the others", () => {
        for (const values of [aws, vault, k8s]) {
            assert.deepStrictEqual(problemsOf(values), [], values.backend);
        }
        // A Secret Manager stack never needs AWS or Vault keys.
        assert.deepStrictEqual(problemsOf({ ...gcp, vaultAddress: "not a url" }).length, 1, "a set key is still checked");
    });

    it("applies defaults that follow the environment", () => {
        const { settings } = parseConfig(aws, { stack: "prod" });
        assert.deepStrictEqual(settings.backends.aws, {
            region: "eu-west-1",
            secretPath: "app/prod/llm",
            recoveryWindowDays: 30,
            kmsKeyArn: "",
            tags: {},
            oidcProviderArn: OIDC,
            rotationLambdas: {},
            rotationDays: 30,
        });
        assert.deepStrictEqual(parseConfig(vault, { stack: "prod" }).settings.backends.vault, {
            address: "https://vault.example.com",
            mount: "secret",
            path: "prod",
            kubernetesAuthPath: "kubernetes",
            role: "llm-prod-external-secrets",
            audience: "vault",
        });
        assert.deepStrictEqual(parseConfig(k8s, { stack: "dev" }).settings.backends.kubernetesSource, {
            namespace: "secret-source",
            values: "program",
        });
    });

    it("names the key and the fix for each missing AWS key", () => {
        const problems = problemsOf({ ...cluster, backend: "aws-secrets-manager" });
        assert.deepStrictEqual(
            problems.map((p) => p.split(":")[0]),
            ["awsRegion", "awsOidcProviderArn"],
        );
        assert.match(problems[0], /is required with backend "aws-secrets-manager"\. Fix: pulumi config set awsRegion/);
        assert.match(problems[1], /Fix: pulumi config set awsOidcProviderArn/);
    });

    it("keeps Cloud Run on Secret Manager", () => {
        const problems = problemsOf({ ...aws, targets: '["cloudRun","kubernetes"]' });
        assert.deepStrictEqual(problems, [
            'targets: Cloud Run reads secrets only from Secret Manager, but backend is "aws-secrets-manager". ' +
                "Fix: remove cloudRun from targets, or pulumi config set backend gcp-secret-manager",
        ]);
    });

    it("refuses a recovery window Secrets Manager rejects, and immediate deletion where data must stay", () => {
        assert.match(problemsOf({ ...aws, awsRecoveryWindowDays: "3" })[0], /^awsRecoveryWindowDays: 3 is not accepted by Secrets Manager/);
        assert.match(
            problemsOf({ ...aws, awsRecoveryWindowDays: "31" })[0],
            /^awsRecoveryWindowDays: "31" is not a whole number from 0 to 30/,
        );
        assert.deepStrictEqual(problemsOf({ ...aws, awsRecoveryWindowDays: "0", dataProtection: "false" }), []);
        assert.match(
            problemsOf({ ...aws, awsRecoveryWindowDays: "0" })[0],
            /^awsRecoveryWindowDays: 0 deletes secrets without recovery, but dataProtection is on/,
        );
    });

    it("wants a KMS key ARN (not an alias) in the secrets' region", () => {
        assert.match(
            problemsOf({ ...aws, awsKmsKeyArn: "alias/llm" })[0],
            /^awsKmsKeyArn: "alias\/llm" is not valid: the ARN of a KMS key/,
        );
        const elsewhere = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepStrictEqual(problemsOf({ ...aws, awsKmsKeyArn: elsewhere }), [
            "awsKmsKeyArn: is in us-east-1, but the secrets are in eu-west-1. Fix: use one in eu-west-1",
        ]);
    });

    it("checks tags: AWS's reserved prefix and non-string values are refused, each by name", () => {
        const problems = problemsOf({ ...aws, awsTags: '{"aws:owner":"x","team":"platform","size":3}' });
        assert.strictEqual(problems.length, 2, problems.join("\n"));
        assert.match(problems[0], /^awsTags\.aws:owner: "aws:owner: x" is not valid: .*keys may not start with aws:\. Fix: /);
        assert.match(problems[1], /^awsTags\.size: 3 is not a string\. Fix: /);
    });

    it("allows rotation Lambdas only on secrets a Lambda can rotate, once, in the secrets' region", () => {
        const lambda = "arn:aws:lambda:eu-west-1:123456789012:function:rotate";
        const lambdas = (m: Record<string, string>, extra: Record<string, string> = {}) =>
            problemsOf({ ...aws, ...extra, awsRotationLambdas: JSON.stringify(m) });
        assert.deepStrictEqual(lambdas({ "vllm-api-key": lambda, "anthropic-api-key": lambda }), []);
        assert.match(
            lambdas({ "litellm-salt-key": lambda })[0],
            /^awsRotationLambdas\.litellm-salt-key: litellm-salt-key never rotates silently/,
        );
        assert.match(
            lambdas({ "dex-admin-hash": lambda })[0],
            /^awsRotationLambdas\.dex-admin-hash: dex-admin-hash is bcrypt here: a Lambda cannot rotate it/,
        );
        assert.match(lambdas({ "no-such-key": lambda })[0], /^awsRotationLambdas\.no-such-key: names no secret of the contract/);
        assert.match(
            lambdas({ "vllm-api-key": "rotate-fn" })[0],
            /^awsRotationLambdas\.vllm-api-key: "vllm-api-key: rotate-fn" is not valid: each value must be a Lambda function ARN/,
        );
        assert.match(
            lambdas({ "vllm-api-key": lambda }, { rotations: '{"vllm-api-key":2}' })[0],
            /^awsRotationLambdas\.vllm-api-key: vllm-api-key is rotated by both this Lambda and rotations\.vllm-api-key/,
        );
        assert.deepStrictEqual(lambdas({ "vllm-api-key": lambda.replace("eu-west-1", "us-west-2") }), [
            "awsRotationLambdas.vllm-api-key: is in us-west-2, but the secrets are in eu-west-1. Fix: use one in eu-west-1",
        ]);
    });

    it("needs Vault's address, over https where data is protected, and a path that ESO will not cut", () => {
        assert.deepStrictEqual(problemsOf({ ...vault, vaultAddress: undefined as unknown as string }), [
            'vaultAddress: is required with backend "vault". Fix: pulumi config set vaultAddress https://<vault host>:8200',
        ]);
        const plain = { ...vault, vaultAddress: "http://vault.vault:8200" };
        assert.deepStrictEqual(problemsOf({ ...plain, dataProtection: "false" }), []);
        assert.match(
            problemsOf(plain)[0],
            /^vaultAddress: plain http would carry every secret.*Fix: pulumi config set vaultAddress https:\/\/vault\.vault:8200$/,
        );
        assert.match(problemsOf({ ...vault, vaultPath: "secret/prod" })[0], /^vaultPath: starts with the mount name "secret"/);
        assert.match(problemsOf({ ...vault, vaultMount: "/secret" })[0], /^vaultMount: "\/secret" is not valid/);
    });

    it("keeps the source namespace apart from the namespaces workloads read, and needs the kubernetes target", () => {
        assert.deepStrictEqual(problemsOf({ ...k8s, kubernetesSourceNamespace: "litellm" }), [
            'kubernetesSourceNamespace: "litellm" is a namespace workloads read their Secrets in; the source must be a namespace of its own. ' +
                "Fix: pulumi config set kubernetesSourceNamespace secret-source",
        ]);
        assert.match(
            problemsOf({ ...k8s, targets: "[]" })[0],
            /^backend: "kubernetes" keeps values in the cluster, but the kubernetes target is off/,
        );
        assert.match(
            problemsOf({ ...k8s, kubernetesSourceValues: "sealed" })[0],
            /^kubernetesSourceValues: unknown value "sealed"; expected one of program, operator/,
        );
    });
});
