/**
 * The URLs External Secrets Operator assembles for LLMTrace authenticate against real servers:
 * PostgreSQL and Redis on loopback, each given the password the program stored, reached with
 * the URL the ExternalSecret's template renders and the usual clients (pg, ioredis).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

import Redis from "ioredis";
import { Client } from "pg";

import { Evaluation, evaluate, findResource, unwrap } from "../support/evaluate";
import { PostgresServer, startPostgres } from "../support/postgres";
import { GCP_SECRET_VERSION } from "../support/types";

const freePort = (): Promise<number> =>
    new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });

/** Renders an ExternalSecret's template with the values the program stored (see k8s.test.ts). */
function rendered(e: Evaluation, id: string): Record<string, string> {
    const prefix = e.platform!.config.secretPrefix;
    const valueOf = (remoteKey: string): string =>
        unwrap(findResource(e, GCP_SECRET_VERSION, `${remoteKey.slice(prefix.length + 1)}-version`).inputs.secretData);
    const spec = findResource(e, "kubernetes:external-secrets.io/v1:ExternalSecret", id).inputs.spec;
    const vars = new Map<string, string>(spec.data.map((d: any) => [d.secretKey, valueOf(d.remoteRef.key)]));
    return Object.fromEntries(
        Object.entries<string>(spec.target.template.data).map(([k, t]) => [
            k,
            t.replace(/\{\{ index \. "([^"]+)" \}\}/g, (_, v) => vars.get(v) as string),
        ]),
    );
}

const storedValue = (e: Evaluation, key: string): string => unwrap(findResource(e, GCP_SECRET_VERSION, `${key}-version`).inputs.secretData);

describe("LLMTrace URLs against real PostgreSQL and Redis", function () {
    this.timeout(120000);
    let dir: string;
    let pg: PostgresServer;
    let redisPort: number;
    let e: Evaluation;
    let urls: Record<string, string>;
    const started: string[] = [];

    before(async () => {
        pg = await startPostgres();
        redisPort = await freePort();
        e = await evaluate({
            stack: "dev",
            set: {
                llmtracePostgresUrl: `postgres://llmtrace@127.0.0.1:${pg.port}/llmtrace`,
                llmtraceRedisUrl: `redis://127.0.0.1:${redisPort}/0`,
            },
        });
        assert.ifError(e.error);
        urls = rendered(e, "llmtrace/llmtrace-secrets");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmtrace-urls-"));
        fs.chmodSync(dir, 0o755);
    });

    after(() => {
        pg?.stop();
        if (started.includes("redis")) {
            const pid = Number(fs.readFileSync(`${dir}/redis.pid`, "utf8"));
            process.kill(pid, "SIGTERM");
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("LLMTRACE_POSTGRES_URL logs in as llmtrace with the stored password", async () => {
        const password = storedValue(e, "llmtrace-postgres-password");
        const admin = new Client({
            host: pg.host,
            port: pg.port,
            user: pg.superuser,
            password: pg.superuserPassword,
            database: "postgres",
        });
        await admin.connect();
        try {
            await admin.query(`CREATE ROLE llmtrace LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
            await admin.query("CREATE DATABASE llmtrace OWNER llmtrace");
        } finally {
            await admin.end();
        }
        const client = new Client({ connectionString: urls.LLMTRACE_POSTGRES_URL });
        await client.connect();
        try {
            const { rows } = await client.query("SELECT current_user AS who, current_database() AS db");
            assert.deepStrictEqual(rows, [{ who: "llmtrace", db: "llmtrace" }]);
        } finally {
            await client.end();
        }
        // And the wrong password is refused, so the check above means something.
        const wrong = new Client({ connectionString: urls.LLMTRACE_POSTGRES_URL.replace(password, "x".repeat(password.length)) });
        await assert.rejects(wrong.connect(), /password authentication failed/);
    });

    it("LLMTRACE_REDIS_URL authenticates to a Redis that requires the stored password", async () => {
        const password = storedValue(e, "llmtrace-redis-password");
        fs.writeFileSync(path.join(dir, "redis.conf"), `requirepass ${password}\n`);
        execFileSync("redis-server", [
            path.join(dir, "redis.conf"),
            "--port",
            String(redisPort),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir,
            "--pidfile",
            `${dir}/redis.pid`,
            "--logfile",
            `${dir}/redis.log`,
        ]);
        started.push("redis");
        for (let i = 0; i < 50 && !fs.existsSync(`${dir}/redis.pid`); i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        // No reconnect loop: a server that is not there must fail the test, not hang it.
        const once = { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null };
        // Without the password the server refuses (raw protocol: clients differ in how they fail).
        const reply = await new Promise<string>((resolve, reject) => {
            const socket = net.connect(redisPort, "127.0.0.1", () => socket.write("PING\r\n"));
            socket.once("data", (d) => {
                resolve(d.toString());
                socket.destroy();
            });
            socket.once("error", reject);
        });
        assert.match(reply, /^-NOAUTH/);
        const client = new Redis(urls.LLMTRACE_REDIS_URL, once);
        await client.connect();
        try {
            assert.strictEqual(await client.ping(), "PONG");
        } finally {
            client.disconnect();
        }
    });
});
