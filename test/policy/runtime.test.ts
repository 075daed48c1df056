import * as assert from "assert";

import {
    cloudRunNotPublic,
    cloudRunSecretsPinned,
    cloudSqlProdSafeguards,
    credentialsByReference,
    memorystoreAuthAndTls,
    noSecretValuesOutsideSinks,
    prodDataProtected,
} from "../../policy/policies";
import { Evaluation, RecordedResource, byType, evaluate, findResource, unwrap } from "../support/evaluate";
import { DEV, checkResource, fakeCredential, mutate, packConfig, stackEvaluation, violationsOf } from "./harness";
import {
    GCP_RUN_SERVICE as RUN,
    GCP_RUN_IAM_MEMBER as RUN_MEMBER,
    GCP_SQL_INSTANCE as SQL,
    GCP_REDIS_INSTANCE as REDIS,
    GCP_SECRET_VERSION as VERSION,
} from "../support/types";

/** The env list of the service's first container, for mutations. */
const envs = (inputs: any): any[] => inputs.template.containers[0].envs;

describe("GCP runtime policies on the prod stack", () => {
    let prod: Evaluation;
    let service: RecordedResource;
    let instance: RecordedResource;
    let redis: RecordedResource;
    /** Prod with a named invoker group (the committed stack names none until a real group is set). */
    let invoked: Evaluation;
    before(async () => {
        prod = await stackEvaluation("prod");
        invoked = await evaluate({
            stack: "prod",
            secureValue: fakeCredential,
            set: { litellmInvokers: ["group:llm-platform-users@acme.io"] },
        });
        assert.ifError(invoked.error);
        service = findResource(prod, RUN, "litellm");
        [instance] = byType(prod, SQL);
        [redis] = byType(prod, REDIS);
    });

    describe("cloud-run-secrets-pinned", () => {
        it("accepts the service: every secret env var names the version the program wrote", async () => {
            const refs = envs(unwrap(service.inputs)).filter((e) => e.valueSource?.secretKeyRef);
            assert.ok(refs.length >= 8);
            assert.ok(refs.every((e) => /^[0-9]+$/.test(e.valueSource.secretKeyRef.version)));
            assert.deepStrictEqual(await violationsOf(cloudRunSecretsPinned, service), []);
        });

        it("refuses an env var reading latest, or no version", async () => {
            const latest = mutate(
                service,
                (i) => (envs(i).find((e) => e.name === "LITELLM_MASTER_KEY").valueSource.secretKeyRef.version = "latest"),
            );
            assert.deepStrictEqual(await violationsOf(cloudRunSecretsPinned, latest), [
                `${RUN} litellm: env LITELLM_MASTER_KEY reads version "latest"; pin a version.`,
            ]);
            const unpinned = mutate(service, (i) => delete envs(i).find((e) => e.name === "DATABASE_URL").valueSource.secretKeyRef.version);
            assert.match((await violationsOf(cloudRunSecretsPinned, unpinned))[0], /env DATABASE_URL reads version "latest"/);
        });

        it("does not apply to dev", async () => {
            const dev = await stackEvaluation("dev");
            const v = await checkResource(cloudRunSecretsPinned, findResource(dev, RUN, "litellm"), DEV);
            assert.strictEqual(v.applicable, false);
        });
    });

    describe("cloud-run-not-public", () => {
        const prodConfig = () => packConfig("prod", cloudRunNotPublic);

        it("accepts the service and its invoker grant to a named group", async () => {
            assert.deepStrictEqual(byType(prod, RUN_MEMBER), [], "the committed prod stack grants no one until a group is set");
            const members = byType(invoked, RUN_MEMBER);
            assert.deepStrictEqual(
                members.map((m) => m.inputs.member),
                ["group:llm-platform-users@acme.io"],
            );
            assert.deepStrictEqual(await violationsOf(cloudRunNotPublic, members[0], prodConfig()), []);
            assert.deepStrictEqual(await violationsOf(cloudRunNotPublic, service, prodConfig()), []);
        });

        it("refuses allUsers or allAuthenticatedUsers as invokers, and a disabled invoker check", async () => {
            for (const member of ["allUsers", "allAuthenticatedUsers"]) {
                const open = mutate(byType(invoked, RUN_MEMBER)[0], (i) => (i.member = member));
                assert.deepStrictEqual(await violationsOf(cloudRunNotPublic, open, prodConfig()), [
                    `${RUN_MEMBER} ${open.name}: ${member} may invoke the service. Grant roles/run.invoker to named principals.`,
                ]);
            }
            const noIam = mutate(service, (i) => (i.invokerIamDisabled = true));
            assert.deepStrictEqual(await violationsOf(cloudRunNotPublic, noIam, prodConfig()), [
                `${RUN} litellm: invokerIamDisabled lets anyone invoke the service.`,
            ]);
        });

        it("refuses internet ingress unless the pack's config allows it (prod's does: callers present identity tokens)", async () => {
            assert.strictEqual(service.inputs.ingress, "INGRESS_TRAFFIC_ALL");
            assert.deepStrictEqual(await violationsOf(cloudRunNotPublic, service, { environment: "prod" }), [
                `${RUN} litellm: ingress INGRESS_TRAFFIC_ALL is open to the internet (allowed: INGRESS_TRAFFIC_INTERNAL_ONLY, INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER).`,
            ]);
            const internal = mutate(service, (i) => (i.ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"));
            assert.deepStrictEqual(await violationsOf(cloudRunNotPublic, internal, { environment: "prod" }), []);
        });
    });

    describe("plain env values on Cloud Run", () => {
        it("refuses a secret moved from a secretKeyRef into a plain value, by name and by shape", async () => {
            const key = unwrap(findResource(prod, VERSION, "litellm-master-key-version").inputs.secretData);
            const plain = mutate(service, (i) => {
                const env = envs(i).find((e) => e.name === "LITELLM_MASTER_KEY");
                delete env.valueSource;
                env.value = key;
            });
            assert.deepStrictEqual(await violationsOf(credentialsByReference, plain), [
                `${RUN} litellm: env LITELLM_MASTER_KEY of template.containers[0] is a plain value. Bind it to the secret backend ` +
                    "(Cloud Run valueSource.secretKeyRef, Kubernetes valueFrom.secretKeyRef).",
            ]);
            const byShape = await violationsOf(noSecretValuesOutsideSinks, plain);
            assert.strictEqual(byShape.length, 1);
            assert.match(
                byShape[0],
                /^gcp:cloudrunv2\/service:Service litellm: \.template\.containers\.0\.envs\.\d+\.value holds an API key with an sk- prefix/,
            );
            // The service's own plain values (a log level, a port, Memorystore's CA certificate) pass both.
            assert.deepStrictEqual(await violationsOf(credentialsByReference, service), []);
            assert.deepStrictEqual(await violationsOf(noSecretValuesOutsideSinks, service), []);
        });
    });

    describe("cloud-sql-prod-safeguards", () => {
        it("accepts the prod instance: deletion protection, backups with PITR, private IP only", async () => {
            assert.deepStrictEqual(await violationsOf(cloudSqlProdSafeguards, instance), []);
        });

        it("refuses each missing safeguard with its own message", async () => {
            const cases: [(i: any) => void, string][] = [
                [(i) => (i.deletionProtection = false), "deletionProtection is off."],
                [
                    (i) => (i.settings.backupConfiguration.enabled = false),
                    "automated backups are off (settings.backupConfiguration.enabled).",
                ],
                [
                    (i) => delete i.settings.backupConfiguration.pointInTimeRecoveryEnabled,
                    "point-in-time recovery is off (settings.backupConfiguration.pointInTimeRecoveryEnabled).",
                ],
                [
                    (i) => (i.settings.ipConfiguration.ipv4Enabled = true),
                    "public IP with no authorized networks; set ipv4Enabled: false and use a private network.",
                ],
                [
                    (i) => delete i.settings.ipConfiguration.ipv4Enabled,
                    "public IP with no authorized networks; set ipv4Enabled: false and use a private network.",
                ],
            ];
            for (const [change, message] of cases) {
                assert.deepStrictEqual(await violationsOf(cloudSqlProdSafeguards, mutate(instance, change)), [
                    `${SQL} ${instance.name}: ${message}`,
                ]);
            }
            const open = mutate(instance, (i) => {
                i.settings.ipConfiguration.ipv4Enabled = true;
                i.settings.ipConfiguration.authorizedNetworks = [
                    { name: "office", value: "203.0.113.0/24" },
                    { name: "all", value: "0.0.0.0/0" },
                ];
            });
            assert.deepStrictEqual(await violationsOf(cloudSqlProdSafeguards, open), [
                `${SQL} ${instance.name}: authorized network 0.0.0.0/0 admits the whole internet.`,
            ]);
        });

        it("accepts dev's cheaper instance as not applicable", async () => {
            const dev = await stackEvaluation("dev");
            assert.strictEqual((await checkResource(cloudSqlProdSafeguards, byType(dev, SQL)[0], DEV)).applicable, false);
        });
    });

    describe("memorystore-auth-and-tls", () => {
        it("accepts the prod instance: AUTH and server-authenticated TLS", async () => {
            assert.deepStrictEqual(await violationsOf(memorystoreAuthAndTls, redis), []);
        });

        it("refuses AUTH off and TLS off", async () => {
            assert.deepStrictEqual(
                await violationsOf(
                    memorystoreAuthAndTls,
                    mutate(redis, (i) => (i.authEnabled = false)),
                ),
                [`${REDIS} ${redis.name}: AUTH is off (authEnabled).`],
            );
            assert.deepStrictEqual(
                await violationsOf(
                    memorystoreAuthAndTls,
                    mutate(redis, (i) => delete i.transitEncryptionMode),
                ),
                [`${REDIS} ${redis.name}: in-transit encryption is DISABLED; set transitEncryptionMode to SERVER_AUTHENTICATION.`],
            );
        });
    });

    describe("prod-data-protected on the database", () => {
        it("accepts the protected instance, refuses it unprotected", async () => {
            assert.deepStrictEqual(await violationsOf(prodDataProtected, instance), []);
            assert.deepStrictEqual(
                await violationsOf(
                    prodDataProtected,
                    mutate(instance, () => undefined, { protect: false }),
                ),
                [`${SQL} ${instance.name}: not protected; pulumi destroy or a replacement would delete its data.`],
            );
        });
    });
});
