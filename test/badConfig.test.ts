import * as assert from "assert";

import { ConfigError } from "../components/config";
import { FEATURES, SECRET_CONTRACT } from "../components/contract";
import { EvaluateOptions, Evaluation, byType, evaluate } from "../scripts/lib/evaluate";
import { AGENT_ROWS } from "./support/agents";

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

const secretNames = (e: Evaluation): string[] => byType(e, "gcp:secretmanager/secret:Secret").map((r) => r.name).sort();

const providedKeys = SECRET_CONTRACT.flatMap((s) => (s.source.kind === "provided" ? [s.source.configKey] : []));

/** A stack on the cluster alone (Cloud Run reads Secret Manager only), and one keeping values in it. */
const KUBERNETES_ONLY = { targets: ["kubernetes"], gcpRuntime: false, litellmDbEndpoint: "10.20.0.3" };
const KUBERNETES_SOURCE = { ...KUBERNETES_ONLY, backend: "kubernetes" };

const CASES: readonly BadConfig[] = [
    // Wrong types.
    { what: "adoptSecrets as a list", stack: "dev", set: { adoptSecrets: ["litellm-salt-key"] }, key: "adoptSecrets", says: /must be a map/ },
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
    { what: "dataProtection as a word", stack: "dev", set: { dataProtection: "yes" }, key: "dataProtection", says: /"yes" is not a boolean/ },
    { what: "auditLogs as a word", stack: "dev", set: { auditLogs: "on" }, key: "auditLogs", says: /"on" is not a boolean/ },
    { what: "allowUnauthenticated as a word", stack: "dev", set: { allowUnauthenticated: "sometimes" }, key: "allowUnauthenticated", says: /not a boolean/ },
    { what: "bcryptCost as a word", stack: "dev", set: { bcryptCost: "high" }, key: "bcryptCost", says: /not a whole number from 10 to 16/ },
    { what: "bcryptCost above Dex's range", stack: "prod", set: { bcryptCost: 17 }, key: "bcryptCost", says: /"17" is not a whole number from 10 to 16/ },
    { what: "bcryptCost below Dex's range", stack: "dev", set: { bcryptCost: 9 }, key: "bcryptCost", says: /"9" is not a whole number/ },
    { what: "rotations as a list", stack: "dev", set: { rotations: ["vllm-api-key"] }, key: "rotations", says: /must be a map of names to whole numbers/ },
    { what: "a rotation generation as a string", stack: "dev", set: { rotations: { "vllm-api-key": "1" } }, key: "rotations.vllm-api-key", says: /"1" is not a whole number/ },
    { what: "a negative rotation generation", stack: "dev", set: { rotations: { "vllm-api-key": -1 } }, key: "rotations.vllm-api-key", says: /-1 is not a whole number ≥ 0/ },
    { what: "a fractional rotation generation", stack: "dev", set: { rotations: { "vllm-api-key": 1.5 } }, key: "rotations.vllm-api-key", says: /1.5 is not a whole number/ },
    // Unknown names.
    { what: "an unknown backend", stack: "dev", set: { backend: "keepass" }, key: "backend", says: /unknown value "keepass"; expected one of gcp-secret-manager/ },
    { what: "an unknown feature", stack: "dev", set: { features: ["dex", "telepathy"] }, key: "features", says: /unknown entry "telepathy"/ },
    { what: "an unknown target", stack: "prod", set: { targets: ["cloudRun", "lambda"] }, key: "targets", says: /unknown entry "lambda"/ },
    { what: "a feature listed twice", stack: "dev", set: { features: ["dex", "dex"] }, key: "features", says: /lists dex more than once/ },
    // Malformed names and regions.
    { what: "a region in capitals", stack: "prod", set: { gcpRegion: "Europe-West4" }, key: "gcpRegion", says: /"Europe-West4" is not valid: a GCP region/ },
    { what: "a region without its number", stack: "dev", set: { gcpRegion: "us-central" }, key: "gcpRegion", says: /a GCP region such as us-central1/ },
    { what: "an unknown replica region", stack: "prod", set: { replicationLocations: ["europe-west4", "mars"] }, key: "replicationLocations", says: /unknown entry "mars"/ },
    { what: "a secret prefix with a space", stack: "dev", set: { secretPrefix: "llm dev" }, key: "secretPrefix", says: /Secret Manager ids allow only letters, digits, - and _/ },
    { what: "a secret prefix with a slash", stack: "prod", set: { secretPrefix: "llm/prod" }, key: "secretPrefix", says: /"llm\/prod" is not valid/ },
    { what: "an environment name in capitals", stack: "dev", set: { environment: "Dev" }, key: "environment", says: /lowercase letters, digits and dashes/ },
    { what: "a project id too short", stack: "dev", set: { gcpProject: "llm" }, key: "gcpProject", says: /a GCP project id: 6 to 30/ },
    { what: "no project at all", stack: "dev", unset: ["gcpProject"], key: "gcpProject", says: /is required with backend "gcp-secret-manager"/ },
    { what: "a malformed gcp:project fallback", stack: "dev", unset: ["gcpProject"], set: { "gcp:project": "My_Project" }, key: "gcpProject", says: /"My_Project" \(taken from gcp:project\) is not valid/ },
    { what: "a Kubernetes namespace with an underscore", stack: "dev", set: { esoNamespace: "external_secrets" }, key: "esoNamespace", says: /a Kubernetes name/ },
    { what: "a UI user name with a space", stack: "dev", set: { uiUsername: "admin user" }, key: "uiUsername", says: /"admin user" is not valid/ },
    // Identities (who runs as what, and where values live).
    { what: "ESO running as the namespace's default account", stack: "dev", set: { esoServiceAccount: "default" }, key: "esoServiceAccount", says: /"default" is the account every pod in external-secrets runs as/ },
    { what: "ESO in a consumer namespace", stack: "dev", set: { esoNamespace: "litellm" }, key: "esoNamespace", says: /"litellm" is a namespace workloads read their Secrets in.*Fix: pulumi config rm esoNamespace/ },
    { what: "source values in kube-system", stack: "dev", set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "kube-system" }, key: "kubernetesSourceNamespace", says: /"kube-system" is a namespace the cluster shares/ },
    { what: "source values in kube-public", stack: "dev", set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "kube-public" }, key: "kubernetesSourceNamespace", says: /"kube-public" is a namespace the cluster shares/ },
    { what: "source values in the default namespace", stack: "dev", set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "default" }, key: "kubernetesSourceNamespace", says: /"default" is a namespace the cluster shares/ },
    { what: "source values in ESO's namespace", stack: "dev", set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "external-secrets" }, key: "kubernetesSourceNamespace", says: /External Secrets Operator's namespace/ },
    { what: "a LiteLLM service account of another project", stack: "prod", set: { litellmServiceAccount: "litellm-run@other-project.iam.gserviceaccount.com" }, key: "litellmServiceAccount", says: /belongs to project other-project, not llm-platform-prod.*allowCrossProjectServiceAccount true/ },
    { what: "a default (App Engine) account as LiteLLM's", stack: "prod", set: { litellmServiceAccount: "llm-platform-prod@appspot.gserviceaccount.com" }, key: "litellmServiceAccount", says: /not a user-managed account of a named project/ },
    { what: "static credentials with Vault", stack: "dev", set: { ...KUBERNETES_ONLY, backend: "vault", vaultAddress: "https://vault.example.com", backendAccess: "static-credentials" }, key: "backendAccess", says: /backend "vault" authenticates stores through the cluster's own service accounts/ },
    { what: "an unknown backend access mode", stack: "dev", set: { backendAccess: "json-key" }, key: "backendAccess", says: /unknown value "json-key"; expected one of workload-identity, static-credentials/ },
    { what: "an unknown writer of source values", stack: "dev", set: { ...KUBERNETES_SOURCE, kubernetesSourceValues: "sealed-secrets" }, key: "kubernetesSourceValues", says: /unknown value "sealed-secrets"; expected one of program, operator/ },
    // Rotations that cannot apply.
    { what: "a rotation for an unknown secret", stack: "dev", set: { rotations: { "litellm-masterkey": 1 } }, key: "rotations.litellm-masterkey", says: /names no secret of the contract/ },
    { what: "a rotation of the salt key", stack: "prod", set: { rotations: { "litellm-salt-key": 1 } }, key: "rotations.litellm-salt-key", says: /never rotates silently/ },
    { what: "a rotation of a provided secret", stack: "prod", set: { rotations: { "anthropic-api-key": 1 } }, key: "rotations.anthropic-api-key", says: /rotate it at its issuer/ },
    { what: "a rotation of a secret the stack does not have", stack: "prod", set: { rotations: { "dex-tabby-client-secret": 1 } }, key: "rotations.dex-tabby-client-secret", says: /does not exist in this stack \(feature "tabby" is off\)/ },
    // Production guardrails.
    { what: "prod with public ingress", stack: "prod", set: { allowUnauthenticated: true }, key: "allowUnauthenticated", says: /the prod LiteLLM service is never public/ },
    { what: "prod without data protection", stack: "prod", set: { dataProtection: false, cloudSqlAvailability: "ZONAL" }, key: "dataProtection", says: /prod must keep its data/ },
    { what: "prod reading the latest secret versions", stack: "prod", set: { cloudRunSecretVersions: "latest" }, key: "cloudRunSecretVersions", says: /latest is refused in the prod environment/ },
    { what: "prod without audit logs", stack: "prod", set: { auditLogs: false }, key: "auditLogs", says: /prod must record who reads its secrets/ },
    // LLMTrace's clients are built without Redis and ClickHouse TLS (epappas/llmtrace
    // crates/llmtrace-storage/Cargo.toml: redis features tokio-comp, connection-manager;
    // clickhouse features uuid, chrono), so those schemes cannot connect.
    { what: "an LLMTrace Redis URL over TLS", stack: "prod", set: { llmtraceRedisUrl: "rediss://10.20.0.4:6378/0" }, key: "llmtraceRedisUrl", says: /scheme rediss:\/\/ is not supported: .*only redis:\/\//  },
    { what: "an LLMTrace ClickHouse URL over https", stack: "dev", set: { llmtraceClickhouseUrl: "https://llmtrace@ch:8443" }, key: "llmtraceClickhouseUrl", says: /scheme https:\/\/ is not supported: .*only http:\/\// },
    { what: "an LLMTrace PostgreSQL URL with a MySQL scheme", stack: "dev", set: { llmtracePostgresUrl: "mysql://llmtrace@10.0.0.3/llmtrace" }, key: "llmtracePostgresUrl", says: /scheme mysql:\/\/ is not supported/ },
    // Provided secrets.
    { what: "a provided secret missing in prod", stack: "prod", unset: ["anthropicApiKey"], key: "anthropicApiKey", says: /anthropic-api-key is needed because feature "anthropic" is on/ },
    { what: "a provided secret missing for a feature turned on", stack: "dev", set: { features: ["huggingface"] }, key: "hfToken", says: /hf-token is needed because feature "huggingface" is on/ },
    { what: "a provided secret in plain text", stack: "dev", set: { features: ["openai"], openaiApiKey: "not-a-secret" }, key: "openaiApiKey", says: /is stored in plain text in the stack file/ },
    { what: "a provided secret set but empty", stack: "prod", secrets: { hfToken: "  " }, key: "hfToken", says: /hf-token is set but empty/ },
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
            assert.strictEqual(e.error.name, "ConfigError", e.error.stack);
            assert.strictEqual(e.resources.length, 0, "a resource was registered before the config was refused");
            const problems = (e.error as ConfigError).problems;
            assert.deepStrictEqual(problems.map((p) => p.key), [c.key], e.error.message);
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
        const always = SECRET_CONTRACT.filter((s) => s.requires.length === 0 && s.source.kind !== "derived").map((s) => s.key);
        assert.deepStrictEqual(secretNames(e), [...always].sort());
    });

    it("every feature on, with every provided secret set, evaluates and stores the whole contract", async () => {
        const secrets = Object.fromEntries(providedKeys.map((k) => [k, `value-of-${k}`]));
        for (const stack of ["dev", "prod"]) {
            const e = await evaluate({ stack, set: { features: [...FEATURES] }, secrets });
            assert.ifError(e.error);
            // Both stacks run the GCP runtime, so the derived rows exist too, and LiteLLM's config file.
            assert.deepStrictEqual(secretNames(e), [...SECRET_CONTRACT.map((s) => s.key), "litellm-config", ...AGENT_ROWS[stack]].sort(), stack);
        }
    });

    it("a LiteLLM account of another project evaluates with the explicit opt-in, and runs as that account", async () => {
        const email = "litellm-run@shared-identities.iam.gserviceaccount.com";
        const e = await evaluate({ stack: "prod", set: { litellmServiceAccount: email, allowCrossProjectServiceAccount: true } });
        assert.ifError(e.error);
        assert.deepStrictEqual(e.resources.filter((r) => r.type === "gcp:serviceaccount/account:Account" && r.name === "cloudrun-litellm"), []);
        const grants = byType(e, "gcp:secretmanager/secretIamMember:SecretIamMember").filter((g) => g.inputs.member === `serviceAccount:${email}`);
        assert.ok(grants.length > 0);
    });

    it("no target at all evaluates: secrets are stored, nobody is granted them", async () => {
        const e = await evaluate({ stack: "dev", set: { targets: [], gcpRuntime: false } });
        assert.ifError(e.error);
        assert.deepStrictEqual(byType(e, "gcp:secretmanager/secretIamMember:SecretIamMember"), []);
    });
});
