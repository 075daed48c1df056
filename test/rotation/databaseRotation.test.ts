/**
 * The alternating-user rotation on a real PostgreSQL server, with the program's own values: the
 * users and passwords each generation stores, and the user the stored URL names. A connection
 * opened with the previous URL keeps working after the new URL authenticates, and the previous
 * user stops authenticating only at the rotation after.
 */
import * as assert from "assert";

import { Client } from "pg";

import { postgresUrl } from "../../components/data/urls";
import { Slot, SLOTS, activeSlot, createUsersSql, rotatePasswordSql, sharedRoleSql } from "../../components/rotation/alternation";
import { Evaluation, evaluate, findResource, promiseOf, rotatingAt, unwrap } from "../support/evaluate";
import { PostgresServer, asSuperuser, startPostgres } from "../support/postgres";
import { GCP_SECRET_VERSION as VERSION, GCP_SQL_USER as SQL_USER } from "../support/types";

const DATABASE = "litellm";
/** A deployed clock: the stack's generation is then the calendar period index plus the bumps. */
const T0 = "2027-07-11T00:00:00Z";

interface Generation {
    readonly generation: number;
    /** What consumers read: the stored user and password. */
    readonly user: string;
    readonly password: string;
    /** The stored `database-url` (Cloud SQL's socket: parsed here, not dialled). */
    readonly databaseUrl: string;
    /** Both users' passwords, as the database's user resources set them. */
    readonly passwords: Readonly<Record<Slot, string>>;
}

async function generation(bump: number): Promise<Generation> {
    const e: Evaluation = await evaluate({
        stack: "dev",
        set: { rotations: { "litellm-db-password": bump } },
        mockState: rotatingAt({}, T0),
    });
    assert.ifError(e.error);
    const pair = e.platform!.alternating["litellm-db-password"];
    const stored = (key: string): string => unwrap(findResource(e, VERSION, `${key}-version`).inputs.secretData);
    // Cloud SQL's user resources are what set the passwords in a real deployment.
    const userPassword = (slot: Slot): string => unwrap(findResource(e, SQL_USER, `litellm-db-user-litellm_${slot}`).inputs.password);
    return {
        generation: await promiseOf(pair.generation),
        user: stored("litellm-db-username"),
        password: stored("litellm-db-password"),
        databaseUrl: stored("database-url"),
        passwords: { a: userPassword("a"), b: userPassword("b") },
    };
}

describe("database credential rotation on a real PostgreSQL (alternating users)", () => {
    let pg: PostgresServer | undefined;
    const clients: Client[] = [];
    let g0: Generation;
    let g1: Generation;
    let g2: Generation;

    /** The URL consumers get, from the program's own builder. */
    const url = (user: string, password: string): string =>
        postgresUrl({ host: pg!.host, port: pg!.port, user, password, database: DATABASE });
    const connect = async (connectionString: string): Promise<Client> => {
        const c = new Client({ connectionString });
        await c.connect();
        clients.push(c);
        return c;
    };
    const admin = (database: string, statements: readonly string[]): Promise<void> => asSuperuser(pg!, database, statements);
    /** What a deployment does to the database: a new password on each user whose password changed. */
    const deploy = async (from: Generation, to: Generation): Promise<string[]> => {
        const statements = SLOTS.filter((s) => from.passwords[s] !== to.passwords[s]).map((s) =>
            rotatePasswordSql("litellm", from.generation, to.passwords[s]),
        );
        await admin(DATABASE, statements);
        return statements;
    };

    before(async () => {
        g0 = await generation(0);
        g1 = await generation(1);
        g2 = await generation(2);
        pg = await startPostgres();
        await admin("postgres", [`CREATE DATABASE ${DATABASE}`]);
        await admin(DATABASE, [...createUsersSql("litellm", g0.passwords), ...sharedRoleSql("litellm", DATABASE)]);
    });

    after(async () => {
        await Promise.allSettled(clients.map((c) => c.end()));
        pg?.stop();
    });

    it("stores one generation step per bump, each naming the other user, and the URL names it too", () => {
        assert.deepStrictEqual([g1.generation - g0.generation, g2.generation - g1.generation], [1, 1]);
        assert.strictEqual(g0.user, `litellm_${activeSlot(g0.generation)}`);
        assert.strictEqual(g1.user, `litellm_${activeSlot(g1.generation)}`);
        assert.notStrictEqual(g0.user, g1.user);
        assert.strictEqual(g2.user, g0.user);
        for (const g of [g0, g1, g2]) {
            const u = new URL(g.databaseUrl);
            assert.deepStrictEqual([decodeURIComponent(u.username), decodeURIComponent(u.password)], [g.user, g.password]);
        }
    });

    it("keeps the old URL's connection working after the rotated URL authenticates, and both share the data", async () => {
        const oldUrl = url(g0.user, g0.password);
        const before = await connect(oldUrl);
        // LiteLLM's migrations run as whichever user is active; the shared role owns what they create.
        await before.query("CREATE TABLE spend (id serial PRIMARY KEY, amount numeric NOT NULL)");
        await before.query("INSERT INTO spend (amount) VALUES (1.5)");
        const who = await before.query("SELECT session_user::text AS login, current_user::text AS acting");
        assert.deepStrictEqual(who.rows[0], { login: g0.user, acting: "litellm" });

        // The rotation: exactly one statement, a new password on the idle user.
        const applied = await deploy(g0, g1);
        assert.deepStrictEqual(applied, [rotatePasswordSql("litellm", g0.generation, g1.password)]);

        const after = await connect(url(g1.user, g1.password));
        const rotated = await after.query("SELECT session_user::text AS login, current_user::text AS acting");
        assert.deepStrictEqual(rotated.rows[0], { login: g1.user, acting: "litellm" });
        await after.query("INSERT INTO spend (amount) VALUES (2.5)");

        // The connection opened before the rotation still works, and sees the new row...
        const total = await before.query("SELECT sum(amount)::text AS total FROM spend");
        assert.strictEqual(total.rows[0].total, "4.0");
        // ...and the old URL still authenticates new connections while consumers roll.
        const late = await connect(oldUrl);
        assert.strictEqual((await late.query("SELECT count(*)::int AS n FROM spend")).rows[0].n, 2);
    });

    it("refuses the old URL only after the next rotation, while the current one keeps working", async () => {
        await deploy(g1, g2);
        await assert.rejects(connect(url(g0.user, g0.password)), /password authentication failed for user "litellm_/);
        const current = await connect(url(g2.user, g2.password));
        assert.strictEqual((await current.query("SELECT count(*)::int AS n FROM spend")).rows[0].n, 2);
        // The user of generation 1 is now the idle one and still valid.
        await connect(url(g1.user, g1.password));
    });
});
