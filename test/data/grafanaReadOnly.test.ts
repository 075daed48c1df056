/**
 * Grafana's user on LiteLLM's database (the platform guide's `litellm/litellm-grafana-ro`), on a
 * real PostgreSQL server: made the way Cloud SQL's API makes users (a member of
 * `cloudsqlsuperuser`, with CREATEROLE and CREATEDB), it is not read-only; after the runbook's
 * SQL it reads LiteLLM's tables, those of later migrations included, and can neither write nor
 * create anything.
 */
import * as assert from "assert";

import { Client } from "pg";

import { readOnlyUserSql } from "../../components/data/readOnlyUser";
import { createUsersSql, sharedRoleSql } from "../../components/rotation/alternation";
import { ADOPTED_RUNTIME, secureValue } from "../adoption/adoptionHelpers";
import { Evaluation, evaluate, findResource, unwrap } from "../support/evaluate";
import { PostgresServer, asSuperuser, startPostgres } from "../support/postgres";
import { GCP_SQL_USER as SQL_USER, GCP_SECRET_VERSION as VERSION } from "../support/types";

const DATABASE = "litellm";
/** The default of config cloudSqlGrafanaUser (Pulumi.yaml), written out here. */
const GRAFANA_USER = "litellm_grafana_ro";

describe("Grafana's read-only database user on a real PostgreSQL", () => {
    let pg: PostgresServer | undefined;
    let e: Evaluation;
    let password: string;
    const clients: Client[] = [];

    const connectAs = async (user: string, pass: string): Promise<Client> => {
        const c = new Client({ host: pg!.host, port: pg!.port, user, password: pass, database: DATABASE });
        await c.connect();
        clients.push(c);
        return c;
    };
    const admin = (database: string, statements: readonly string[]): Promise<void> => asSuperuser(pg!, database, statements);
    const sql = (): string[] => readOnlyUserSql({ user: GRAFANA_USER, database: DATABASE, owner: "litellm" });

    before(async () => {
        e = await evaluate({ stack: "dev" });
        assert.ifError(e.error);
        password = unwrap(findResource(e, SQL_USER, `litellm-db-user-${GRAFANA_USER}`).inputs.password);
        pg = await startPostgres();
        await admin("postgres", [
            `CREATE DATABASE ${DATABASE}`,
            // Cloud SQL's stand-in: the role its API puts every user in.
            "CREATE ROLE cloudsqlsuperuser NOLOGIN CREATEDB CREATEROLE",
        ]);
        const litellm = { a: "litellm-a-password", b: "litellm-b-password" };
        await admin(DATABASE, [
            ...createUsersSql("litellm", litellm),
            ...sharedRoleSql("litellm", DATABASE),
            // As Cloud SQL's API creates a built-in user.
            `CREATE ROLE ${GRAFANA_USER} LOGIN PASSWORD '${password.replace(/'/g, "''")}' CREATEDB CREATEROLE IN ROLE cloudsqlsuperuser`,
            // Outside LiteLLM's tables: not for Grafana.
            "CREATE SCHEMA private",
            "CREATE TABLE private.notes (body text)",
        ]);
        // LiteLLM's migrations, as its active user (acting as the shared role).
        const app = await connectAs("litellm_a", litellm.a);
        await app.query('CREATE TABLE "LiteLLM_SpendLogs" (request_id text PRIMARY KEY, spend numeric NOT NULL)');
        await app.query(`INSERT INTO "LiteLLM_SpendLogs" VALUES ('r1', 1.5)`);
    });

    after(async () => {
        await Promise.allSettled(clients.map((c) => c.end()));
        pg?.stop();
    });

    it("gives the Cloud SQL user the password the program stores for litellm-grafana-ro", () => {
        const stored = unwrap(findResource(e, VERSION, "litellm-grafana-ro-password-version").inputs.secretData);
        assert.strictEqual(password, stored);
        assert.ok(password.length >= 32);
    });

    it("creates it with roles of its own (pg_monitor), so Cloud SQL's API leaves it out of cloudsqlsuperuser; LiteLLM's users name none", () => {
        // The API puts a user in cloudsqlsuperuser unless the request names its roles (Cloud SQL
        // Admin API, users.insert `databaseRoles`).
        assert.deepStrictEqual(findResource(e, SQL_USER, `litellm-db-user-${GRAFANA_USER}`).inputs.databaseRoles, ["pg_monitor"]);
        for (const user of ["litellm_a", "litellm_b"]) {
            assert.strictEqual(findResource(e, SQL_USER, `litellm-db-user-${user}`).inputs.databaseRoles, undefined, user);
        }
    });

    it("creates it so on an adopted Cloud SQL instance too", async () => {
        const adopted = await evaluate({
            stack: "adopt-example",
            secureValue,
            set: { ...ADOPTED_RUNTIME, features: ["langfuse", "context7", "tavily", "grafana"] },
        });
        assert.ifError(adopted.error);
        assert.deepStrictEqual(findResource(adopted, SQL_USER, `litellm-db-user-${GRAFANA_USER}`).inputs.databaseRoles, ["pg_monitor"]);
    });

    it("is not read-only as Cloud SQL's API makes it", async () => {
        const grafana = await connectAs(GRAFANA_USER, password);
        await grafana.query("CREATE ROLE made_by_grafana");
        await grafana.query("CREATE TEMP TABLE scratch (x int)");
        await admin("postgres", ["DROP ROLE made_by_grafana"]);
        await grafana.end();
    });

    it("reads LiteLLM's tables, also those later migrations create, and nothing else, after the runbook's SQL", async () => {
        await admin(DATABASE, sql());
        await admin(DATABASE, sql()); // safe to run again
        const app = await connectAs("litellm_b", "litellm-b-password");
        await app.query('CREATE TABLE "LiteLLM_DailyUserSpend" (day date, spend numeric)');
        await app.query(`INSERT INTO "LiteLLM_DailyUserSpend" VALUES ('2027-01-01', 3)`);

        const grafana = await connectAs(GRAFANA_USER, password);
        assert.strictEqual((await grafana.query('SELECT sum(spend)::text AS s FROM "LiteLLM_SpendLogs"')).rows[0].s, "1.5");
        assert.strictEqual((await grafana.query('SELECT sum(spend)::text AS s FROM "LiteLLM_DailyUserSpend"')).rows[0].s, "3");
        await assert.rejects(grafana.query("SELECT * FROM private.notes"), /permission denied/);
        const member = await grafana.query("SELECT pg_has_role(current_user, 'cloudsqlsuperuser', 'MEMBER') AS m");
        assert.strictEqual(member.rows[0].m, false);
    });

    it("can neither write nor create anything after the runbook's SQL", async () => {
        const grafana = await connectAs(GRAFANA_USER, password);
        for (const statement of [
            `INSERT INTO "LiteLLM_SpendLogs" VALUES ('r2', 9)`,
            `UPDATE "LiteLLM_SpendLogs" SET spend = 0`,
            `DELETE FROM "LiteLLM_SpendLogs"`,
            `TRUNCATE "LiteLLM_SpendLogs"`,
            `ALTER TABLE "LiteLLM_SpendLogs" ADD COLUMN x int`,
            "CREATE TABLE public.mine (x int)",
            "CREATE TEMP TABLE scratch2 (x int)",
            "CREATE SCHEMA mine",
            "CREATE ROLE made_by_grafana",
            "CREATE DATABASE mine",
            "GRANT litellm TO litellm_grafana_ro",
        ]) {
            await assert.rejects(grafana.query(statement), /permission denied|must be owner|must have admin option/, statement);
        }
    });
});
