/**
 * Adoption beyond the Cloud Run guide's secrets on Secret Manager: every backend's import ids, the
 * guide's runtime adopted by id, and the platform guide's seeded values.
 */
import * as assert from "assert";

import { Evaluation, byType, evaluate, unwrap } from "../support/evaluate";
import { ADOPTED_RUNTIME, LIVE, PROJECT_ID, adopt, secretById, versionOf } from "./adoptionHelpers";
import {
    AWS_SECRET,
    AWS_SECRET_VERSION,
    GCP_NETWORK,
    GCP_REDIS_INSTANCE,
    GCP_RUN_SERVICE,
    GCP_SQL_DATABASE,
    GCP_SQL_INSTANCE,
    GCP_SQL_USER,
    GCP_SUBNETWORK,
    K8S_SECRET,
} from "../support/types";

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
        const secret = e.resources.find((r) => r.type === K8S_SECRET && r.name === "litellm-salt-key")!;
        assert.strictEqual(secret.importId, "secret-source/salt");
        const roles = byType(e, "kubernetes:rbac.authorization.k8s.io/v1:Role").map((r) => unwrap(r.inputs));
        const named = roles.flatMap((r) => r.rules.flatMap((rule: { resourceNames?: string[] }) => rule.resourceNames ?? []));
        assert.ok(named.includes("salt"), "a reader may get the adopted Secret by its own name");
        assert.ok(!named.includes("litellm-salt-key"), "and not by the key's name");
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
        const secret = e.resources.find((r) => r.type === AWS_SECRET && r.name === "litellm-salt-key")!;
        assert.strictEqual(secret.importId, arn);
        assert.strictEqual(unwrap(secret.inputs).name, "llm/salt");
        const version = e.resources.find((r) => r.type === AWS_SECRET_VERSION && r.name === "litellm-salt-key-version")!;
        assert.strictEqual(version.importId, `${arn}|a1b2c3d4-0000-4000-8000-000000000001`);
    });
});

describe("adoption: the guide's Cloud SQL instance, Memorystore and Cloud Run service, by id", () => {
    let e: Evaluation;
    before(async () => {
        e = await adopt({ set: ADOPTED_RUNTIME });
        assert.ifError(e.error);
    });

    it("creates no database, cache or network, and no database user while the URL is kept", () => {
        for (const type of [GCP_SQL_INSTANCE, GCP_SQL_DATABASE, GCP_SQL_USER, GCP_REDIS_INSTANCE, GCP_NETWORK, GCP_SUBNETWORK]) {
            assert.deepStrictEqual(
                byType(e, type).map((r) => r.name),
                [],
                type,
            );
        }
    });

    it("imports the guide's service by name and keeps its URL: the same service, retained", () => {
        const service = e.resources.find((r) => r.type === GCP_RUN_SERVICE)!;
        assert.strictEqual(service.importId, `projects/${PROJECT_ID}/locations/us-central1/services/litellm-proxy`);
        assert.strictEqual(unwrap(service.inputs).name, "litellm-proxy");
        assert.strictEqual(service.retainOnDelete, true);
    });

    it("reads the kept database URL and Redis secrets at their adopted versions: no new URL, no new password", () => {
        const service = e.resources.find((r) => r.type === GCP_RUN_SERVICE)!;
        const envs: { name: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[] = unwrap(service.inputs)
            .template.containers[0].envs;
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
    const seeded = [
        "litellm-master-key",
        "litellm-salt-key",
        "litellm-db-password",
        "n8n-encryption-key",
        "dex-admin-password",
        "dex-admin-hash",
    ];
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
        // LiteLLM's one user (Grafana's read-only user is another matter), not the alternating pair.
        const users = byType(e, GCP_SQL_USER).map((u) => [unwrap(u.inputs).name, unwrap(u.inputs.password)]);
        const litellm = users.filter(([name]) => name.startsWith("litellm") && name !== "litellm_grafana_ro");
        assert.deepStrictEqual(litellm, [["litellm", values.adoptedLitellmDbPassword]]);
    });

    it("refuses a stack with n8n on that adopts without the n8n key", async () => {
        const { "n8n-encryption-key": _, ...rest } = adoptSecrets;
        const e = await dev({ adoptSecrets: rest });
        assert.match(
            e.error?.message ?? "",
            /adoptSecrets\.n8n-encryption-key: this stack adopts existing secrets but not n8n-encryption-key/,
        );
    });
});

describe("adoption: what the plan says per secret", () => {
    it("names the id and the version kept, or why a new version is written", async () => {
        const { describeAdoption } = await import("../../components/adoption");
        const e = await adopt({ set: { rotations: { "ui-password": 1 } } });
        assert.ifError(e.error);
        const say = (key: string) => describeAdoption(e.platform!.adoption[key], key);
        assert.strictEqual(say("litellm-salt-key"), "adopted (litellm-salt-key, version 1 kept)");
        assert.strictEqual(say("ui-password"), "adopted (ui-password, new version: rotated since adoption (generation 1))");
        assert.strictEqual(describeAdoption(undefined, "litellm-db-password"), "created");
    });
});
