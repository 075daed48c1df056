import * as assert from "assert";

import { credentialsByReference, externalSecretsApiV1, helmSubchartCredentials, noSecretValuesOutsideSinks } from "../../policy/policies";
import { Evaluation, RecordedResource, byType, findResource, unwrap } from "../support/evaluate";
import { DEV, checkResource, mutate, stackEvaluation, violationsOf } from "./harness";
import { GCP_SECRET_VERSION as VERSION } from "../support/types";

const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The same object on another API version: the type token carries the version, and so do the inputs. */
const onApi = (r: RecordedResource, apiVersion: string): RecordedResource =>
    mutate(r, (i) => (i.apiVersion = apiVersion), { type: r.type.replace("external-secrets.io/v1", apiVersion) });

describe("Kubernetes policies on the prod stack", () => {
    let prod: Evaluation;
    let litellm: RecordedResource;
    let llmtrace: RecordedResource;
    before(async () => {
        prod = await stackEvaluation("prod");
        litellm = findResource(prod, RELEASE, "litellm");
        llmtrace = findResource(prod, RELEASE, "llmtrace");
    });

    describe("external-secrets-api-v1", () => {
        it("accepts every External Secrets object the program renders", async () => {
            const objects = [...byType(prod, EXTERNAL_SECRET), ...byType(prod, STORE)];
            assert.ok(objects.length > 5);
            for (const r of objects) {
                assert.deepStrictEqual(await violationsOf(externalSecretsApiV1, r), [], r.name);
            }
        });

        it("refuses an ExternalSecret or a store on v1beta1, and a mismatched apiVersion", async () => {
            const es = byType(prod, EXTERNAL_SECRET)[0];
            assert.deepStrictEqual(await violationsOf(externalSecretsApiV1, onApi(es, "external-secrets.io/v1beta1")), [
                `kubernetes:external-secrets.io/v1beta1:ExternalSecret ${es.name}: uses external-secrets.io/v1beta1; use external-secrets.io/v1.`,
            ]);
            assert.strictEqual(
                (await violationsOf(externalSecretsApiV1, onApi(byType(prod, STORE)[0], "external-secrets.io/v1beta1"))).length,
                1,
            );
            const mismatched = mutate(es, (i) => (i.apiVersion = "external-secrets.io/v1alpha1"));
            assert.match((await violationsOf(externalSecretsApiV1, mismatched))[0], /uses external-secrets\.io\/v1alpha1/);
        });
    });

    describe("helm-subchart-credentials", () => {
        it("accepts the releases: bundled databases off, credentials from existing Secrets", async () => {
            for (const r of byType(prod, RELEASE)) {
                assert.deepStrictEqual(await violationsOf(helmSubchartCredentials, r), [], r.name);
            }
        });

        it("refuses LLMTrace's bundled Redis without AUTH (the chart's default)", async () => {
            const redisOn = mutate(llmtrace, (i) => (i.values.redis = { enabled: true }));
            assert.deepStrictEqual(await violationsOf(helmSubchartCredentials, redisOn), [
                `${RELEASE} llmtrace: bundled Redis runs without AUTH (redis.auth.enabled).`,
            ]);
            const withAuth = mutate(
                llmtrace,
                (i) => (i.values.redis = { enabled: true, auth: { enabled: true, existingSecret: "llmtrace-redis" } }),
            );
            assert.deepStrictEqual(await violationsOf(helmSubchartCredentials, withAuth), []);
        });

        it("refuses LLMTrace's bundled PostgreSQL and ClickHouse on their chart defaults, and its chart-made Secret", async () => {
            const defaults = mutate(llmtrace, (i) => {
                delete i.values.postgresql;
                delete i.values.clickhouse;
                delete i.values.secrets;
            });
            assert.deepStrictEqual(await violationsOf(helmSubchartCredentials, defaults), [
                `${RELEASE} llmtrace: bundled postgresql keeps the chart's default password (postgresql.auth.password); turn it off or set postgresql.auth.existingSecret.`,
                `${RELEASE} llmtrace: bundled clickhouse keeps an empty password (clickhouse.auth.password); turn it off or set clickhouse.auth.existingSecret.`,
                `${RELEASE} llmtrace: secrets.postgresUrl keeps the chart's default password; set secrets.create: false and secrets.existingSecret.`,
            ]);
        });

        it("refuses LiteLLM's standalone PostgreSQL on the chart's NoTaGrEaTpAsSwOrD, or an empty password", async () => {
            const standalone = mutate(litellm, (i) => (i.values.db.deployStandalone = true));
            assert.deepStrictEqual(await violationsOf(helmSubchartCredentials, standalone), [
                `${RELEASE} litellm: bundled postgresql keeps the chart's default password (postgresql.auth.password); turn it off or set postgresql.auth.existingSecret.`,
                `${RELEASE} litellm: bundled postgresql keeps the chart's default password (postgresql.auth.postgres-password); turn it off or set postgresql.auth.existingSecret.`,
            ]);
            const empty = mutate(litellm, (i) => {
                i.values.db.deployStandalone = true;
                i.values.postgresql = { auth: { password: "", "postgres-password": "" } };
            });
            assert.strictEqual((await violationsOf(helmSubchartCredentials, empty)).length, 2);
        });

        it("does not apply to dev", async () => {
            const dev = await stackEvaluation("dev");
            assert.strictEqual(
                (await checkResource(helmSubchartCredentials, findResource(dev, RELEASE, "llmtrace"), DEV)).applicable,
                false,
            );
        });
    });

    describe("credentials in Helm values", () => {
        it("refuses the master key written into LiteLLM's values instead of its existing Secret", async () => {
            const key = unwrap(findResource(prod, VERSION, "litellm-master-key-version").inputs.secretData);
            const inline = mutate(litellm, (i) => {
                delete i.values.masterkeySecretName;
                delete i.values.masterkeySecretKey;
                i.values.masterkey = key;
            });
            assert.deepStrictEqual(await violationsOf(credentialsByReference, inline), [
                `${RELEASE} litellm: Helm value masterkey is a literal credential. Point the chart at an existing Secret (filled by an ExternalSecret) instead.`,
            ]);
            assert.deepStrictEqual(
                (await violationsOf(noSecretValuesOutsideSinks, inline)).map((v) => v.split(" holds ")[0]),
                [`${RELEASE} litellm: .values.masterkey`],
            );
            // The real values name Secrets and keys only.
            assert.deepStrictEqual(await violationsOf(credentialsByReference, litellm), []);
        });

        it("refuses a password inside a connection string in LLMTrace's values", async () => {
            const password = unwrap(findResource(prod, VERSION, "litellm-db-password-version").inputs.secretData);
            const inline = mutate(
                llmtrace,
                (i) => (i.values.secrets = { create: true, postgresUrl: `postgres://llmtrace:${password}@10.20.0.3:5432/llmtrace` }),
            );
            const found = await violationsOf(noSecretValuesOutsideSinks, inline);
            assert.deepStrictEqual(
                found.map((v) => v.split(" holds ")[0]),
                [`${RELEASE} llmtrace: .values.secrets.postgresUrl`],
            );
            assert.ok(!found[0].includes(password));
        });
    });

    describe("ConfigMaps", () => {
        it("refuses a credential-named key, and a secret-shaped value under any key", async () => {
            // The program renders no ConfigMap: one is derived from an ExternalSecret's target.
            const es = byType(prod, EXTERNAL_SECRET)[0];
            const key = unwrap(findResource(prod, VERSION, "ui-password-version").inputs.secretData);
            const asConfigMap = (data: Record<string, string>) =>
                mutate(
                    es,
                    (i) => {
                        for (const k of Object.keys(i)) delete i[k];
                        Object.assign(i, {
                            apiVersion: "v1",
                            kind: "ConfigMap",
                            metadata: { name: "litellm-ui", namespace: "litellm" },
                            data,
                        });
                    },
                    { type: "kubernetes:core/v1:ConfigMap" },
                );
            assert.deepStrictEqual(
                await violationsOf(credentialsByReference, asConfigMap({ UI_PASSWORD: "hunter2hunter2", UI_USERNAME: "admin" })),
                [`kubernetes:core/v1:ConfigMap ${es.name}: ConfigMap key data.UI_PASSWORD holds a credential. Move it to a Secret.`],
            );
            assert.strictEqual((await violationsOf(noSecretValuesOutsideSinks, asConfigMap({ settings: `ui=${key}` }))).length, 1);
            assert.deepStrictEqual(
                await violationsOf(credentialsByReference, asConfigMap({ UI_USERNAME: "admin", LOG_LEVEL: "INFO" })),
                [],
            );
        });
    });
});
