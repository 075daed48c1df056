/**
 * The program's URL builders against real servers: a throwaway PostgreSQL (SCRAM) and Redis
 * (AUTH, ACL users, TLS with its own CA) on loopback, with passwords no hand-built URL survives.
 *
 * The servers come from `test/support/services.sh`, started here and stopped at the end. A missing
 * server binary fails the tests: they never skip.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import Redis from "ioredis";
import { Client } from "pg";

import { postgresUrl, redisUrl } from "../../components/data/urls";
import { HOSTILE_PASSWORD } from "../support/hostile";
import { postgresBinDir } from "../support/postgres";

const SCRIPT = path.join(__dirname, "..", "support", "services.sh");

/** Passwords that break URLs, each on its own and all together. */
const PASSWORDS = [
    HOSTILE_PASSWORD,
    "a@b",
    "user:pass",
    "/slash/",
    "#fragment",
    "?query=1&x=2",
    "100%",
    "%25",
    "%41%42",
    "with spaces ",
    `"double" 'single'`,
    "back\\slash\\",
    "ünïcødé-日本-€",
];
/** A user name that needs encoding too (Redis refuses spaces in user names). */
const HOSTILE_USER = "lite@llm:app/ü#1?%25";

function readFacts(file: string): Record<string, string> {
    const facts: Record<string, string> = {};
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line);
        if (m) {
            facts[m[1]] = m[2];
        }
    }
    for (const key of [
        "PGHOST",
        "PGPORT",
        "PGPASSWORD",
        "PGSOCKETDIR",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_PASSWORD",
        "REDIS_TLS_PORT",
        "REDIS_TLS_CA",
    ]) {
        assert.ok(facts[key], `${file} lacks ${key}`);
    }
    return facts;
}

async function withPg<T>(connectionString: string, use: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString });
    await client.connect();
    try {
        return await use(client);
    } finally {
        await client.end();
    }
}

/** A client that gives up at once instead of retrying, so a refused login fails the test fast. */
function redisClient(url: string, tlsCa?: string): Redis {
    return new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        ...(tlsCa === undefined ? {} : { tls: { ca: tlsCa } }),
    });
}

async function withRedis<T>(url: string, use: (r: Redis) => Promise<T>, tlsCa?: string): Promise<T> {
    const client = redisClient(url, tlsCa);
    // A refused login or handshake surfaces as an "error" event, and connect() then rejects with
    // only "Connection is closed": report the event's error, which says why.
    let cause: unknown;
    client.on("error", (e) => {
        cause = cause ?? e;
    });
    try {
        await client.connect();
        return await use(client);
    } catch (e) {
        throw cause ?? e;
    } finally {
        client.disconnect();
    }
}

describe("URL builders against real PostgreSQL and Redis", function () {
    let facts: Record<string, string>;
    let ownEnv: string | undefined;

    before(function () {
        this.timeout(120_000);
        ownEnv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "services-")), "services.env");
        execFileSync(SCRIPT, ["start"], {
            env: { ...process.env, SERVICES_ENV: ownEnv, PG_BIN: postgresBinDir() },
            stdio: ["ignore", "pipe", "pipe"],
        });
        facts = readFacts(ownEnv);
    });

    after(function () {
        this.timeout(60_000);
        if (ownEnv !== undefined) {
            execFileSync(SCRIPT, ["stop"], { env: { ...process.env, SERVICES_ENV: ownEnv }, stdio: ["ignore", "pipe", "pipe"] });
            fs.rmSync(path.dirname(ownEnv), { recursive: true, force: true });
        }
    });

    describe("PostgreSQL (SCRAM-SHA-256)", () => {
        const admin = () =>
            postgresUrl({
                user: "postgres",
                password: facts.PGPASSWORD,
                host: facts.PGHOST,
                port: Number(facts.PGPORT),
                database: "postgres",
            });

        before(async () => {
            await withPg(admin(), async (c) => {
                await c.query(`DROP DATABASE IF EXISTS litellm`);
                await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(HOSTILE_USER)}`);
                await c.query(`CREATE ROLE ${c.escapeIdentifier(HOSTILE_USER)} LOGIN PASSWORD ${c.escapeLiteral("unset")}`);
                await c.query(`CREATE DATABASE litellm OWNER ${c.escapeIdentifier(HOSTILE_USER)}`);
            });
        });

        const setPassword = (password: string) =>
            withPg(admin(), (c) => c.query(`ALTER ROLE ${c.escapeIdentifier(HOSTILE_USER)} PASSWORD ${c.escapeLiteral(password)}`));

        for (const password of PASSWORDS) {
            it(`authenticates over TCP and the Unix socket with password ${JSON.stringify(password)}`, async () => {
                await setPassword(password);
                const tcp = postgresUrl({
                    user: HOSTILE_USER,
                    password,
                    host: facts.PGHOST,
                    port: Number(facts.PGPORT),
                    database: "litellm",
                });
                const tcpRow = await withPg(
                    tcp,
                    async (c) => (await c.query("SELECT current_user, current_database(), inet_server_addr() AS addr")).rows[0],
                );
                assert.deepStrictEqual(tcpRow, { current_user: HOSTILE_USER, current_database: "litellm", addr: "127.0.0.1" });

                // The shape the program stores for Cloud Run: a socket directory, as Cloud SQL's
                // connector mounts it under /cloudsql/<connection name>.
                const socket = postgresUrl({
                    user: HOSTILE_USER,
                    password,
                    socketDir: facts.PGSOCKETDIR,
                    port: Number(facts.PGPORT),
                    database: "litellm",
                });
                const socketRow = await withPg(
                    socket,
                    async (c) => (await c.query("SELECT current_user, inet_server_addr() AS addr")).rows[0],
                );
                assert.deepStrictEqual(socketRow, { current_user: HOSTILE_USER, addr: null }, "a Unix socket has no server address");
            });
        }

        it("is refused with a wrong password (the server really checks)", async () => {
            await setPassword(HOSTILE_PASSWORD);
            const wrong = postgresUrl({
                user: HOSTILE_USER,
                password: `${HOSTILE_PASSWORD}x`,
                host: facts.PGHOST,
                port: Number(facts.PGPORT),
                database: "litellm",
            });
            await assert.rejects(
                withPg(wrong, async () => undefined),
                /password authentication failed/,
            );
        });

        it("cannot log in with a hand-built URL (why the builder encodes)", async () => {
            await setPassword(HOSTILE_PASSWORD);
            const naive = `postgresql://${HOSTILE_USER}:${HOSTILE_PASSWORD}@${facts.PGHOST}:${facts.PGPORT}/litellm`;
            await assert.rejects(withPg(naive, async () => undefined));
        });

        after(async () => {
            await withPg(admin(), async (c) => {
                await c.query(`DROP DATABASE IF EXISTS litellm`);
                await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(HOSTILE_USER)}`);
            });
        });
    });

    describe("Redis (AUTH, ACL users, TLS)", () => {
        const plain = (password: string, username?: string) =>
            redisUrl({
                host: facts.REDIS_HOST,
                port: Number(facts.REDIS_PORT),
                password,
                ...(username === undefined ? {} : { username }),
                tls: false,
            });
        const ca = () => fs.readFileSync(facts.REDIS_TLS_CA, "utf8");

        /** Sets the default user's password (Memorystore's AUTH string), from a connection that knows the current one. */
        const setAuth = (current: string, next: string) => withRedis(plain(current), (r) => r.config("SET", "requirepass", next));
        let current: string;
        before(() => {
            current = facts.REDIS_PASSWORD;
        });

        for (const password of PASSWORDS) {
            it(`AUTH as Memorystore does (password only) with ${JSON.stringify(password)}, plain and over TLS`, async () => {
                await setAuth(current, password);
                current = password;
                assert.strictEqual(await withRedis(plain(password), (r) => r.ping()), "PONG");
                const tls = redisUrl({ host: facts.REDIS_HOST, port: Number(facts.REDIS_TLS_PORT), password, tls: true });
                assert.match(tls, /^rediss:\/\/:/);
                assert.strictEqual(await withRedis(tls, (r) => r.ping(), ca()), "PONG");
            });
        }

        it("authenticates an ACL user whose name and password need encoding", async () => {
            await withRedis(plain(current), (r) =>
                r.call("ACL", "SETUSER", HOSTILE_USER, "on", `>${HOSTILE_PASSWORD}`, "~*", "&*", "+@all"),
            );
            const whoami = await withRedis(plain(HOSTILE_PASSWORD, HOSTILE_USER), (r) => r.call("ACL", "WHOAMI"));
            assert.strictEqual(whoami, HOSTILE_USER);
        });

        it("is refused with a wrong AUTH string", async () => {
            await assert.rejects(
                withRedis(plain(`${current}x`), (r) => r.ping()),
                /WRONGPASS|invalid password/i,
            );
        });

        it("refuses TLS to a server whose CA the client was not given (server authentication)", async () => {
            const tls = redisUrl({ host: facts.REDIS_HOST, port: Number(facts.REDIS_TLS_PORT), password: current, tls: true });
            await assert.rejects(
                withRedis(tls, (r) => r.ping()),
                /self[- ]signed|unable to verify|certificate/i,
            );
        });

        after(async () => {
            if (current !== facts.REDIS_PASSWORD) {
                await setAuth(current, facts.REDIS_PASSWORD);
            }
        });
    });
});
