import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import * as pulumi from "@pulumi/pulumi";

import { ConfigError, PRODUCTION_STACKS, formatProblem, parseConfig } from "../../components/config";
import { evaluate } from "../support/evaluate";

const ok = { gcpProject: "llm-platform-dev" };
const problemsOf = (values: Record<string, string>, stack = "dev", secretKeys?: string[]) =>
    parseConfig(values, { stack, secretKeys: secretKeys && new Set(secretKeys) }).problems.map(formatProblem);

describe("config validation", () => {
    it("accepts a minimal stack: only the project is required", () => {
        assert.deepStrictEqual(problemsOf(ok), []);
        const { settings } = parseConfig(ok, { stack: "dev" });
        assert.strictEqual(settings.secretPrefix, "llm-dev");
        assert.deepStrictEqual([...settings.targets], ["cloudRun"]);
        assert.strictEqual(settings.dataProtection, true);
    });

    it("falls back to gcp:project", () => {
        const { settings, problems } = parseConfig({}, { stack: "dev", gcpProjectFallback: "other-project" });
        assert.deepStrictEqual(problems, []);
        assert.strictEqual(settings.gcp.project, "other-project");
    });

    it("names the key and the fix for a missing provided secret", () => {
        const problems = problemsOf({ ...ok, features: '["anthropic"]' });
        assert.deepStrictEqual(problems, [
            'anthropicApiKey: anthropic-api-key is needed because feature "anthropic" is on. ' +
                "Fix: pulumi config set --secret anthropicApiKey <value from Anthropic (console.anthropic.com, API keys)>",
        ]);
    });

    it("asks for the Cloud Run guide's tool keys behind their own features, naming their issuers", () => {
        // Issuers as the Cloud Run guide's key shapes show them (shared/seeds/002: ctx7sk-, tvly-).
        assert.deepStrictEqual(problemsOf({ ...ok, features: '["context7","tavily"]' }), [
            'context7ApiKey: context7-api-key is needed because feature "context7" is on. ' +
                "Fix: pulumi config set --secret context7ApiKey <value from Context7 (context7.com dashboard, API keys)>",
            'tavilyApiKey: tavily-api-key is needed because feature "tavily" is on. ' +
                "Fix: pulumi config set --secret tavilyApiKey <value from Tavily (app.tavily.com, API keys)>",
        ]);
        assert.deepStrictEqual(
            problemsOf({ ...ok, features: '["langfuse"]', langfusePublicKey: "x", langfuseSecretKey: "y" }, "dev", [
                "langfusePublicKey",
                "langfuseSecretKey",
            ]),
            [],
        );
    });

    it("refuses a provided secret kept in plain text", () => {
        const problems = problemsOf({ ...ok, features: '["openai"]', openaiApiKey: "sk-plain" }, "dev", []);
        assert.strictEqual(problems.length, 1);
        assert.match(problems[0], /^openaiApiKey: is stored in plain text.*pulumi config set --secret openaiApiKey/);
    });

    it("reports every problem at once, each with its key", () => {
        const problems = problemsOf({
            gcpProject: "X",
            backend: "keepass",
            features: '["dex","telepathy"]',
            rotations: '{"litellm-salt-key":1,"nope":2,"vllm-api-key":-1}',
            bcryptCost: "4",
            secretPrefix: "has space",
        });
        const keys = problems.map((p) => p.split(":")[0]).sort();
        assert.deepStrictEqual(keys, [
            "backend",
            "bcryptCost",
            "features",
            "gcpProject",
            "rotations.litellm-salt-key",
            "rotations.nope",
            "rotations.vllm-api-key",
            "secretPrefix",
        ]);
        assert.ok(
            problems.every((p) => p.includes("Fix: ")),
            problems.join("\n"),
        );
    });

    it("merges rotationPeriods over the seeds' defaults", () => {
        const { settings, problems } = parseConfig({ ...ok, rotationPeriods: '{"database-password":14}' }, { stack: "dev" });
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(settings.rotationPeriods, {
            "llm-api-key": 90,
            "database-password": 14,
            "service-credential": 90,
            "admin-password": 90,
        });
    });

    it("refuses an unknown rotation class and a period that is not whole days ≥ 1", () => {
        assert.deepStrictEqual(
            problemsOf({ ...ok, rotationPeriods: '{"api-key":30,"database-password":0,"llm-api-key":1.5,"admin-password":"x"}' }),
            [
                "rotationPeriods.llm-api-key: 1.5 is not a whole number ≥ 0. Fix: in Pulumi.<stack>.yaml: rotationPeriods: { database-password: 30 }",
                'rotationPeriods.admin-password: "x" is not a whole number ≥ 0. Fix: in Pulumi.<stack>.yaml: rotationPeriods: { database-password: 30 }',
                "rotationPeriods.api-key: is not a rotation class; expected one of llm-api-key, database-password, service-credential, admin-password. " +
                    "Fix: correct or remove the entry in Pulumi.<stack>.yaml",
                "rotationPeriods.database-password: 0 is not a whole number of days from 2 (twice the 1-day cadence of the scheduled update) to 3650. " +
                    "Fix: in Pulumi.<stack>.yaml: rotationPeriods: { database-password: 30 }",
            ],
        );
        assert.match(problemsOf({ ...ok, rotationPeriods: "[30]" })[0], /^rotationPeriods: must be a map of names to whole numbers/);
    });

    it("refuses a rotation bump for the active database user: it follows its password", () => {
        assert.deepStrictEqual(problemsOf({ ...ok, rotations: '{"litellm-db-username":1}' }), [
            "rotations.litellm-db-username: litellm-db-username is not generated here (generation 1 cannot apply). " +
                "Fix: it follows the value it is derived from: rotate that one",
        ]);
    });

    it("checks the base name of the alternating database users", () => {
        assert.deepStrictEqual(
            parseConfig({ ...ok, litellmDbUsername: "proxy" }, { stack: "dev" }).settings.settingValues.litellmDbUsername,
            "proxy",
        );
        assert.match(
            problemsOf({ ...ok, litellmDbUsername: "LiteLLM" })[0],
            /^litellmDbUsername: "LiteLLM" is not valid: a lowercase PostgreSQL name/,
        );
    });

    it("decides production by the stack's name, never by a config value", () => {
        // Hand-kept: the committed production stack.
        assert.deepStrictEqual(PRODUCTION_STACKS, ["prod"]);
        assert.strictEqual(parseConfig({ ...ok, environment: "production" }, { stack: "prod" }).settings.production, true);
        assert.strictEqual(
            parseConfig({ ...ok, environment: "prod", dataProtection: "false" }, { stack: "dev" }).settings.production,
            false,
        );
        // A production stack that calls itself something else keeps every guarantee.
        const keys = problemsOf(
            {
                ...ok,
                environment: "staging",
                dataProtection: "false",
                auditLogs: "false",
                allowUnauthenticated: "true",
                cloudRunSecretVersions: "latest",
            },
            "prod",
        ).map((p) => p.split(":")[0]);
        assert.deepStrictEqual(keys.sort(), [
            "alertEmail",
            "allowUnauthenticated",
            "auditLogs",
            "cloudRunSecretVersions",
            "dataProtection",
        ]);
    });

    it("refuses turning data protection off in prod", () => {
        assert.match(
            problemsOf({ ...ok, environment: "prod", dataProtection: "false", alertEmail: "oncall@example.com" }, "prod")[0],
            /^dataProtection: stack "prod" is production and must keep its data/,
        );
    });

    it("lists unknown keys as likely typos", () => {
        assert.deepStrictEqual(parseConfig({ ...ok, featurs: "[]" }, { stack: "dev" }).unknownKeys, ["featurs"]);
    });

    it("declares in Pulumi.yaml every key the program reads, with the same defaults", () => {
        const project = YAML.parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8"));
        const { declared } = parseConfig(ok, { stack: "dev" });
        for (const [key, decl] of declared) {
            const yamlDecl = project.config[key];
            assert.ok(yamlDecl, `Pulumi.yaml does not declare ${key}`);
            assert.ok(yamlDecl.description, `${key} has no description`);
            if ("default" in yamlDecl && decl.default !== undefined) {
                assert.deepStrictEqual(yamlDecl.default, decl.default, `default of ${key}`);
            }
            if (decl.secret) {
                assert.strictEqual(yamlDecl.secret, true, `${key} should be declared secret: true`);
            }
        }
        for (const key of Object.keys(project.config)) {
            assert.ok(declared.has(key), `Pulumi.yaml declares ${key}, which the program never reads`);
        }
    });

    describe("GCP runtime", () => {
        const runtime = { ...ok, gcpRuntime: "true", litellmImage: "europe-docker.pkg.dev/p/r/litellm:v1.74.3-stable" };

        it("is off by default, and its settings have the documented defaults", () => {
            const { settings } = parseConfig(ok, { stack: "dev" });
            assert.strictEqual(settings.gcpRuntime.enabled, false);
            assert.deepStrictEqual([...settings.derivations], []);
            assert.deepStrictEqual(settings.gcpRuntime.cloudSql, {
                databaseVersion: "POSTGRES_16",
                tier: "db-f1-micro",
                edition: "ENTERPRISE",
                availabilityType: "ZONAL",
                privateIp: true,
                grafanaUser: "litellm_grafana_ro",
            });
            assert.deepStrictEqual(settings.gcpRuntime.redis, {
                tier: "BASIC",
                version: "REDIS_7_2",
                memorySizeGb: 1,
                transitEncryption: true,
            });
            assert.strictEqual(settings.gcpRuntime.litellm.secretVersions, "pinned");
            assert.strictEqual(settings.gcpRuntime.litellm.allowUnauthenticated, false);
        });

        it("produces every derivation when on", () => {
            const { settings, problems } = parseConfig(runtime, { stack: "dev" });
            assert.deepStrictEqual(problems, []);
            assert.deepStrictEqual([...settings.derivations].sort(), [
                "agent-database-url",
                "cloud-sql-database-url",
                "memorystore-auth-string",
                "memorystore-host",
                "memorystore-url",
            ]);
        });

        const cases: [string, Record<string, string>, string, string][] = [
            ["needs the image", { ...ok, gcpRuntime: "true" }, "dev", "litellmImage: is required with gcpRuntime"],
            [
                "refuses an image Cloud Run cannot pull",
                { ...runtime, litellmImage: "ghcr.io/berriai/litellm:main-v1.74.3-stable" },
                "dev",
                "litellmImage: Cloud Run pulls only from Artifact Registry, Container Registry or Docker Hub, not ghcr.io",
            ],
            [
                "refuses an image without a tag",
                { ...runtime, litellmImage: "docker.io/litellm/litellm" },
                "dev",
                'litellmImage: "docker.io/litellm/litellm" is not valid',
            ],
            [
                "needs the cloudRun target",
                { ...runtime, targets: '["kubernetes"]', vpcNetwork: "gke", vpcSubnetwork: "run" },
                "dev",
                "gcpRuntime: runs LiteLLM on Cloud Run, but cloudRun is not in targets",
            ],
            [
                "refuses a public prod service",
                { ...runtime, environment: "prod", allowUnauthenticated: "true", alertEmail: "oncall@example.com" },
                "prod",
                "allowUnauthenticated: the production LiteLLM service is never public",
            ],
            [
                "adopts network and subnetwork together",
                { ...runtime, vpcNetwork: "shared" },
                "dev",
                "vpcSubnetwork: vpcNetwork and vpcSubnetwork adopt an existing network together",
            ],
            [
                "refuses a shared-core tier in ENTERPRISE_PLUS",
                { ...runtime, cloudSqlEdition: "ENTERPRISE_PLUS" },
                "dev",
                'cloudSqlTier: "db-f1-micro" is not offered in the ENTERPRISE_PLUS edition',
            ],
            [
                "refuses high availability without backups",
                { ...runtime, cloudSqlAvailability: "REGIONAL", dataProtection: "false" },
                "dev",
                "cloudSqlAvailability: REGIONAL (high availability) needs backups with point-in-time recovery",
            ],
            [
                "refuses more minimum than maximum instances",
                { ...runtime, litellmMinInstances: "5", litellmMaxInstances: "2" },
                "dev",
                "litellmMinInstances: 5 is more than litellmMaxInstances (2)",
            ],
            [
                "refuses allUsers as an invoker",
                { ...runtime, litellmInvokers: '["allUsers"]' },
                "dev",
                "litellmInvokers: allUsers and allAuthenticatedUsers are not listed as invokers",
            ],
            [
                "refuses a Redis version that is not 7",
                { ...runtime, redisVersion: "REDIS_6_X" },
                "dev",
                'redisVersion: unknown value "REDIS_6_X"',
            ],
            [
                "refuses a Direct VPC egress range smaller than /26",
                { ...runtime, vpcSubnetCidr: "10.8.0.0/28" },
                "dev",
                'vpcSubnetCidr: "10.8.0.0/28" is not valid',
            ],
        ];
        for (const [what, values, stack, expected] of cases) {
            it(what, () => {
                const problems = problemsOf(values, stack);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
                assert.ok(problems[0].startsWith(expected), problems[0]);
                assert.ok(problems[0].includes("Fix: "), problems[0]);
            });
        }

        it("refuses rotating a derived secret, pointing at what it follows", () => {
            const problems = problemsOf({ ...runtime, rotations: '{"database-url":1}' });
            assert.deepStrictEqual(problems, [
                "rotations.database-url: database-url is not generated here (generation 1 cannot apply). " +
                    "Fix: it follows the value it is derived from: rotate that one",
            ]);
        });
    });

    it("fails the program before any resource is registered, with no stack trace", async () => {
        const e = await evaluate({ stack: "dev", set: { features: '["anthropic","telepathy"]' } });
        assert.ok(e.error, "expected a config error");
        assert.strictEqual(e.resources.length, 0);
        assert.ok(e.error instanceof ConfigError && e.error instanceof pulumi.RunError, e.error.stack);
        assert.match(e.error.message, /stack "dev" has 2 config problems/);
        assert.match(e.error.message, /features: unknown entry "telepathy"/);
        assert.match(e.error.message, /anthropicApiKey: anthropic-api-key is needed because feature "anthropic" is on/);
        assert.ok(!/\bat .*\.ts:\d+/.test(e.error.message), "message must not carry a stack trace");
    });
});
