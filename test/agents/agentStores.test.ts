/**
 * An agent's durable-store URL against a real PostgreSQL on loopback, with TLS on as Cloud SQL
 * runs it (ENCRYPTED_ONLY): the URL the program stores for an agent on Kubernetes logs its own
 * user into its own database over TLS, through libpq (psql), whose `sslmode` rules are the ones
 * Python agents (FastAgentic) follow. The servers come from `test/support/services.sh`.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { Client } from "pg";

import { agentDatabaseUrl } from "../../components/agents/database";
import { postgresUrl } from "../../components/data/urls";
import { HOSTILE_PASSWORD } from "../support/hostile";
import { postgresBinDir } from "../support/postgres";

const SCRIPT = path.join(__dirname, "..", "support", "services.sh");
/** The database and user the program names for agent `support-agent` (kept by hand: `agent_` + the name, `-` as `_`). */
const AGENT_DB = "agent_support_agent";

function facts(file: string): Record<string, string> {
    return Object.fromEntries(
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => [m[1], m[2]]),
    );
}

describe("agent durable store on a real PostgreSQL with TLS", function () {
    this.timeout(60_000);
    let env: string;
    let f: Record<string, string>;
    const admin = () =>
        postgresUrl({ user: "postgres", password: f.PGPASSWORD, host: f.PGHOST, port: Number(f.PGPORT), database: "postgres" });
    const asAdmin = async (sql: (c: Client) => string[]) => {
        const c = new Client({ connectionString: admin() });
        await c.connect();
        try {
            for (const q of sql(c)) {
                await c.query(q);
            }
        } finally {
            await c.end();
        }
    };
    /** What the agent's session is, read through libpq with the agent's URL. */
    const psql = (url: string): string =>
        execFileSync(
            path.join(postgresBinDir(), "psql"),
            [url, "-XtA", "-c", "SELECT current_user, current_database(), s.ssl FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()"],
            { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        ).trim();
    const urlWith = (password: string) =>
        agentDatabaseUrl({
            access: "privateIp",
            user: AGENT_DB,
            password,
            database: AGENT_DB,
            connectionName: "p:r:i",
            privateAddress: f.PGHOST,
            port: Number(f.PGPORT),
        });

    before(async function () {
        this.timeout(120_000);
        env = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "services-")), "services.env");
        execFileSync(SCRIPT, ["start"], {
            env: { ...process.env, SERVICES_ENV: env, PG_BIN: postgresBinDir() },
            stdio: ["ignore", "pipe", "pipe"],
        });
        f = facts(env);
        await asAdmin((c) => [
            `CREATE ROLE ${AGENT_DB} LOGIN PASSWORD ${c.escapeLiteral(HOSTILE_PASSWORD)}`,
            `CREATE DATABASE ${AGENT_DB} OWNER ${AGENT_DB}`,
        ]);
    });

    after(function () {
        this.timeout(60_000);
        execFileSync(SCRIPT, ["stop"], { env: { ...process.env, SERVICES_ENV: env }, stdio: ["ignore", "pipe", "pipe"] });
        fs.rmSync(path.dirname(env), { recursive: true, force: true });
    });

    it("logs the agent's own user into its own database, over TLS, with a password that needs encoding", () => {
        const url = urlWith(HOSTILE_PASSWORD);
        assert.match(url, /^postgresql:\/\/agent_support_agent:[^@]+@127\.0\.0\.1:\d+\/agent_support_agent\?sslmode=require$/);
        assert.strictEqual(psql(url), `${AGENT_DB}|${AGENT_DB}|t`);
    });

    it("is refused with another password (the server really checks)", () => {
        assert.throws(() => psql(urlWith(`${HOSTILE_PASSWORD}x`)), /password authentication failed/);
    });
});
