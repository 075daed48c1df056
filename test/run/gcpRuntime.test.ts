import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { postgresUrl } from "../../components/data/urls";
import { Evaluation, byType, evaluate, findResource, isSecretEnvelope, promiseOf, unwrap, urnName } from "../support/evaluate";
import {
    ACCOUNT,
    ADDRESS,
    DATABASE,
    INSTANCE,
    INVOKER,
    NETWORK,
    PEERING,
    PROJECT_IAM,
    REDIS,
    SECRET_IAM,
    SERVICE,
    SUBNETWORK,
    USER,
    VERSION,
    contractEnv,
    dataOf,
    envsOf,
    secretIdOf,
    serviceOf,
    versionOf,
} from "./gcpRuntimeHelpers";
import { GCP_SECRET_VERSION } from "../support/types";

const EXPECTED = {
    dev: {
        project: "llm-platform-dev",
        region: "us-central1",
        tier: "db-f1-micro",
        availability: "ZONAL",
        redisTier: "BASIC",
        tls: false,
        logLevel: "DEBUG",
        plainEnv: ["LITELLM_LOG", "REDIS_PORT", "STORE_MODEL_IN_DB"],
        invokers: [] as string[],
        network: "projects/llm-platform-dev/global/networks/llm-dev-gke",
        subnetwork: "projects/llm-platform-dev/regions/us-central1/subnetworks/llm-dev-run",
    },
    prod: {
        project: "llm-platform-prod",
        region: "europe-west4",
        tier: "db-custom-2-7680",
        availability: "REGIONAL",
        redisTier: "STANDARD_HA",
        tls: true,
        logLevel: "INFO",
        plainEnv: ["LANGFUSE_BASE_URL", "LITELLM_LOG", "REDIS_PORT", "REDIS_SSL", "REDIS_SSL_CA_DATA", "STORE_MODEL_IN_DB"],
        invokers: [] as string[],
        network: "projects/llm-platform-prod/global/networks/llm-prod-gke",
        subnetwork: "projects/llm-platform-prod/regions/europe-west4/subnetworks/llm-prod-run",
    },
} as const;

for (const stack of ["dev", "prod"] as const) {
    const x = EXPECTED[stack];
    describe(`GCP runtime (${stack} stack)`, () => {
        let e: Evaluation;
        before(async () => {
            e = await evaluate({ stack });
            assert.ifError(e.error);
        });

        it("creates Cloud SQL Postgres from config, with the litellm database and two alternating users holding generated passwords", async () => {
            const instance = findResource(e, INSTANCE, "litellm-db");
            assert.strictEqual(urnName(instance.parent), "litellm-db");
            assert.strictEqual(instance.inputs.project, x.project);
            assert.strictEqual(instance.inputs.region, x.region);
            assert.strictEqual(instance.inputs.databaseVersion, "POSTGRES_16");
            assert.match(instance.inputs.name, new RegExp(`^${stack}-litellm-[0-9a-f]{4}$`));
            assert.strictEqual(instance.inputs.settings.tier, x.tier);
            assert.strictEqual(instance.inputs.settings.edition, "ENTERPRISE");
            assert.strictEqual(instance.inputs.settings.availabilityType, x.availability);
            assert.strictEqual(instance.inputs.settings.ipConfiguration.sslMode, "ENCRYPTED_ONLY");

            const database = findResource(e, DATABASE, "litellm-db-litellm");
            assert.deepStrictEqual([database.inputs.name, database.inputs.instance], ["litellm", instance.inputs.name]);
            // LiteLLM's two users and, both stacks having feature grafana, Grafana's (the guide's
            // litellm-grafana-ro); an agent's own user is test/agents/agents.test.ts's.
            const litellmUsers = byType(e, USER).filter((u) => !u.name.startsWith("agent-"));
            assert.deepStrictEqual(litellmUsers.map((u) => u.name).sort(), [
                "litellm-db-user-litellm_a",
                "litellm-db-user-litellm_b",
                "litellm-db-user-litellm_grafana_ro",
            ]);
            const grafana = findResource(e, USER, "litellm-db-user-litellm_grafana_ro");
            assert.strictEqual(grafana.inputs.name, "litellm_grafana_ro");
            assert.ok(isSecretEnvelope(grafana.inputs.password), "the user's password is a secret input");
            assert.strictEqual(unwrap(grafana.inputs.password), dataOf(e, "litellm-grafana-ro-password"));
            for (const slot of ["a", "b"]) {
                const user = findResource(e, USER, `litellm-db-user-litellm_${slot}`);
                assert.strictEqual(user.inputs.name, `litellm_${slot}`);
                assert.strictEqual(user.inputs.instance, instance.inputs.name);
                // The SDK wraps password itself; what can fail is the generated value being a secret.
                assert.ok(
                    await pulumi.isSecret(e.platform!.alternating["litellm-db-password"].password),
                    "the password is a Pulumi secret",
                );
                assert.match(unwrap(user.inputs.password), /^[A-Za-z0-9]{32}$/);
            }
            // The stored user and password (what consumers read) are the active user's.
            const active = findResource(e, USER, `litellm-db-user-${dataOf(e, "litellm-db-username")}`);
            assert.strictEqual(unwrap(active.inputs.password), dataOf(e, "litellm-db-password"), "the contract's generated value");
        });

        it("gives Cloud SQL a private IP only, on the adopted network (the cluster's VPC), which Memorystore shares", () => {
            // Both committed stacks adopt the GKE cluster's VPC (issue 16.2): nothing network-wide is created.
            const instance = findResource(e, INSTANCE, "litellm-db");
            assert.deepStrictEqual(instance.inputs.settings.ipConfiguration, {
                ipv4Enabled: false,
                privateNetwork: x.network,
                sslMode: "ENCRYPTED_ONLY",
            });
            for (const type of [NETWORK, SUBNETWORK, PEERING, ADDRESS]) {
                assert.deepStrictEqual(byType(e, type), [], `${type} is the adopted network's own`);
            }
        });

        it(`runs Memorystore Redis 7 (${x.redisTier}) with AUTH${x.tls ? " and TLS" : ""} on the same network`, () => {
            const redis = findResource(e, REDIS, "litellm-redis");
            assert.strictEqual(redis.inputs.name, `${stack}-litellm`);
            assert.strictEqual(redis.inputs.region, x.region);
            assert.strictEqual(redis.inputs.tier, x.redisTier);
            assert.match(redis.inputs.redisVersion, /^REDIS_7_/);
            assert.strictEqual(redis.inputs.authEnabled, true);
            assert.strictEqual(redis.inputs.transitEncryptionMode, x.tls ? "SERVER_AUTHENTICATION" : "DISABLED");
            assert.strictEqual(redis.inputs.authorizedNetwork, x.network);
        });

        it("stores the derived secrets, built from the resources and the generated password, as secrets", async () => {
            const connectionName = e.outputs.cloudSqlConnectionName.value as string;
            const instance = findResource(e, INSTANCE, "litellm-db");
            assert.strictEqual(connectionName, `${x.project}:${x.region}:${instance.inputs.name}`);
            for (const key of ["database-url", "redis-host", "redis-password", "redis-url"]) {
                const version = findResource(e, VERSION, `${key}-version`);
                assert.ok(await pulumi.isSecret(e.platform!.values[key]), `${key} is a Pulumi secret`);
                assert.strictEqual(unwrap(version.inputs.secretData), await promiseOf(e.platform!.values[key]));
            }
            assert.strictEqual(
                dataOf(e, "database-url"),
                postgresUrl({
                    user: dataOf(e, "litellm-db-username"),
                    password: dataOf(e, "litellm-db-password"),
                    socketDir: `/cloudsql/${connectionName}`,
                    database: "litellm",
                }),
            );
            const url = new URL(dataOf(e, "redis-url"));
            assert.strictEqual(url.protocol, x.tls ? "rediss:" : "redis:");
            assert.strictEqual(url.hostname, dataOf(e, "redis-host"));
            assert.strictEqual(url.port, x.tls ? "6378" : "6379");
            assert.strictEqual(url.username, "");
            assert.strictEqual(decodeURIComponent(url.password), dataOf(e, "redis-password"));
            assert.ok(dataOf(e, "redis-password").length >= 16);
        });

        it("binds every LiteLLM env var the contract names to its secret, pinned to the version written", () => {
            const envs = envsOf(e);
            const expected = contractEnv(e);
            for (const name of [
                "DATABASE_URL",
                "LITELLM_MASTER_KEY",
                "LITELLM_SALT_KEY",
                "UI_USERNAME",
                "UI_PASSWORD",
                "REDIS_HOST",
                "REDIS_PASSWORD",
            ]) {
                assert.ok(expected.has(name), `the contract feeds ${name}`);
            }
            if (stack === "prod") {
                for (const name of ["LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY", "ANTHROPIC_API_KEY"]) {
                    assert.ok(expected.has(name), `the contract feeds ${name} in prod`);
                }
            }
            const bySecret = envs.filter((v) => v.valueSource !== undefined);
            assert.deepStrictEqual(bySecret.map((v) => v.name).sort(), [...expected.keys()].sort());
            for (const v of bySecret) {
                const key = expected.get(v.name)!;
                assert.deepStrictEqual(v.valueSource, { secretKeyRef: { secret: secretIdOf(e, key), version: versionOf(e, key) } }, v.name);
                assert.notStrictEqual(v.valueSource!.secretKeyRef.version, "latest");
                assert.strictEqual(v.value, undefined);
            }
        });

        it("sets only non-secret plain values: STORE_MODEL_IN_DB, LITELLM_LOG, REDIS_PORT and the feature's extras", () => {
            const plain = Object.fromEntries(
                envsOf(e)
                    .filter((v) => v.valueSource === undefined)
                    .map((v) => [v.name, v.value]),
            );
            assert.deepStrictEqual(Object.keys(plain).sort(), [...x.plainEnv]);
            assert.strictEqual(plain.STORE_MODEL_IN_DB, "True");
            assert.strictEqual(plain.LITELLM_LOG, x.logLevel);
            assert.strictEqual(plain.REDIS_PORT, x.tls ? "6378" : "6379");
            if (stack === "prod") {
                assert.strictEqual(plain.LANGFUSE_BASE_URL, "https://cloud.langfuse.com");
                assert.strictEqual(plain.REDIS_SSL, "True");
                assert.match(String(plain.REDIS_SSL_CA_DATA), /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/);
            }
            // No plain value carries any stored value (settings such as the UI user name aside).
            const secretValues = e
                .platform!.active.filter((a) => a.spec.source.kind !== "setting" && a.spec.key !== "redis-host")
                .map((a) => dataOf(e, a.spec.key));
            for (const [name, value] of Object.entries(plain)) {
                assert.ok(!secretValues.some((s) => String(value).includes(s)), `${name} holds a secret value`);
            }
            assert.ok(!isSecretEnvelope(serviceOf(e).inputs.template), "the service's inputs hold no secret");
        });

        it("runs as its own account, granted exactly its secrets and Cloud SQL client, and waits for those grants", () => {
            const account = findResource(e, ACCOUNT, "cloudrun-litellm");
            assert.strictEqual(account.inputs.accountId, `${stack}-cloudrun-litellm`);
            const email = `${stack}-cloudrun-litellm@${x.project}.iam.gserviceaccount.com`;
            const service = serviceOf(e);
            assert.strictEqual(service.inputs.template.serviceAccount, email);

            const member = `serviceAccount:${email}`;
            const secretGrants = byType(e, SECRET_IAM).filter((g) => g.inputs.member === member);
            // Its env vars' secrets, and the config file it mounts (llm-<env>-litellm-config).
            const wanted = [...[...new Set(contractEnv(e).values())].map((k) => secretIdOf(e, k)), `llm-${stack}-litellm-config`].sort();
            assert.deepStrictEqual(secretGrants.map((g) => g.inputs.secretId).sort(), wanted);
            assert.ok(secretGrants.every((g) => g.inputs.role === "roles/secretmanager.secretAccessor"));
            const projectGrants = byType(e, PROJECT_IAM).filter((g) => g.inputs.member === member);
            assert.deepStrictEqual(
                projectGrants.map((g) => g.inputs.role),
                ["roles/cloudsql.client"],
            );
            // Nothing else names the account.
            const elsewhere = e.resources.filter(
                // The IAM propagation wait names it in its triggers: not a grant.
                (r) =>
                    r.custom &&
                    ![SERVICE, "time:index/sleep:Sleep"].includes(r.type) &&
                    ![SECRET_IAM, PROJECT_IAM].includes(r.type) &&
                    JSON.stringify(r.inputs).includes(email),
            );
            assert.deepStrictEqual(
                elsewhere.map((r) => `${r.type} ${r.name}`),
                [],
            );

            for (const grant of [...secretGrants, ...projectGrants]) {
                assert.ok(service.dependencies.includes(grant.urn), `the service waits for ${grant.name}`);
            }
        });

        it("attaches Cloud SQL by connection name and reaches Memorystore through Direct VPC egress", () => {
            const template = unwrap(serviceOf(e).inputs.template);
            const configVersion = findResource(e, GCP_SECRET_VERSION, "litellm-config-version");
            assert.deepStrictEqual(template.volumes, [
                { name: "cloudsql", cloudSqlInstance: { instances: [e.outputs.cloudSqlConnectionName.value] } },
                // LiteLLM's config, pinned to the version written (a new config rolls a revision).
                {
                    name: "file-0",
                    secret: {
                        secret: `llm-${stack}-litellm-config`,
                        items: [{ version: template.volumes[1]?.secret?.items?.[0]?.version, path: "config.yaml" }],
                    },
                },
            ]);
            assert.match(template.volumes[1].secret.items[0].version, /^[0-9]+$/, "a pinned version, not latest");
            assert.ok(serviceOf(e).propertyDependencies.template.includes(configVersion.urn), "the version is the one written");
            assert.deepStrictEqual(template.containers[0].args, ["--port", "4000", "--config", "/etc/litellm/config.yaml"]);
            assert.deepStrictEqual(template.containers[0].volumeMounts, [
                { name: "cloudsql", mountPath: "/cloudsql" },
                { name: "file-0", mountPath: "/etc/litellm" },
            ]);
            assert.deepStrictEqual(template.vpcAccess, {
                egress: "PRIVATE_RANGES_ONLY",
                networkInterfaces: [{ network: x.network, subnetwork: x.subnetwork }],
            });
        });

        it("is not public: only the configured invokers may call it", () => {
            // LiteLLM's; an agent's invokers are test/agents/agents.test.ts's.
            const invokers = byType(e, INVOKER).filter((r) => r.name.startsWith("litellm-invoker-"));
            assert.deepStrictEqual(
                invokers.map((r) => r.inputs.member),
                [...x.invokers],
            );
            assert.ok(invokers.every((r) => r.inputs.role === "roles/run.invoker" && r.inputs.name === `${stack}-litellm`));
        });

        it("exports the service URL, the Cloud SQL connection name and each env var's secret and version, never a value", () => {
            assert.match((e.outputs.serviceUrls.value as Record<string, string>).litellm, /^https:\/\/.+\.run\.app$/);
            const services = e.outputs.serviceSecrets.value as Record<string, Record<string, { secret: string; version: string }>>;
            for (const [env, key] of contractEnv(e)) {
                assert.deepStrictEqual(services.litellm[env], { secret: secretIdOf(e, key), version: versionOf(e, key) });
            }
            const outputs = JSON.stringify(e.outputs);
            for (const key of ["database-url", "redis-password", "redis-url", "litellm-db-password"]) {
                assert.ok(!outputs.includes(dataOf(e, key)), `${key}'s value is in the outputs`);
            }
            for (const [name, o] of Object.entries(e.outputs)) {
                assert.strictEqual(o.secret, false, `${name} needs no secrecy: it holds no value`);
            }
        });
    });
}

describe("GCP runtime protections", () => {
    let dev: Evaluation;
    let prod: Evaluation;
    before(async () => {
        dev = await evaluate({ stack: "dev" });
        prod = await evaluate({ stack: "prod" });
    });

    it("protects prod's data: Pulumi protect and the API's deletion protection, backups with point-in-time recovery", () => {
        const instance = findResource(prod, INSTANCE, "litellm-db");
        assert.strictEqual(instance.protect, true);
        assert.strictEqual(instance.inputs.deletionProtection, true);
        assert.strictEqual(instance.inputs.settings.deletionProtectionEnabled, true);
        assert.deepStrictEqual(instance.inputs.settings.backupConfiguration, {
            enabled: true,
            pointInTimeRecoveryEnabled: true,
            startTime: "02:00",
            transactionLogRetentionDays: 7,
            backupRetentionSettings: { retainedBackups: 14, retentionUnit: "COUNT" },
        });
        const database = findResource(prod, DATABASE, "litellm-db-litellm");
        assert.deepStrictEqual([database.protect, database.inputs.deletionPolicy], [true, "ABANDON"]);
        const redis = findResource(prod, REDIS, "litellm-redis");
        assert.deepStrictEqual([redis.protect, redis.inputs.deletionProtection], [true, true]);
    });

    it("keeps dev cheap and disposable", () => {
        const instance = findResource(dev, INSTANCE, "litellm-db");
        assert.strictEqual(instance.protect, false);
        assert.strictEqual(instance.inputs.deletionProtection, false);
        assert.strictEqual(instance.inputs.settings.deletionProtectionEnabled, false);
        assert.deepStrictEqual(instance.inputs.settings.backupConfiguration, { enabled: false });
        assert.strictEqual(instance.inputs.settings.tier, "db-f1-micro");
        const redis = findResource(dev, REDIS, "litellm-redis");
        assert.deepStrictEqual([redis.protect, redis.inputs.deletionProtection, redis.inputs.memorySizeGb], [false, false, 1]);
        assert.strictEqual(findResource(dev, DATABASE, "litellm-db-litellm").protect, false);
        const service = unwrap(findResource(dev, SERVICE, "litellm").inputs);
        assert.deepStrictEqual(service.template.scaling, { minInstanceCount: 0, maxInstanceCount: 4 });
    });

    it("never protects the stateless service from replacement", () => {
        for (const e of [dev, prod]) {
            const service = findResource(e, SERVICE, "litellm");
            assert.deepStrictEqual([service.protect, service.inputs.deletionProtection], [false, false]);
        }
    });
});

describe("GCP runtime on a network it creates (Cloud Run only)", () => {
    for (const privateIp of [true, false]) {
        it(
            privateIp
                ? "connects private service access and gives Cloud SQL a private IP only, after it"
                : "gives Cloud SQL a public IP with no authorized network (connector only)",
            async () => {
                const e = await evaluate({
                    stack: "prod",
                    unset: ["vpcNetwork", "vpcSubnetwork"],
                    // Without the cluster, prod's agents go too (the cluster one needs the target).
                    set: { targets: ["cloudRun"], cloudSqlPrivateIp: privateIp, agents: [] },
                });
                assert.ifError(e.error);
                const instance = findResource(e, INSTANCE, "litellm-db");
                const network = findResource(e, NETWORK, "network");
                assert.deepStrictEqual(network.inputs.autoCreateSubnetworks, false);
                const redis = findResource(e, REDIS, "litellm-redis");
                assert.strictEqual(redis.inputs.authorizedNetwork, `${network.name}-id`);
                const subnetwork = findResource(e, SUBNETWORK, "network-run");
                assert.strictEqual(subnetwork.inputs.region, "europe-west4");
                const ip = instance.inputs.settings.ipConfiguration;
                if (privateIp) {
                    const peering = findResource(e, PEERING, "network-services");
                    const range = findResource(e, ADDRESS, "network-services-range");
                    assert.deepStrictEqual(
                        [range.inputs.purpose, range.inputs.addressType, range.inputs.prefixLength],
                        ["VPC_PEERING", "INTERNAL", 20],
                    );
                    assert.deepStrictEqual(peering.inputs.reservedPeeringRanges, [range.inputs.name]);
                    assert.strictEqual(peering.inputs.service, "servicenetworking.googleapis.com");
                    assert.deepStrictEqual(ip, { ipv4Enabled: false, privateNetwork: `${network.name}-id`, sslMode: "ENCRYPTED_ONLY" });
                    assert.ok(instance.propertyDependencies.settings.includes(peering.urn), "the instance waits for the peering");
                } else {
                    assert.deepStrictEqual(ip, { ipv4Enabled: true, sslMode: "ENCRYPTED_ONLY" });
                    assert.deepStrictEqual(byType(e, PEERING), []);
                    assert.deepStrictEqual(byType(e, ADDRESS), []);
                }
            },
        );
    }
});
