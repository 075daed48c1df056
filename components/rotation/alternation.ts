/**
 * Zero-downtime database credentials with two alternating users, as pure functions of a
 * generation counter.
 *
 * Users `<base>_a` and `<base>_b` both log in and both act as the shared role `<base>`, which owns
 * the application's objects. Generation `g` makes slot a active when even and slot b when odd.
 * Rotating from `g` to `g + 1` sets a new password on the idle user only and points the
 * application at it; the user active at `g` keeps its password, so connections opened with the
 * previous URL, and new ones made with it while consumers roll, keep working until the rotation
 * after that (`g + 2`) gives that user a new password in turn.
 *
 * A slot's password is keyed on the generation at which the slot last became active
 * (`passwordGeneration`), so a step of one generation changes exactly one password. A step of
 * two at once would change both: callers must move one generation per deployment.
 */

export type Slot = "a" | "b";
export const SLOTS: readonly Slot[] = ["a", "b"];

const SECONDS_PER_DAY = 86_400;

/** The login name of a slot. */
export const slotUser = (base: string, slot: Slot): string => `${base}_${slot}`;

/** The slot whose user the application signs in as at generation `g`. */
export function activeSlot(generation: number): Slot {
    assertGeneration(generation);
    return generation % 2 === 0 ? "a" : "b";
}

/**
 * The generation at which `slot` last got its password, seen from generation `g`: the latest
 * generation ≤ g at which it became active. Slot b holds its first password from before it is
 * first active, which is generation -1.
 */
export function passwordGeneration(slot: Slot, generation: number): number {
    assertGeneration(generation);
    return activeSlot(generation) === slot ? generation : generation - 1;
}

export interface SlotState {
    readonly slot: Slot;
    readonly user: string;
    /** Generation at which this user's current password was set. */
    readonly passwordGeneration: number;
}

export interface AlternationState {
    readonly generation: number;
    /** The user consumers sign in as. */
    readonly active: SlotState;
    /** The previous user: valid, unused, next to get a new password. */
    readonly idle: SlotState;
}

export function alternationState(base: string, generation: number): AlternationState {
    const slotState = (slot: Slot): SlotState => ({
        slot,
        user: slotUser(base, slot),
        passwordGeneration: passwordGeneration(slot, generation),
    });
    const active = activeSlot(generation);
    return {
        generation,
        active: slotState(active),
        idle: slotState(active === "a" ? "b" : "a"),
    };
}

/** One step of a rotation, in the order they happen. */
export interface RotationStep {
    readonly summary: string;
}

/** What moving from generation `g` to `g + 1` does, for the runbook and the plan. */
export function rotationSteps(base: string, generation: number): RotationStep[] {
    const now = alternationState(base, generation);
    const next = alternationState(base, generation + 1);
    return [
        {
            summary: `set a new password on the idle user ${now.idle.user} (its password from generation ${now.idle.passwordGeneration} is replaced)`,
        },
        { summary: `store ${next.active.user} and its new password as the current versions (user, password, database URL)` },
        { summary: "consumers roll to the new versions and sign in as " + next.active.user },
        {
            summary:
                `${now.active.user} keeps its password and stays valid for connections opened before, ` +
                `until the next rotation (generation ${generation + 2}) gives it a new one`,
        },
    ];
}

/** Rotations scheduled on a fixed calendar grid: period `n` is [n·P, (n+1)·P) days from 1970-01-01 UTC. */
export function periodIndex(unixSeconds: number, periodDays: number): number {
    if (!Number.isInteger(periodDays) || periodDays < 1) {
        throw new Error(`a rotation period is a whole number of days ≥ 1, got ${periodDays}`);
    }
    return Math.floor(unixSeconds / (periodDays * SECONDS_PER_DAY));
}

/** Start of period `n` as an RFC 3339 UTC timestamp. */
export const periodStart = (index: number, periodDays: number): string =>
    new Date(index * periodDays * SECONDS_PER_DAY * 1000).toISOString().replace(/\.000Z$/, "Z");

/**
 * Days between clock samples. Half a period: consecutive samples are then less than one period
 * apart as long as deployments run at least every half period, so the period index never skips
 * one and each scheduled rotation is a single generation step.
 */
export const sampleDays = (periodDays: number): number => Math.max(1, Math.floor(periodDays / 2));

/** `"name"`: a PostgreSQL identifier, quoted. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `'value'`: a PostgreSQL string literal (standard_conforming_strings, the default since 9.1). */
export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * One-time SQL that lets the two users take turns: a shared role `<base>` owns the objects, and
 * both users act as it from the start of every session (`ALTER ROLE … SET role`), so tables
 * LiteLLM's migrations create as one user stay usable by the other. Run as an administrator once
 * both users exist (on Cloud SQL, as `postgres` after the first deployment); safe to run again
 * (a role that exists is kept; the grants and settings are the same the second time).
 */
export function sharedRoleSql(base: string, database: string): string[] {
    const role = quoteIdent(base);
    return [
        // CREATE ROLE has no IF NOT EXISTS; a second run keeps the role made by the first.
        `DO $$BEGIN CREATE ROLE ${role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$`,
        ...SLOTS.flatMap((slot) => [
            `GRANT ${role} TO ${quoteIdent(slotUser(base, slot))}`,
            `ALTER ROLE ${quoteIdent(slotUser(base, slot))} SET role = ${quoteLiteral(base)}`,
        ]),
        `GRANT CONNECT, TEMPORARY ON DATABASE ${quoteIdent(database)} TO ${role}`,
        `GRANT USAGE, CREATE ON SCHEMA public TO ${role}`,
    ];
}

/** Creates both login users with their passwords (what Cloud SQL's user resources do through its API). */
export function createUsersSql(base: string, passwords: Readonly<Record<Slot, string>>): string[] {
    return SLOTS.map((slot) => `CREATE ROLE ${quoteIdent(slotUser(base, slot))} LOGIN PASSWORD ${quoteLiteral(passwords[slot])}`);
}

/** The statement of a rotation from `g`: a new password on the idle user, nothing else. */
export function rotatePasswordSql(base: string, generation: number, newPassword: string): string {
    const { idle } = alternationState(base, generation);
    return `ALTER ROLE ${quoteIdent(idle.user)} WITH PASSWORD ${quoteLiteral(newPassword)}`;
}

function assertGeneration(generation: number): void {
    if (!Number.isInteger(generation) || generation < 0) {
        throw new Error(`a generation is a whole number ≥ 0, got ${generation}`);
    }
}
