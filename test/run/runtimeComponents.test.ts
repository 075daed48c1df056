/**
 * The runtime's components on their own, under a bare mock runtime: the validation each one does
 * before creating anything, and the value-resolution split between SecretValues (values that
 * exist up front) and derivedValues (values that exist once their resources do).
 */
import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { SECRET_CONTRACT } from "../../components/contract";
import { Postgres, Redis } from "../../components/data";
import { PrivateNetwork } from "../../components/network";
import { CloudRunService, CloudRunServiceArgs } from "../../components/run";
import { SecretValues, derivedValues } from "../../components/secrets";
import { PROJECT, promiseOf } from "../support/evaluate";
import { GCP_REDIS_INSTANCE } from "../support/types";

const spec = (key: string) => {
    const found = SECRET_CONTRACT.find((s) => s.key === key);
    assert.ok(found, key);
    return found;
};

describe("runtime components", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => ({
                    id: `${a.name}-id`,
                    state: a.type === GCP_REDIS_INSTANCE ? { ...a.inputs, host: "10.0.0.4", port: 6378, authString: "a@b" } : a.inputs,
                }),
                call: (a) => {
                    throw new Error(`unexpected provider call ${a.token}`);
                },
            },
            PROJECT,
            "dev",
            false,
        );
    });

    const service: CloudRunServiceArgs = {
        project: "p-123456",
        region: "europe-west4",
        serviceName: "dev-litellm",
        image: "europe-docker.pkg.dev/p/r/litellm:v1.74.3-stable",
        serviceAccountEmail: "sa@p-123456.iam.gserviceaccount.com",
        secretEnv: [{ name: "LITELLM_MASTER_KEY", secret: "llm-dev-litellm-master-key", version: "3" }],
    };

    it("Cloud Run: an env var has one source", () => {
        assert.throws(
            () => new CloudRunService("dup", { ...service, plainEnv: { LITELLM_MASTER_KEY: "oops" } }),
            (e: pulumi.InputPropertyError) =>
                e.propertyPath === "plainEnv" &&
                e.message === "secretEnv and plainEnv both set LITELLM_MASTER_KEY: an env var has one source",
        );
    });

    it("Cloud Run: refuses env names that are not identifiers", () => {
        assert.throws(
            () => new CloudRunService("badname", { ...service, plainEnv: { "MY-VAR": "x" } }),
            /not valid environment variable names: MY-VAR/,
        );
    });

    it("Cloud Run: making it public is allowUnauthenticated's job, not a stray invoker", () => {
        assert.throws(
            () => new CloudRunService("pub", { ...service, invokers: ["allUsers"] }),
            (e: pulumi.InputPropertyError) => e.propertyPath === "invokers" && /allowUnauthenticated's job/.test(e.message),
        );
    });

    it("Cloud Run: reports the secret and version each env var reads", async () => {
        const s = new CloudRunService("ok", service);
        assert.deepStrictEqual(await promiseOf(s.secretVersions), {
            LITELLM_MASTER_KEY: { secret: "llm-dev-litellm-master-key", version: "3" },
        });
    });

    it("Postgres: refuses high availability without data protection", () => {
        assert.throws(
            () =>
                new Postgres("ha", {
                    project: "p-123456",
                    region: "europe-west4",
                    instanceName: "dev-litellm",
                    databaseVersion: "POSTGRES_16",
                    tier: "db-custom-2-7680",
                    availabilityType: "REGIONAL",
                    dataProtection: false,
                    userName: "litellm",
                    password: pulumi.secret("pw"),
                }),
            /availabilityType REGIONAL needs dataProtection/,
        );
    });

    it("Postgres: builds its URL for the connector socket, as a secret", async () => {
        const db = new Postgres("url", {
            project: "p-123456",
            region: "europe-west4",
            instanceName: "dev-litellm",
            databaseVersion: "POSTGRES_16",
            tier: "db-f1-micro",
            dataProtection: false,
            userName: "lite llm",
            password: pulumi.secret("p@ss/word"),
        });
        assert.strictEqual(await pulumi.isSecret(db.connectorUrl), true);
        // The bare mock echoes inputs: no connection name comes back, which the URL shows.
        assert.match(
            await promiseOf(db.connectorUrl),
            /^postgresql:\/\/lite%20llm:p%40ss%2Fword@localhost:5432\/litellm\?host=%2Fcloudsql%2F/,
        );
    });

    it("Postgres: a read-only user is never the URL's user, nor named twice", () => {
        const base = {
            project: "p-123456",
            region: "europe-west4",
            instanceName: "dev-litellm",
            databaseVersion: "POSTGRES_16",
            tier: "db-f1-micro",
            dataProtection: false,
            userName: "litellm",
            password: pulumi.secret("pw"),
        };
        assert.throws(
            () => new Postgres("ro1", { ...base, readOnlyUsers: [{ name: "litellm", password: pulumi.secret("x") }] }),
            (e: pulumi.InputPropertyError) =>
                e.propertyPath === "readOnlyUsers" && /the URL's user: it cannot be read-only/.test(e.message),
        );
        const users = [{ name: "litellm_a", password: pulumi.secret("a") }];
        assert.throws(
            () =>
                new Postgres("ro2", {
                    ...base,
                    userName: "litellm_a",
                    users,
                    readOnlyUsers: [{ name: "litellm_a", password: pulumi.secret("x") }],
                }),
            /list a name twice/,
        );
    });

    it("Redis: refuses a version that is not 7.x, and keeps the AUTH string secret", async () => {
        const base = { project: "p-123456", region: "europe-west4", instanceName: "dev-litellm", network: "net" };
        assert.throws(() => new Redis("r6", { ...base, redisVersion: "REDIS_6_X" }), /not a Redis 7.x version/);
        const r = new Redis("r7", { ...base, dataProtection: false });
        assert.strictEqual(r.tls, true, "TLS unless asked otherwise");
        assert.strictEqual(await pulumi.isSecret(r.authString), true);
        assert.strictEqual(await pulumi.isSecret(r.url), true);
        assert.strictEqual(await promiseOf(r.url), "rediss://:a%40b@10.0.0.4:6378");
    });

    it("PrivateNetwork: adopting and creating are mutually exclusive", () => {
        const base = { project: "p-123456", region: "europe-west4", environment: "dev", existing: { network: "n", subnetwork: "s" } };
        assert.throws(
            () => new PrivateNetwork("n1", { ...base, subnetCidr: "10.0.0.0/24" }),
            (e: pulumi.InputPropertyError) =>
                e.propertyPath === "subnetCidr" && /existing and subnetCidr are mutually exclusive/.test(e.message),
        );
        assert.throws(
            () => new PrivateNetwork("n2", { ...base, privateServiceAccess: true }),
            (e: pulumi.InputPropertyError) =>
                e.propertyPath === "privateServiceAccess" && /existing and privateServiceAccess/.test(e.message),
        );
    });

    it("SecretValues leaves derived rows to derivedValues", () => {
        assert.throws(
            () => new SecretValues("v", { secrets: [spec("database-url")], rotations: {}, provided: {}, settings: {} }),
            /database-url derives from cloud-sql-database-url: resolve it with derivedValues once that resource exists/,
        );
    });

    it("derivedValues reads what the resources produce, as secrets, and refuses what nothing produces", async () => {
        const values = derivedValues([spec("redis-host")], { "memorystore-host": pulumi.output("10.0.0.4") });
        assert.strictEqual(await promiseOf(values["redis-host"]), "10.0.0.4");
        assert.strictEqual(await pulumi.isSecret(values["redis-host"]), true);
        assert.throws(() => derivedValues([spec("redis-url")], {}), /redis-url: nothing in this stack produces memorystore-url/);
        assert.throws(() => derivedValues([spec("ui-password")], {}), /ui-password is not derived/);
    });
});
