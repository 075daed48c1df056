/**
 * The alternating-user components on their own, under a bare mock runtime: Cloud SQL gets one
 * user per slot and a URL naming the active one; the password pair picks its active user from
 * the generation and keys each password on its own slot's generation.
 */
import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { Postgres } from "../../components/data";
import { AlternatingPassword } from "../../components/secrets";
import { PROJECT, promiseOf, unwrap } from "../support/evaluate";
import { GCP_SQL_USER, RANDOM_PASSWORD } from "../support/types";

describe("alternating-user components", () => {
    const registered: pulumi.runtime.MockResourceArgs[] = [];
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    registered.push(a);
                    // RandomPassword: a result that names its keepers, so a test can see which generation made it.
                    const state =
                        a.type === RANDOM_PASSWORD ? { ...a.inputs, result: `pw-${a.name}-${a.inputs.keepers.generation}` } : a.inputs;
                    return { id: `${a.name}-id`, state };
                },
                call: (a) => {
                    throw new Error(`unexpected provider call ${a.token}`);
                },
            },
            PROJECT,
            "dev",
            false,
        );
    });
    beforeEach(() => {
        registered.length = 0;
    });

    const db = {
        project: "p-123456",
        region: "europe-west4",
        instanceName: "dev-litellm",
        databaseVersion: "POSTGRES_16",
        tier: "db-f1-micro",
        dataProtection: false,
    };

    it("Postgres: one Cloud SQL user per alternating user, the URL naming the active one", async () => {
        const pg = new Postgres("alt", {
            ...db,
            userName: "app_b",
            password: pulumi.secret("pw-b"),
            users: [
                { name: "app_a", password: pulumi.secret("pw-a") },
                { name: "app_b", password: pulumi.secret("pw-b") },
            ],
        });
        assert.match(await promiseOf(pg.connectorUrl), /^postgresql:\/\/app_b:pw-b@localhost:5432\/litellm\?host=/);
        assert.strictEqual(await promiseOf(pg.userName), "app_b");
        const users = registered.filter((r) => r.type === GCP_SQL_USER);
        assert.deepStrictEqual(
            users.map((u) => [u.name, u.inputs.name, unwrap(u.inputs.password)]),
            [
                ["alt-user-app_a", "app_a", "pw-a"],
                ["alt-user-app_b", "app_b", "pw-b"],
            ],
        );
    });

    it("Postgres: refuses a URL user that is not one of the users", () => {
        assert.throws(
            () => new Postgres("bad", { ...db, userName: "app", password: pulumi.secret("x"), users: [{ name: "app_a", password: "y" }] }),
            (e: pulumi.InputPropertyError) => e.propertyPath === "userName" && /userName app is not one of users \(app_a\)/.test(e.message),
        );
    });

    it("AlternatingPassword: generation 3 makes b active, a keeps the password of generation 2", async () => {
        const pair = new AlternatingPassword("pw", {
            source: { kind: "generated", length: 8, charset: "alphanumeric" },
            baseName: "app",
            generation: 1,
            scheduled: 2,
        });
        assert.strictEqual(await promiseOf(pair.generation), 3);
        assert.strictEqual(await promiseOf(pair.activeUser), "app_b");
        assert.strictEqual(await pulumi.isSecret(pair.password), true);
        assert.strictEqual(await promiseOf(pair.password), "pw-pw-b-3");
        assert.strictEqual(await promiseOf(pair.users.a.password), "pw-pw-a-2");
        assert.deepStrictEqual([pair.users.a.name, pair.users.b.name], ["app_a", "app_b"]);
    });
});
