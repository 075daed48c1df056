/** What changes when config changes: a rotation bump, version policy, publicity, adoption, off. */
import * as assert from "assert";

import { ConfigError } from "../../components/config";
import { Evaluation, byType, changedResources, evaluate, findResource, unwrap } from "../support/evaluate";
import {
    ACCOUNT,
    DATABASE,
    INSTANCE,
    INVOKER,
    NETWORK,
    PASSWORD,
    PROJECT_IAM,
    REDIS,
    SECRET_IAM,
    SERVICE,
    SUBNETWORK,
    USER,
    VERSION,
    envsOf,
    serviceOf,
    versionOf,
} from "./gcpRuntimeHelpers";

describe("GCP runtime rotation", () => {
    const changed = (a: Evaluation, b: Evaluation): string[] =>
        changedResources(a, b)
            .map((r) => `${r.type} ${r.name}`)
            .sort();
    const envVersions = (e: Evaluation): Record<string, string> =>
        Object.fromEntries(
            envsOf(e)
                .filter((v) => v.valueSource)
                .map((v) => [v.name, v.valueSource!.secretKeyRef.version]),
        );

    for (const stack of ["dev", "prod"]) {
        describe(`${stack} stack`, () => {
            let base: Evaluation;
            before(async () => {
                base = await evaluate({ stack });
                assert.ifError(base.error);
            });

            const unchangedData = (bumped: Evaluation) => {
                for (const [type, name] of [
                    [INSTANCE, "litellm-db"],
                    [DATABASE, "litellm-db-litellm"],
                    [REDIS, "litellm-redis"],
                ]) {
                    assert.deepStrictEqual(
                        findResource(bumped, type, name).inputs,
                        findResource(base, type, name).inputs,
                        `${name} is untouched`,
                    );
                }
            };

            it("rotating the database password updates the idle user, the URL and the service's revision, not the instance or Redis", async () => {
                const bumped = await evaluate({ stack, set: { rotations: { "litellm-db-password": 1 } } });
                assert.ifError(bumped.error);
                // Generation 0 signs in as litellm_a; generation 1 sets a new password on litellm_b
                // and moves the URL to it, leaving litellm_a as it was.
                assert.deepStrictEqual(
                    changed(base, bumped),
                    [
                        `${SERVICE} litellm`,
                        `${VERSION} database-url-version`,
                        `${VERSION} litellm-db-password-version`,
                        `${VERSION} litellm-db-username-version`,
                        `${USER} litellm-db-user-litellm_b`,
                        `${PASSWORD} litellm-db-password-b`,
                        // LiteLLM on Kubernetes reads the user and password too: its Secret and its pods roll.
                        "kubernetes:external-secrets.io/v1:ExternalSecret litellm/litellm-pg-app",
                        "kubernetes:helm.sh/v3:Release litellm",
                    ].sort(),
                );
                unchangedData(bumped);
                const password = (ev: Evaluation, user: string) =>
                    unwrap(findResource(ev, USER, `litellm-db-user-${user}`).inputs.password);
                assert.notStrictEqual(password(bumped, "litellm_b"), password(base, "litellm_b"));
                assert.strictEqual(password(bumped, "litellm_a"), password(base, "litellm_a"));
                const [before, after] = [envVersions(base), envVersions(bumped)];
                assert.notStrictEqual(after.DATABASE_URL, before.DATABASE_URL, "a new revision reads the new URL");
                assert.deepStrictEqual({ ...after, DATABASE_URL: "" }, { ...before, DATABASE_URL: "" }, "no other env var moves");
                assert.strictEqual(after.DATABASE_URL, versionOf(bumped, "database-url"));
            });

            it("rotating the master key rolls the service to the new version and touches no data", async () => {
                const bumped = await evaluate({ stack, set: { rotations: { "litellm-master-key": 3 } } });
                assert.ifError(bumped.error);
                assert.deepStrictEqual(
                    changed(base, bumped),
                    [
                        `${SERVICE} litellm`,
                        `${VERSION} litellm-master-key-version`,
                        `${PASSWORD} litellm-master-key`,
                        // The bump restarts the key's rotation clock.
                        "time:index/rotating:Rotating litellm-master-key-rotation",
                        "kubernetes:external-secrets.io/v1:ExternalSecret litellm/litellm-secrets",
                        // The key portal's copy (the platform guide's experience/key-portal).
                        "kubernetes:external-secrets.io/v1:ExternalSecret experience/key-portal",
                        "kubernetes:helm.sh/v3:Release litellm",
                    ].sort(),
                );
                unchangedData(bumped);
                const [before, after] = [envVersions(base), envVersions(bumped)];
                assert.notStrictEqual(after.LITELLM_MASTER_KEY, before.LITELLM_MASTER_KEY);
                assert.strictEqual(after.LITELLM_MASTER_KEY, versionOf(bumped, "litellm-master-key"));
            });
        });
    }
});

describe("GCP runtime options", () => {
    it("reads latest versions only when config asks for it", async () => {
        const e = await evaluate({ stack: "dev", set: { cloudRunSecretVersions: "latest" } });
        assert.ifError(e.error);
        const refs = envsOf(e)
            .filter((v) => v.valueSource)
            .map((v) => v.valueSource!.secretKeyRef.version);
        assert.ok(refs.length > 5);
        assert.deepStrictEqual([...new Set(refs)], ["latest"]);
    });

    it("makes dev public when asked, and refuses it in prod", async () => {
        const dev = await evaluate({ stack: "dev", set: { allowUnauthenticated: true } });
        assert.ifError(dev.error);
        assert.deepStrictEqual(
            byType(dev, INVOKER).map((r) => [r.name, r.inputs.member, r.inputs.role]),
            [["litellm-invoker-public", "allUsers", "roles/run.invoker"]],
        );
        const prod = await evaluate({ stack: "prod", set: { allowUnauthenticated: true } });
        assert.ok(prod.error instanceof ConfigError, prod.error?.stack);
        assert.match(prod.error!.message, /allowUnauthenticated: the production LiteLLM service is never public/);
        assert.strictEqual(prod.resources.length, 0);
    });

    it("adopts an existing service account and network instead of creating them", async () => {
        const email = "litellm-run@llm-platform-dev.iam.gserviceaccount.com";
        const e = await evaluate({
            stack: "dev",
            set: { litellmServiceAccount: email, vpcNetwork: "shared", vpcSubnetwork: "shared-run" },
        });
        assert.ifError(e.error);
        // Only the namespaces' store accounts are created: none for LiteLLM.
        const accounts = byType(e, ACCOUNT).map((r) => r.name);
        assert.ok(accounts.length > 0);
        assert.deepStrictEqual(
            accounts.filter((n) => !n.startsWith("external-secrets-")),
            [],
        );
        assert.strictEqual(serviceOf(e).inputs.template.serviceAccount, email);
        assert.ok(byType(e, SECRET_IAM).some((g) => g.inputs.member === `serviceAccount:${email}`));
        assert.deepStrictEqual([...byType(e, NETWORK), ...byType(e, SUBNETWORK)], []);
        assert.strictEqual(
            findResource(e, REDIS, "litellm-redis").inputs.authorizedNetwork,
            "projects/llm-platform-dev/global/networks/shared",
        );
        assert.deepStrictEqual(unwrap(serviceOf(e).inputs.template).vpcAccess.networkInterfaces, [
            {
                network: "projects/llm-platform-dev/global/networks/shared",
                subnetwork: "projects/llm-platform-dev/regions/us-central1/subnetworks/shared-run",
            },
        ]);
    });

    it("without gcpRuntime creates no database, cache or service, and no derived secret", async () => {
        const e = await evaluate({ stack: "dev", set: { gcpRuntime: false, litellmDbEndpoint: "10.10.0.3" } });
        assert.ifError(e.error);
        for (const type of [INSTANCE, REDIS, SERVICE, NETWORK, PROJECT_IAM]) {
            assert.deepStrictEqual(byType(e, type), [], type);
        }
        const keys = Object.keys(e.outputs.secretIds.value as object);
        assert.deepStrictEqual(
            keys.filter((k) => ["database-url", "redis-host", "redis-password", "redis-url"].includes(k)),
            [],
        );
        // The Cloud Run principal still reads its secrets: a service deployed another way can use them.
        assert.ok(byType(e, SECRET_IAM).some((g) => g.name === "cloudrun-litellm-access-litellm-master-key"));
        assert.strictEqual(e.outputs.cloudSqlConnectionName.value, undefined);
    });

    it("adopts the LiteLLM service account for its grants even without gcpRuntime", async () => {
        const email = "litellm-run@llm-platform-dev.iam.gserviceaccount.com";
        const e = await evaluate({
            stack: "dev",
            set: { gcpRuntime: false, litellmServiceAccount: email, litellmDbEndpoint: "10.10.0.3" },
        });
        assert.ifError(e.error);
        // Only the namespaces' store accounts are created: none for LiteLLM.
        const accounts = byType(e, ACCOUNT).map((r) => r.name);
        assert.ok(accounts.length > 0);
        assert.deepStrictEqual(
            accounts.filter((n) => !n.startsWith("external-secrets-")),
            [],
        );
        const grants = byType(e, SECRET_IAM).filter((g) => g.name.startsWith("cloudrun-litellm-access-"));
        assert.ok(grants.length > 0 && grants.every((g) => g.inputs.member === `serviceAccount:${email}`));
    });
});
