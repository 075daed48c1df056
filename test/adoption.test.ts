/**
 * Adoption of an existing setup: the committed example stack takes over the Cloud Run guide's
 * secrets (ids from the hand transcription in fixtures/seed-contract/cloud-run-env.yaml) and must
 * import every one of them, create none, write no new version, and keep the values given.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { parseConfig } from "../components/config";
import { SECRET_CONTRACT } from "../components/contract";
import { Evaluation, RecordedResource, byType, changedResources, evaluate, unwrap } from "../scripts/lib/evaluate";
import { rotationFacts, rotationReport } from "../scripts/lib/rotationReport";

const STACK = "adopt-example";
const PROJECT_ID = "llm-platform-adopt";
const SECRET = "gcp:secretmanager/secret:Secret";
const VERSION = "gcp:secretmanager/secretVersion:SecretVersion";
const SECRET_IAM = "gcp:secretmanager/secretIamMember:SecretIamMember";

const guide = YAML.parse(fs.readFileSync(path.join(__dirname, "fixtures", "seed-contract", "cloud-run-env.yaml"), "utf8"));
/** The guide's secret ids (`gcloud secrets create <id>`), bare. */
const GUIDE_IDS: string[] = Object.values<string>(guide.secrets).sort();

/** What the operator gives for each `secure:` entry: the value each existing version holds. */
const LIVE: Record<string, string> = {
    adoptedDatabaseUrl: "postgresql://litellm:secure-password@10.1.2.3:5432/litellm",
    adoptedLitellmMasterKey: "sk-live-master-0001",
    adoptedLitellmSaltKey: "sk-live-salt-key-0001",
    adoptedUiPassword: "live-ui-password-0001",
    adoptedRedisHost: "10.1.2.4",
    adoptedRedisPassword: "live-redis-auth-0001",
    langfusePublicKey: "pk-lf-live-0001",
    langfuseSecretKey: "sk-lf-live-0001",
    context7ApiKey: "ctx7sk-live-0001",
    tavilyApiKey: "tvly-live-0001",
};
/** The guide's values by secret id, as `gcloud secrets versions access 1` shows them. */
const LIVE_BY_ID: Record<string, string> = {
    "database-url": LIVE.adoptedDatabaseUrl,
    "litellm-master-key": LIVE.adoptedLitellmMasterKey,
    "litellm-salt-key": LIVE.adoptedLitellmSaltKey,
    "ui-username": "admin",
    "ui-password": LIVE.adoptedUiPassword,
    "redis-host": LIVE.adoptedRedisHost,
    "redis-password": LIVE.adoptedRedisPassword,
    "langfuse-public-key": LIVE.langfusePublicKey,
    "langfuse-secret-key": LIVE.langfuseSecretKey,
    "context7-api-key": LIVE.context7ApiKey,
    "tavily-api-key": LIVE.tavilyApiKey,
};
const CONTRACT_KEYS = new Set(SECRET_CONTRACT.map((s) => s.key));
const secureValue = (key: string): string => LIVE[key] ?? `unexpected-secure-${key}`;

const adopt = (extra: Parameters<typeof evaluate>[0] extends infer O ? Partial<O & object> : never = {}): Promise<Evaluation> =>
    evaluate({ stack: STACK, secureValue, ...extra });

const secretById = (e: Evaluation, id: string): RecordedResource | undefined =>
    byType(e, SECRET).find((r) => unwrap(r.inputs).secretId === id);
const versionOf = (e: Evaluation, secret: RecordedResource): RecordedResource => {
    const v = e.resources.find((r) => r.type === VERSION && r.parent === secret.parent);
    assert.ok(v, `no version beside ${secret.name}`);
    return v;
};

describe("adoption: the Cloud Run guide's secrets, by their bare ids", () => {
    let e: Evaluation;
    before(async () => {
        e = await adopt();
        assert.ifError(e.error);
    });

    it("imports every guide secret the stack has, at its bare id, and creates no secret", () => {
        const ids = byType(e, SECRET).map((r) => unwrap(r.inputs).secretId).sort();
        // The example adopts all of the guide's secrets that this contract has rows for.
        const expected = GUIDE_IDS.filter((id) => CONTRACT_KEYS.has(id));
        for (const id of expected.filter((x) => !ids.includes(x))) {
            assert.fail(`the guide's secret ${id} is not adopted by the example stack`);
        }
        for (const secret of byType(e, SECRET)) {
            const id = unwrap(secret.inputs).secretId;
            assert.ok(GUIDE_IDS.includes(id), `${id} is not one of the guide's secrets: it would be created`);
            assert.strictEqual(secret.importId, `projects/${PROJECT_ID}/secrets/${id}`, id);
            assert.strictEqual(secret.retainOnDelete, true, `${id} must be retained on delete`);
        }
    });

    it("gives each import the inputs gcloud secrets create gave it: no labels, automatic replication", () => {
        for (const secret of byType(e, SECRET)) {
            const inputs = unwrap(secret.inputs);
            assert.deepStrictEqual(inputs.labels, {}, secret.name);
            assert.deepStrictEqual(inputs.replication, { auto: {} }, secret.name);
            // The example keeps its data: the provider-side flag goes on with the import.
            assert.strictEqual(inputs.deletionProtection, true, secret.name);
        }
    });

    it("imports each current version with the value it holds: nothing new is written", () => {
        for (const secret of byType(e, SECRET)) {
            const id = unwrap(secret.inputs).secretId;
            const version = versionOf(e, secret);
            assert.strictEqual(version.importId, `projects/${PROJECT_ID}/secrets/${id}/versions/1`, id);
            assert.strictEqual(version.retainOnDelete, true, id);
            assert.deepStrictEqual(version.ignoreChanges, ["deletionPolicy"], id);
            assert.strictEqual(unwrap(version.inputs.secretData), LIVE_BY_ID[id], `${id} keeps the value it has`);
            assert.strictEqual((e.outputs.secretVersions.value as Record<string, string>)[id], "1", `${id} stays at version 1`);
        }
    });

    it("keeps the salt key's given value, protected, and generates no value at all", () => {
        const salt = secretById(e, "litellm-salt-key");
        assert.ok(salt);
        assert.strictEqual(unwrap(versionOf(e, salt).inputs.secretData), "sk-live-salt-key-0001");
        assert.strictEqual(salt.protect, true);
        assert.deepStrictEqual(byType(e, "random:index/randomPassword:RandomPassword").map((r) => r.name), []);
        assert.deepStrictEqual(byType(e, "time:index/rotating:Rotating").map((r) => r.name), []);
    });

    it("changes nothing else: besides the imports, only additive read grants to the guide's service account", () => {
        const other = e.resources.filter((r) => r.custom && r.importId === null && r.type !== SECRET_IAM);
        assert.deepStrictEqual(other.map((r) => `${r.type} ${r.name}`), []);
        for (const grant of byType(e, SECRET_IAM)) {
            assert.strictEqual(unwrap(grant.inputs).member, `serviceAccount:litellm-proxy@${PROJECT_ID}.iam.gserviceaccount.com`);
            assert.strictEqual(unwrap(grant.inputs).role, "roles/secretmanager.secretAccessor");
        }
        assert.deepStrictEqual(byType(e, "gcp:serviceaccount/account:Account"), []);
    });

    it("is the same on a second up: the imports stay ordinary resources", async () => {
        const again = await adopt({ set: { __rerun: "1" } });
        assert.deepStrictEqual(changedResources(e, again).map((r) => r.name), []);
    });

    it("reports the adopted values' rotation: kept until a bump, the salt key for good", async () => {
        const rows = Object.fromEntries(rotationReport(await rotationFacts(e.platform!)).map((r) => [r.key, r]));
        assert.strictEqual(rows["litellm-master-key"].lastRotation, "before adoption (version 1 kept)");
        assert.strictEqual(rows["litellm-master-key"].nextRotation, "at rotations.litellm-master-key: 1, then every 90 d");
        assert.strictEqual(rows["litellm-salt-key"].nextRotation, "never");
        assert.match(rows["litellm-salt-key"].note, /^adopted value kept for good/);
        assert.match(rows["database-url"].note, /^adopted value kept as given \(version 1 kept\)/);
    });
});

describe("adoption: after the first rotation", () => {
    it("writes a new version of exactly the rotated secret, still in the adopted secret", async () => {
        const before = await adopt();
        const after = await adopt({ set: { rotations: { "litellm-master-key": 1 } } });
        assert.ifError(after.error);
        const secret = secretById(after, "litellm-master-key")!;
        assert.strictEqual(secret.importId, `projects/${PROJECT_ID}/secrets/litellm-master-key`);
        const version = versionOf(after, secret);
        assert.strictEqual(version.importId, null, "the rotated version is new, not imported");
        const value = unwrap(version.inputs.secretData);
        assert.notStrictEqual(value, LIVE.adoptedLitellmMasterKey);
        assert.match(value, /^sk-[A-Za-z0-9]{48}$/);
        const changed = changedResources(before, after).filter((r) => r.custom).map((r) => r.name).sort();
        assert.deepStrictEqual(changed, ["litellm-master-key-rotation", "litellm-master-key-version", "litellm-master-key"].sort());
    });

    it("refuses to regenerate the salt key, whatever the config says", async () => {
        const e = await adopt({ set: { rotations: { "litellm-salt-key": 1 } } });
        assert.match(e.error?.message ?? "", /rotations\.litellm-salt-key: litellm-salt-key never rotates silently/);
    });
});

describe("adoption: bad config", () => {
    const problems = async (set: Record<string, unknown>, unset: string[] = []): Promise<string> => {
        const e = await adopt({ set, unset });
        return e.error?.message ?? "";
    };

    it("refuses adopting anything without the salt key", async () => {
        const msg = await problems({
            adoptSecrets: { "litellm-master-key": { id: "litellm-master-key", version: 1 } },
        });
        assert.match(msg, /adoptSecrets\.litellm-salt-key: this stack adopts existing secrets but not litellm-salt-key, which would be generated anew/);
    });

    it("needs the value a generated secret keeps, and says how to give it", async () => {
        const msg = await problems({}, ["adoptedUiPassword"]);
        assert.match(msg, /adoptedUiPassword: ui-password is adopted, so its current value must be given/);
        assert.match(msg, /gcloud secrets versions access 1 --secret=ui-password \| pulumi config set --secret adoptedUiPassword/);
    });

    it("refuses a kept value stored in plain text", () => {
        const values = {
            gcpProject: "my-llm-project",
            adoptSecrets: JSON.stringify({ "litellm-salt-key": { version: 1 } }),
            adoptedLitellmSaltKey: "sk-in-plain-text",
        };
        const { problems: found } = parseConfig(values, { stack: "dev", secretKeys: new Set() });
        assert.deepStrictEqual(
            found.map((p) => `${p.key}: ${p.message}`),
            ["adoptedLitellmSaltKey: is stored in plain text in the stack file"],
        );
    });

    it("names unknown keys, missing versions and stray fields", async () => {
        const base = {
            "litellm-salt-key": { id: "litellm-salt-key", version: 1 },
            "litellm-master-key": { id: "litellm-master-key", version: 1 },
        };
        const msg = await problems({
            adoptSecrets: { ...base, "no-such-key": { version: 1 }, "ui-password": { id: "ui-password" }, "ui-username": { version: 1, colour: "blue" } },
        });
        assert.match(msg, /adoptSecrets\.no-such-key: names no secret of the contract/);
        assert.match(msg, /adoptSecrets\.ui-password\.version: is required/);
        assert.match(msg, /adoptSecrets\.ui-username\.colour: is not an adoption field/);
    });
});

describe("adoption: every backend imports by its own ids", () => {
    const kubernetesOnly = { targets: ["kubernetes"], gcpRuntime: false, litellmDbEndpoint: "10.20.0.3" };
    const ids = {
        "litellm-salt-key": { id: "llm/salt", version: "7" },
        "litellm-master-key": { id: "llm/master", version: "7" },
    };
    const only = { adoptSecrets: ids, ...kubernetesOnly };
    const unset = ["adoptedDatabaseUrl", "adoptedUiPassword", "adoptedRedisHost", "adoptedRedisPassword"];

    it("Vault: the entry at its path below the mount", async () => {
        const e = await adopt({ set: { ...only, backend: "vault", vaultAddress: "https://vault.example.com:8200" }, unset });
        assert.ifError(e.error);
        const entry = e.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2" && r.name === "litellm-salt-key")!;
        assert.strictEqual(entry.importId, "secret/data/llm/salt");
        assert.strictEqual(unwrap(entry.inputs).name, "llm/salt");
        assert.strictEqual(JSON.parse(unwrap(entry.inputs.dataJson)).value, LIVE.adoptedLitellmSaltKey);
    });

    it("Kubernetes source: the Secret by namespace and name, and the reader may get exactly it", async () => {
        const e = await adopt({
            set: { ...only, backend: "kubernetes", adoptSecrets: { ...ids, "litellm-salt-key": { id: "salt", version: "1" } } },
            unset,
        });
        assert.ifError(e.error);
        const secret = e.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "litellm-salt-key")!;
        assert.strictEqual(secret.importId, "secret-source/salt");
        const role = e.resources.find((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:Role")!;
        assert.ok(unwrap(role.inputs).rules[0].resourceNames.includes("salt"));
    });

    it("AWS: the secret by ARN, its version by ARN and VersionId", async () => {
        const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:llm/salt-AbC123";
        const e = await adopt({
            set: {
                ...only,
                backend: "aws-secrets-manager",
                awsRegion: "eu-west-1",
                awsOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
                adoptSecrets: { ...ids, "litellm-salt-key": { id: arn, version: "a1b2c3d4-0000-4000-8000-000000000001" } },
            },
            unset,
        });
        assert.ifError(e.error);
        const secret = e.resources.find((r) => r.type === "aws:secretsmanager/secret:Secret" && r.name === "litellm-salt-key")!;
        assert.strictEqual(secret.importId, arn);
        assert.strictEqual(unwrap(secret.inputs).name, "llm/salt");
        const version = e.resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.name === "litellm-salt-key-version")!;
        assert.strictEqual(version.importId, `${arn}|a1b2c3d4-0000-4000-8000-000000000001`);
    });
});

describe("adoption: provided values from a Pulumi ESC environment", () => {
    const dir = path.join(__dirname, "..", "examples", "esc");
    const stackFile = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.adopt-esc-example.yaml"), "utf8"));
    const env = YAML.parse(fs.readFileSync(path.join(dir, "llm-platform-adopt.env.yaml"), "utf8"));
    const pulumiConfig: Record<string, string> = env.values.pulumiConfig;

    it("imports the environment the example defines, and keeps no secret in the stack file", () => {
        assert.deepStrictEqual(stackFile.environment, ["llm-platform/adopt"]);
        const secure = Object.entries<unknown>(stackFile.config).filter(([, v]) => typeof v === "object" && v !== null && "secure" in v);
        assert.deepStrictEqual(secure, []);
    });

    it("gives every value the committed adoption example sets as a secret, each read from the secret it is adopted from", () => {
        const example = YAML.parse(fs.readFileSync(path.join(__dirname, "..", `Pulumi.${STACK}.yaml`), "utf8"));
        const secureKeys = Object.entries<unknown>(example.config)
            .filter(([, v]) => typeof v === "object" && v !== null && "secure" in v)
            .map(([k]) => k)
            .sort();
        assert.deepStrictEqual(Object.keys(pulumiConfig).sort(), secureKeys);
        const access = env.values.gcp.secrets["fn::open::gcp-secrets"].access;
        for (const [key, ref] of Object.entries(pulumiConfig)) {
            const m = /^\$\{gcp\.secrets\.([a-z0-9-]+)\}$/.exec(ref);
            assert.ok(m, `${key}: ${ref} is not a gcp-secrets reference`);
            assert.ok(GUIDE_IDS.includes(access[m[1]]?.name), `${key} reads ${m[1]}, which is not one of the guide's secrets`);
        }
    });

    it("evaluates with the environment's values as secret config: every guide secret imported", async () => {
        const config: Record<string, unknown> = {};
        for (const [k, v] of Object.entries<unknown>(stackFile.config)) {
            config[k] = v;
        }
        const secrets: Record<string, string> = {};
        for (const key of Object.keys(pulumiConfig)) {
            secrets[key] = secureValue(key.split(":")[1]);
        }
        const e = await evaluate({ stack: "adopt-esc", stackFiles: false, set: config, secrets });
        assert.ifError(e.error);
        const secrets_ = byType(e, SECRET);
        assert.ok(secrets_.length > 0);
        assert.ok(secrets_.every((r) => r.importId !== null));
        const salt = secretById(e, "litellm-salt-key")!;
        assert.strictEqual(unwrap(versionOf(e, salt).inputs.secretData), LIVE.adoptedLitellmSaltKey);
    });
});

describe("adoption: the guide's Cloud SQL instance, Memorystore and Cloud Run service, by id", () => {
    const runtime = {
        gcpRuntime: true,
        litellmImage: "us-central1-docker.pkg.dev/llm-platform-adopt/ghcr/berriai/litellm-database:main-stable",
        // The guide's instances sit on the default network; its instance has a public IP.
        vpcNetwork: "default",
        vpcSubnetwork: "default",
        cloudSqlPrivateIp: false,
        redisTransitEncryption: false,
        adoptCloudSqlInstance: "litellm-db",
        adoptRedisInstance: "litellm-redis",
        adoptCloudRunService: "litellm-proxy",
    };
    let e: Evaluation;
    before(async () => {
        e = await adopt({ set: runtime });
        assert.ifError(e.error);
    });

    it("creates no database, cache or network, and no database user while the URL is kept", () => {
        for (const type of [
            "gcp:sql/databaseInstance:DatabaseInstance",
            "gcp:sql/database:Database",
            "gcp:sql/user:User",
            "gcp:redis/instance:Instance",
            "gcp:compute/network:Network",
            "gcp:compute/subnetwork:Subnetwork",
        ]) {
            assert.deepStrictEqual(byType(e, type).map((r) => r.name), [], type);
        }
    });

    it("imports the guide's service by name and keeps its URL: the same service, retained", () => {
        const service = e.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        assert.strictEqual(service.importId, `projects/${PROJECT_ID}/locations/us-central1/services/litellm-proxy`);
        assert.strictEqual(unwrap(service.inputs).name, "litellm-proxy");
        assert.strictEqual(service.retainOnDelete, true);
    });

    it("reads the kept database URL and Redis secrets at their adopted versions: no new URL, no new password", () => {
        const service = e.resources.find((r) => r.type === "gcp:cloudrunv2/service:Service")!;
        const envs: { name: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[] =
            unwrap(service.inputs).template.containers[0].envs;
        const ref = (name: string) => envs.find((x) => x.name === name)?.valueSource?.secretKeyRef;
        assert.deepStrictEqual(ref("DATABASE_URL"), { secret: "database-url", version: "1" });
        assert.deepStrictEqual(ref("REDIS_PASSWORD"), { secret: "redis-password", version: "1" });
        assert.deepStrictEqual(ref("LITELLM_SALT_KEY"), { secret: "litellm-salt-key", version: "1" });
        assert.strictEqual(unwrap(versionOf(e, secretById(e, "database-url")!).inputs.secretData), LIVE.adoptedDatabaseUrl);
        // The service attaches the guide's instance through the connector.
        const volumes = unwrap(service.inputs).template.volumes;
        assert.deepStrictEqual(volumes[0].cloudSqlInstance.instances, [`${PROJECT_ID}:us-central1:litellm-db`]);
    });

    it("refuses adopting runtime resources without the runtime", async () => {
        const r = await adopt({ set: { adoptCloudSqlInstance: "litellm-db" } });
        assert.match(r.error?.message ?? "", /adoptCloudSqlInstance: adopts a resource of the GCP runtime, but gcpRuntime is off/);
    });
});

describe("adoption: the platform guide's make seed-secrets values (dev stack, bare ids)", () => {
    // The guide's generated keys this test adopts (shared seed 004, "The secrets" table).
    const seeded = ["litellm-master-key", "litellm-salt-key", "litellm-db-password", "n8n-encryption-key", "dex-admin-password", "dex-admin-hash"];
    const values: Record<string, string> = {
        adoptedLitellmMasterKey: "sk-seeded-master-1",
        adoptedLitellmSaltKey: "sk-seeded-salt-1",
        adoptedLitellmDbPassword: "seeded-db-password-1",
        adoptedN8nEncryptionKey: "seeded-n8n-key-1",
        adoptedDexAdminPassword: "seeded-dex-admin-1",
        adoptedDexAdminHash: "$2y$10$seededhashseededhashseededhashseededhashseededhashse",
    };
    const adoptSecrets = Object.fromEntries(seeded.map((k) => [k, { id: k, version: 2 }]));
    const dev = (set: Record<string, unknown>, secrets: Record<string, string> = values) =>
        evaluate({ stack: "dev", set: { secretPrefix: "", adoptSecrets, ...set }, secrets });

    it("keeps every seeded value, the hash as it is, and the database password with its one user", async () => {
        const e = await dev({});
        assert.ifError(e.error);
        for (const key of seeded) {
            const secret = secretById(e, key)!;
            assert.strictEqual(secret.importId, `projects/llm-platform-dev/secrets/${key}`, key);
            assert.strictEqual(versionOf(e, secret).importId, `projects/llm-platform-dev/secrets/${key}/versions/2`, key);
        }
        assert.strictEqual(unwrap(versionOf(e, secretById(e, "dex-admin-hash")!).inputs.secretData), values.adoptedDexAdminHash);
        assert.strictEqual(unwrap(versionOf(e, secretById(e, "n8n-encryption-key")!).inputs.secretData), values.adoptedN8nEncryptionKey);
        // Until its first rotation the password is the guide's user's: litellm, not litellm_a.
        assert.strictEqual(unwrap(versionOf(e, secretById(e, "litellm-db-username")!).inputs.secretData), "litellm");
        const users = byType(e, "gcp:sql/user:User").map((u) => [unwrap(u.inputs).name, unwrap(u.inputs.password)]);
        assert.deepStrictEqual(users, [["litellm", values.adoptedLitellmDbPassword]]);
    });

    it("refuses a stack with n8n on that adopts without the n8n key", async () => {
        const { "n8n-encryption-key": _, ...rest } = adoptSecrets;
        const e = await dev({ adoptSecrets: rest });
        assert.match(e.error?.message ?? "", /adoptSecrets\.n8n-encryption-key: this stack adopts existing secrets but not n8n-encryption-key/);
    });
});
