import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { ConfigError } from "../../components/config";
import { FEATURES, SECRET_CONTRACT } from "../../components/contract";
import { EvaluateOptions, Evaluation, byType, evaluate } from "../support/evaluate";
import { expectedStack } from "../support/expectedStacks";
import { AGENT_ROWS } from "../support/agents";
import { GCP_SECRET, GCP_SECRET_IAM_MEMBER, GCP_SERVICE_ACCOUNT } from "../support/types";

interface BadConfig {
    /** What is wrong, in a few words. */
    readonly what: string;
    readonly stack: "dev" | "prod";
    readonly set?: EvaluateOptions["set"];
    readonly unset?: readonly string[];
    readonly secrets?: Readonly<Record<string, string>>;
    /** The one key the error must name. */
    readonly key: string;
    /** What the message line (problem and fix) must say. */
    readonly says: RegExp;
}

const secretNames = (e: Evaluation): string[] =>
    byType(e, GCP_SECRET)
        .map((r) => r.name)
        .sort();

const providedKeys = SECRET_CONTRACT.flatMap((s) => (s.source.kind === "provided" ? [s.source.configKey] : []));

/** A dev stack on the Vault backend with nothing else wrong (Cloud Run reads Secret Manager only). */
const VAULT = {
    backend: "vault",
    vaultAddress: "https://vault.example.com:8200",
    targets: ["kubernetes"],
    gcpRuntime: false,
    litellmDbEndpoint: "10.10.0.3",
};
/** A dev stack on AWS Secrets Manager with nothing else wrong. */
const AWS = {
    backend: "aws-secrets-manager",
    awsRegion: "eu-west-1",
    targets: ["kubernetes"],
    gcpRuntime: false,
    litellmDbEndpoint: "10.10.0.3",
    awsOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
};
const PROD_IMAGE = "europe-west4-docker.pkg.dev/llm-platform-prod/ghcr/berriai/litellm-database";
/** A stack on the cluster alone (Cloud Run reads Secret Manager only), and one keeping values in it. */
const KUBERNETES_ONLY = { targets: ["kubernetes"], gcpRuntime: false, litellmDbEndpoint: "10.20.0.3" };
const KUBERNETES_SOURCE = { ...KUBERNETES_ONLY, backend: "kubernetes" };

const CASES: readonly BadConfig[] = [
    // Wrong types.
    {
        what: "adoptSecrets as a list",
        stack: "dev",
        set: { adoptSecrets: ["litellm-salt-key"] },
        key: "adoptSecrets",
        says: /must be a map/,
    },
    {
        what: "an adopted version that is no version",
        stack: "dev",
        set: { adoptSecrets: { "litellm-salt-key": { version: "one two" }, "n8n-encryption-key": { version: 1 } } },
        secrets: { adoptedLitellmSaltKey: "kept-salt", adoptedN8nEncryptionKey: "kept-n8n" },
        key: "adoptSecrets.litellm-salt-key.version",
        says: /"one two" is not a version/,
    },
    { what: "features as a bare word", stack: "dev", set: { features: "vllm" }, key: "features", says: /must be a list of strings/ },
    { what: "targets as a number", stack: "dev", set: { targets: 5 }, key: "targets", says: /must be a list of strings/ },
    { what: "features holding a number", stack: "dev", set: { features: ["dex", 3] }, key: "features", says: /must be a list of strings/ },
    {
        what: "dataProtection as a word",
        stack: "dev",
        set: { dataProtection: "yes" },
        key: "dataProtection",
        says: /"yes" is not a boolean/,
    },
    { what: "auditLogs as a word", stack: "dev", set: { auditLogs: "on" }, key: "auditLogs", says: /"on" is not a boolean/ },
    {
        what: "allowUnauthenticated as a word",
        stack: "dev",
        set: { allowUnauthenticated: "sometimes" },
        key: "allowUnauthenticated",
        says: /not a boolean/,
    },
    {
        what: "bcryptCost as a word",
        stack: "dev",
        set: { bcryptCost: "high" },
        key: "bcryptCost",
        says: /not a whole number from 10 to 16/,
    },
    {
        what: "bcryptCost above Dex's range",
        stack: "prod",
        set: { bcryptCost: 17 },
        key: "bcryptCost",
        says: /"17" is not a whole number from 10 to 16/,
    },
    { what: "bcryptCost below Dex's range", stack: "dev", set: { bcryptCost: 9 }, key: "bcryptCost", says: /"9" is not a whole number/ },
    {
        what: "rotations as a list",
        stack: "dev",
        set: { rotations: ["vllm-api-key"] },
        key: "rotations",
        says: /must be a map of names to whole numbers/,
    },
    {
        what: "a rotation generation as a string",
        stack: "dev",
        set: { rotations: { "vllm-api-key": "1" } },
        key: "rotations.vllm-api-key",
        says: /"1" is not a whole number/,
    },
    {
        what: "a negative rotation generation",
        stack: "dev",
        set: { rotations: { "vllm-api-key": -1 } },
        key: "rotations.vllm-api-key",
        says: /-1 is not a whole number ≥ 0/,
    },
    {
        what: "a fractional rotation generation",
        stack: "dev",
        set: { rotations: { "vllm-api-key": 1.5 } },
        key: "rotations.vllm-api-key",
        says: /1.5 is not a whole number/,
    },
    // Unknown names.
    {
        what: "an unknown backend",
        stack: "dev",
        set: { backend: "keepass" },
        key: "backend",
        says: /unknown value "keepass"; expected one of gcp-secret-manager/,
    },
    {
        what: "an unknown feature",
        stack: "dev",
        set: { features: ["dex", "telepathy"] },
        key: "features",
        says: /unknown entry "telepathy"/,
    },
    { what: "an unknown target", stack: "prod", set: { targets: ["cloudRun", "lambda"] }, key: "targets", says: /unknown entry "lambda"/ },
    { what: "a feature listed twice", stack: "dev", set: { features: ["dex", "dex"] }, key: "features", says: /lists dex more than once/ },
    // Malformed names and regions.
    {
        what: "a region in capitals",
        stack: "prod",
        set: { gcpRegion: "Europe-West4" },
        key: "gcpRegion",
        says: /"Europe-West4" is not valid: a GCP region/,
    },
    {
        what: "a region without its number",
        stack: "dev",
        set: { gcpRegion: "us-central" },
        key: "gcpRegion",
        says: /a GCP region such as us-central1/,
    },
    {
        what: "an unknown replica region",
        stack: "prod",
        set: { replicationLocations: ["europe-west4", "mars"] },
        key: "replicationLocations",
        says: /unknown entry "mars"/,
    },
    {
        what: "a secret prefix with a space",
        stack: "dev",
        set: { secretPrefix: "llm dev" },
        key: "secretPrefix",
        says: /Secret Manager ids allow only letters, digits, - and _/,
    },
    {
        what: "a secret prefix with a slash",
        stack: "prod",
        set: { secretPrefix: "llm/prod" },
        key: "secretPrefix",
        says: /"llm\/prod" is not valid/,
    },
    {
        what: "an environment name in capitals",
        stack: "dev",
        set: { environment: "Dev" },
        key: "environment",
        says: /lowercase letters, digits and dashes/,
    },
    { what: "a project id too short", stack: "dev", set: { gcpProject: "llm" }, key: "gcpProject", says: /a GCP project id: 6 to 30/ },
    {
        what: "no project at all",
        stack: "dev",
        unset: ["gcpProject"],
        key: "gcpProject",
        says: /is required with backend "gcp-secret-manager"/,
    },
    {
        what: "a malformed gcp:project fallback",
        stack: "dev",
        unset: ["gcpProject"],
        set: { "gcp:project": "My_Project" },
        key: "gcpProject",
        says: /"My_Project" \(taken from gcp:project\) is not valid/,
    },
    {
        what: "a Kubernetes namespace with an underscore",
        stack: "dev",
        set: { esoNamespace: "external_secrets" },
        key: "esoNamespace",
        says: /a Kubernetes name/,
    },
    {
        what: "a UI user name with a space",
        stack: "dev",
        set: { uiUsername: "admin user" },
        key: "uiUsername",
        says: /"admin user" is not valid/,
    },
    // Identities (who runs as what, and where values live).
    {
        what: "ESO running as the namespace's default account",
        stack: "dev",
        set: { esoServiceAccount: "default" },
        key: "esoServiceAccount",
        says: /"default" is the account every pod in external-secrets runs as/,
    },
    {
        what: "ESO in a consumer namespace",
        stack: "dev",
        set: { esoNamespace: "litellm" },
        key: "esoNamespace",
        says: /"litellm" is a namespace workloads read their Secrets in.*Fix: pulumi config rm esoNamespace/,
    },
    {
        what: "source values in kube-system",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "kube-system" },
        key: "kubernetesSourceNamespace",
        says: /"kube-system" is a namespace the cluster shares/,
    },
    {
        what: "source values in kube-public",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "kube-public" },
        key: "kubernetesSourceNamespace",
        says: /"kube-public" is a namespace the cluster shares/,
    },
    {
        what: "source values in the default namespace",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "default" },
        key: "kubernetesSourceNamespace",
        says: /"default" is a namespace the cluster shares/,
    },
    {
        what: "source values in ESO's namespace",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "external-secrets" },
        key: "kubernetesSourceNamespace",
        says: /External Secrets Operator's namespace/,
    },
    {
        what: "a LiteLLM service account of another project",
        stack: "prod",
        set: { litellmServiceAccount: "litellm-run@other-project.iam.gserviceaccount.com" },
        key: "litellmServiceAccount",
        says: /belongs to project other-project, not llm-platform-prod.*allowCrossProjectServiceAccount true/,
    },
    {
        what: "a default (App Engine) account as LiteLLM's",
        stack: "prod",
        set: { litellmServiceAccount: "llm-platform-prod@appspot.gserviceaccount.com" },
        key: "litellmServiceAccount",
        says: /not a user-managed account of a named project/,
    },
    {
        what: "static credentials with Vault",
        stack: "dev",
        set: { ...KUBERNETES_ONLY, backend: "vault", vaultAddress: "https://vault.example.com", backendAccess: "static-credentials" },
        key: "backendAccess",
        says: /backend "vault" authenticates stores through the cluster's own service accounts/,
    },
    {
        what: "an unknown backend access mode",
        stack: "dev",
        set: { backendAccess: "json-key" },
        key: "backendAccess",
        says: /unknown value "json-key"; expected one of workload-identity, static-credentials/,
    },
    {
        what: "an unknown writer of source values",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceValues: "sealed-secrets" },
        key: "kubernetesSourceValues",
        says: /unknown value "sealed-secrets"; expected one of program, operator/,
    },
    // Rotations that cannot apply.
    {
        what: "a rotation for an unknown secret",
        stack: "dev",
        set: { rotations: { "litellm-masterkey": 1 } },
        key: "rotations.litellm-masterkey",
        says: /names no secret of the contract/,
    },
    {
        what: "a rotation of the salt key",
        stack: "prod",
        set: { rotations: { "litellm-salt-key": 1 } },
        key: "rotations.litellm-salt-key",
        says: /never rotates silently/,
    },
    {
        what: "a rotation of a provided secret",
        stack: "prod",
        set: { rotations: { "anthropic-api-key": 1 } },
        key: "rotations.anthropic-api-key",
        says: /rotate it at its issuer/,
    },
    {
        what: "a rotation of a secret the stack does not have",
        stack: "prod",
        set: { rotations: { "dex-tabby-client-secret": 1 } },
        key: "rotations.dex-tabby-client-secret",
        says: /does not exist in this stack \(feature "tabby" is off\)/,
    },
    // Production guardrails.
    {
        what: "prod with public ingress",
        stack: "prod",
        set: { allowUnauthenticated: true },
        key: "allowUnauthenticated",
        says: /the production LiteLLM service is never public/,
    },
    {
        what: "prod without data protection",
        stack: "prod",
        set: { dataProtection: false, cloudSqlAvailability: "ZONAL" },
        key: "dataProtection",
        says: /is production and must keep its data/,
    },
    {
        what: "prod reading the latest secret versions",
        stack: "prod",
        set: { cloudRunSecretVersions: "latest" },
        key: "cloudRunSecretVersions",
        says: /is production and pins every secret version.*latest is refused/,
    },
    {
        what: "prod without audit logs",
        stack: "prod",
        set: { auditLogs: false },
        key: "auditLogs",
        says: /is production and must record who reads its secrets/,
    },
    // Production is the stack's name: calling the prod stack something else turns nothing off.
    {
        what: "prod renamed production without data protection",
        stack: "prod",
        set: { environment: "production", dataProtection: false, cloudSqlAvailability: "ZONAL" },
        key: "dataProtection",
        says: /stack "prod" is production and must keep its data/,
    },
    {
        what: "prod renamed production without audit logs",
        stack: "prod",
        set: { environment: "production", auditLogs: false },
        key: "auditLogs",
        says: /stack "prod" is production and must record who reads its secrets/,
    },
    {
        what: "prod renamed production with public ingress",
        stack: "prod",
        set: { environment: "production", allowUnauthenticated: true },
        key: "allowUnauthenticated",
        says: /production LiteLLM service is never public/,
    },
    {
        what: "prod renamed production reading latest versions",
        stack: "prod",
        set: { environment: "production", cloudRunSecretVersions: "latest" },
        key: "cloudRunSecretVersions",
        says: /latest is refused/,
    },
    {
        what: "prod renamed production without TLS to Redis",
        stack: "prod",
        set: { environment: "production", redisTransitEncryption: false },
        key: "redisTransitEncryption",
        says: /production stack speaks TLS to Memorystore/,
    },
    {
        what: "prod without an alert address",
        stack: "prod",
        set: { alertEmail: "" },
        key: "alertEmail",
        says: /stack "prod" is production: denied access to its secrets.*must reach a person/,
    },
    {
        what: "an alert address that is not one",
        stack: "prod",
        set: { alertEmail: "oncall" },
        key: "alertEmail",
        says: /"oncall" is not valid: an email address/,
    },
    {
        what: "alerts on a backend they cannot watch",
        stack: "dev",
        set: { ...VAULT, alertEmail: "oncall@example.com" },
        key: "alertEmail",
        says: /the alerts watch Secret Manager, but backend is "vault"/,
    },
    {
        what: "alerts without the audit logs they read",
        stack: "dev",
        set: { alertEmail: "oncall@example.com" },
        key: "alertEmail",
        says: /logged only with auditLogs on/,
    },
    // Hostile values.
    {
        what: "an environment name ending in a dash",
        stack: "dev",
        set: { environment: "dev-" },
        key: "environment",
        says: /"dev-" is not valid: .*ending with a letter or digit/,
    },
    {
        what: "a Vault path stepping out with ..",
        stack: "dev",
        set: { ...VAULT, vaultPath: "../prod" },
        key: "vaultPath",
        says: /"..\/prod" has a . or .. segment/,
    },
    {
        what: "a Vault mount under sys",
        stack: "dev",
        set: { ...VAULT, vaultMount: "sys" },
        key: "vaultMount",
        says: /reserved sys\/ mount/,
    },
    {
        what: "a Vault address with port 0",
        stack: "dev",
        set: { ...VAULT, vaultAddress: "https://vault.example.com:0" },
        key: "vaultAddress",
        says: /port 0 is outside 1 to 65535/,
    },
    {
        what: "an empty string as a number",
        stack: "prod",
        set: { litellmMinInstances: "" },
        key: "litellmMinInstances",
        says: /"" is not a whole number from 0 to 100/,
    },
    {
        what: "a hexadecimal number",
        stack: "prod",
        set: { redisMemorySizeGb: "0x10" },
        key: "redisMemorySizeGb",
        says: /"0x10" is not a whole number from 1 to 300/,
    },
    {
        what: "a number in exponent notation",
        stack: "dev",
        set: { bcryptCost: "1.2e1" },
        key: "bcryptCost",
        says: /"1.2e1" is not a whole number/,
    },
    {
        what: "a rotation generation beyond 2^53",
        stack: "dev",
        set: { rotations: '{"vllm-api-key": 9007199254740993}' },
        key: "rotations.vllm-api-key",
        says: /beyond 2\^53 - 1/,
    },
    {
        what: "a rotation named __proto__",
        stack: "dev",
        set: { rotations: '{"__proto__": 1}' },
        key: "rotations.__proto__",
        says: /"__proto__" is not a name this map accepts/,
    },
    {
        what: "a tag map entry named constructor",
        stack: "dev",
        set: { ...AWS, awsTags: '{"constructor": "x"}' },
        key: "awsTags.constructor",
        says: /not a name this map accepts/,
    },
    {
        what: "a service URL with a port out of range",
        stack: "dev",
        set: { llmtraceRedisUrl: "redis://10.10.0.4:70000/0" },
        key: "llmtraceRedisUrl",
        says: /has port 70000, outside 1 to 65535/,
    },
    {
        what: "a database endpoint with a port out of range",
        stack: "dev",
        set: { gcpRuntime: false, targets: ["kubernetes"], litellmDbEndpoint: "10.10.0.3:99999" },
        key: "litellmDbEndpoint",
        says: /port 99999 is outside 1 to 65535/,
    },
    {
        what: "a password in a URL's query",
        stack: "dev",
        set: { llmtracePostgresUrl: "postgres://llmtrace@10.10.0.3:5432/llmtrace?password=hunter2" },
        key: "llmtracePostgresUrl",
        says: /holds a credential in its query \(password\)/,
    },
    {
        what: "a token in the Langfuse URL's query",
        stack: "prod",
        set: { langfuseBaseUrl: "https://cloud.langfuse.com/?token=abc" },
        key: "langfuseBaseUrl",
        says: /holds a credential in its query \(token\)/,
    },
    {
        what: "credentials in the chart repository URL",
        stack: "dev",
        set: { llmtraceChart: "https://user:pass@charts.example.com" },
        key: "llmtraceChart",
        says: /holds a password/,
    },
    {
        what: "a :latest image in prod",
        stack: "prod",
        set: { litellmImage: `${PROD_IMAGE}:latest` },
        key: "litellmImage",
        says: /is not valid: .*moving tags .* are refused/,
    },
    {
        what: "a moving channel tag in prod",
        stack: "prod",
        set: { litellmImage: `${PROD_IMAGE}:main-stable` },
        key: "litellmImage",
        says: /is not valid: .*moving tags .* are refused/,
    },
    {
        what: "an untagged image",
        stack: "prod",
        set: { litellmImage: PROD_IMAGE },
        key: "litellmImage",
        says: /is not valid: a LiteLLM image pinned to a release/,
    },
    {
        what: "allUsers among prod invokers",
        stack: "prod",
        set: { litellmInvokers: ["allUsers"] },
        key: "litellmInvokers",
        says: /allUsers would let the public call/,
    },
    {
        what: "allAuthenticatedUsers among prod invokers",
        stack: "prod",
        set: { litellmInvokers: ["allAuthenticatedUsers"] },
        key: "litellmInvokers",
        says: /allAuthenticatedUsers would let the public call/,
    },
    {
        what: "a public mail domain among prod invokers",
        stack: "prod",
        set: { litellmInvokers: ["domain:gmail.com"] },
        key: "litellmInvokers",
        says: /domain:gmail.com would let the public call/,
    },
    {
        what: "allUsers among dev invokers",
        stack: "dev",
        set: { litellmInvokers: ["allUsers"] },
        key: "litellmInvokers",
        says: /a public service is allowUnauthenticated's job/,
    },
    {
        what: "an AWS secret path too long for its keys",
        stack: "dev",
        set: { ...AWS, awsSecretPath: `app/${"x".repeat(480)}` },
        key: "awsSecretPath",
        says: /secret names \(<awsSecretPath>\/<key>\) are at most 512/,
    },
    // Rotations that could cut a database off or leave a hash stale.
    {
        what: "a rotation period shorter than twice the scheduled cadence",
        stack: "dev",
        set: { rotationPeriods: { "database-password": 1 } },
        key: "rotationPeriods.database-password",
        says: /from 2 \(twice the 1-day cadence of the scheduled update\)/,
    },
    {
        what: "an AWS rotation Lambda on a value with a paired hash",
        stack: "dev",
        set: { ...AWS, awsRotationLambdas: { "dex-admin-password": "arn:aws:lambda:eu-west-1:123456789012:function:rotate" } },
        key: "awsRotationLambdas.dex-admin-password",
        says: /has a hash computed by this program \(dex-admin-hash\)/,
    },
    {
        what: "an AWS rotation Lambda on a never-rotated value",
        stack: "dev",
        set: { ...AWS, awsRotationLambdas: { "litellm-salt-key": "arn:aws:lambda:eu-west-1:123456789012:function:rotate" } },
        key: "awsRotationLambdas.litellm-salt-key",
        says: /never rotates silently/,
    },
    // LLMTrace's clients are built without Redis and ClickHouse TLS (epappas/llmtrace
    // crates/llmtrace-storage/Cargo.toml: redis features tokio-comp, connection-manager;
    // clickhouse features uuid, chrono), so those schemes cannot connect.
    {
        what: "an LLMTrace Redis URL over TLS",
        stack: "prod",
        set: { llmtraceRedisUrl: "rediss://10.20.0.4:6378/0" },
        key: "llmtraceRedisUrl",
        says: /scheme rediss:\/\/ is not supported: .*only redis:\/\//,
    },
    {
        what: "an LLMTrace ClickHouse URL over https",
        stack: "dev",
        set: { llmtraceClickhouseUrl: "https://llmtrace@ch:8443" },
        key: "llmtraceClickhouseUrl",
        says: /scheme https:\/\/ is not supported: .*only http:\/\//,
    },
    {
        what: "an LLMTrace PostgreSQL URL with a MySQL scheme",
        stack: "dev",
        set: { llmtracePostgresUrl: "mysql://llmtrace@10.0.0.3/llmtrace" },
        key: "llmtracePostgresUrl",
        says: /scheme mysql:\/\/ is not supported/,
    },
    // Provided secrets.
    {
        what: "a provided secret missing in prod",
        stack: "prod",
        unset: ["anthropicApiKey"],
        key: "anthropicApiKey",
        says: /anthropic-api-key is needed because feature "anthropic" is on/,
    },
    {
        what: "a provided secret missing for a feature turned on",
        stack: "dev",
        set: { features: ["huggingface"] },
        key: "hfToken",
        says: /hf-token is needed because feature "huggingface" is on/,
    },
    {
        what: "a provided secret in plain text",
        stack: "dev",
        set: { features: ["openai"], openaiApiKey: "not-a-secret" },
        key: "openaiApiKey",
        says: /is stored in plain text in the stack file/,
    },
    {
        what: "a provided secret set but empty",
        stack: "prod",
        secrets: { hfToken: "  " },
        key: "hfToken",
        says: /hf-token is set but empty/,
    },
];

describe("bad stack config", () => {
    it("has at least 25 cases, each with its own description", () => {
        assert.ok(CASES.length >= 25, `${CASES.length} cases`);
        assert.strictEqual(new Set(CASES.map((c) => c.what)).size, CASES.length);
    });

    for (const c of CASES) {
        it(`refuses ${c.what} (${c.stack}), naming ${c.key} and the fix, before any resource`, async () => {
            const e = await evaluate({ stack: c.stack, set: c.set, unset: c.unset, secrets: c.secrets });
            assert.ok(e.error, "expected the program to fail");
            // The class, not the name: Pulumi prints a RunError's message alone, without a stack trace.
            assert.ok(e.error instanceof ConfigError, e.error.stack);
            assert.ok(e.error instanceof pulumi.RunError && pulumi.RunError.isInstance(e.error), e.error.stack);
            assert.strictEqual(e.resources.length, 0, "a resource was registered before the config was refused");
            const problems = (e.error as ConfigError).problems;
            assert.deepStrictEqual(
                problems.map((p) => p.key),
                [c.key],
                e.error.message,
            );
            assert.ok(problems[0].fix.length > 0);
            const line = e.error.message.split("\n").find((l) => l.startsWith(`  - ${c.key}: `));
            assert.ok(line, `the message names ${c.key}: ${e.error.message}`);
            assert.match(line, /\. Fix: \S/);
            assert.match(line, c.says);
            assert.match(e.error.message, new RegExp(`^stack "${c.stack}" has 1 config problem:\n`));
            assert.ok(!/\n\s+at \S|\.ts:\d+/.test(e.error.message), "the message carries a stack trace");
        });
    }
});

describe("valid edge cases", () => {
    it("every feature off (and a single target) evaluates, storing only the always-needed secrets", async () => {
        const e = await evaluate({ stack: "dev", set: { features: [], targets: ["cloudRun"], gcpRuntime: false } });
        assert.ifError(e.error);
        // Hand-kept: LiteLLM's own secrets, which every stack has.
        const always = [
            "litellm-db-password",
            "litellm-db-username",
            "litellm-master-key",
            "litellm-salt-key",
            "ui-password",
            "ui-username",
        ];
        assert.deepStrictEqual(secretNames(e), always);
    });

    it("every feature on, with every provided secret set, evaluates and stores the whole contract", async () => {
        const secrets = Object.fromEntries(providedKeys.map((k) => [k, `value-of-${k}`]));
        for (const stack of ["dev", "prod"]) {
            const e = await evaluate({ stack, set: { features: [...FEATURES] }, secrets });
            assert.ifError(e.error);
            // Both stacks run the GCP runtime, so the derived rows exist too, and LiteLLM's config file.
            assert.deepStrictEqual(
                secretNames(e),
                [...SECRET_CONTRACT.map((s) => s.key), "litellm-config", ...AGENT_ROWS[stack]].sort(),
                stack,
            );
        }
    });

    it("a LiteLLM account of another project evaluates with the explicit opt-in, and runs as that account", async () => {
        const email = "litellm-run@shared-identities.iam.gserviceaccount.com";
        const e = await evaluate({ stack: "prod", set: { litellmServiceAccount: email, allowCrossProjectServiceAccount: true } });
        assert.ifError(e.error);
        assert.deepStrictEqual(
            e.resources.filter((r) => r.type === GCP_SERVICE_ACCOUNT && r.name === "cloudrun-litellm"),
            [],
        );
        const grants = byType(e, GCP_SECRET_IAM_MEMBER).filter((g) => g.inputs.member === `serviceAccount:${email}`);
        assert.ok(grants.length > 0);
    });

    it("no target at all evaluates: secrets are stored, nobody is granted them", async () => {
        const e = await evaluate({ stack: "dev", set: { targets: [], gcpRuntime: false } });
        assert.ifError(e.error);
        assert.deepStrictEqual(byType(e, GCP_SECRET_IAM_MEMBER), []);
        // Not vacuous: the stack's secrets are all there (less those derived from the GCP runtime),
        // and the same stack with a target grants them.
        const derived = ["database-url", "redis-host", "redis-password", "redis-url"];
        assert.deepStrictEqual(
            secretNames(e),
            expectedStack("dev").secrets.filter((k) => !derived.includes(k)),
        );
        const targeted = await evaluate({ stack: "dev", set: { targets: ["cloudRun"], gcpRuntime: false } });
        assert.ok(byType(targeted, GCP_SECRET_IAM_MEMBER).length > 0);
    });
});
