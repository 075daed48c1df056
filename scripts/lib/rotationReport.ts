/**
 * The rotation report: per secret of a stack, its rotation class and period, when it last
 * rotated (from the clocks' state when known, "at first deploy" before that), when it rotates
 * next, and what a rotation reaches: the backend versions it writes and the workloads that roll.
 *
 * `rotationReport` and `formatRotationReport` are pure; `rotationFacts` reads what they need from
 * an evaluated platform.
 */
import * as pulumi from "@pulumi/pulumi";

import { ActiveSecret } from "../../components/contract/resolve";
import { RotationClass } from "../../components/contract/types";
import { periodStart } from "../../components/rotation/alternation";
import { RotationContext, rotationContextOf, rotationPolicy, rotationReach } from "../../components/rotation/policy";
import type { Platform } from "../../components/platform";
import { TERMINAL_WIDTH, fields, wrap } from "./textLayout";

export const AT_FIRST_DEPLOY = "at first deploy";

/** State of one secret's clock; every field unset before the first deployment. */
export interface ClockFacts {
    /** Base timestamp of the clock: the last rotation (or, for alternating users, the last sample). */
    readonly rotatedAt?: string;
    readonly nextRotation?: string;
}

/** Alternating users of one secret, as the stack's generation puts them. */
export interface AlternationFacts {
    readonly generation: number;
    readonly activeUser: string;
    readonly idleUser: string;
    /** Calendar period the clock last sampled (0 before the first deployment). */
    readonly periodIndex: number;
}

export interface RotationFacts {
    readonly active: readonly ActiveSecret[];
    readonly periods: Readonly<Record<RotationClass, number>>;
    /** Where the stack's databases run (see `RotationContext`). @default {} */
    readonly context?: RotationContext;
    readonly rotations: Readonly<Record<string, number>>;
    readonly clocks: Readonly<Record<string, ClockFacts>>;
    readonly alternating: Readonly<Record<string, AlternationFacts>>;
    /** Backend id of each secret (the place a rotation writes a new version). */
    readonly backendIds: Readonly<Record<string, string>>;
    /**
     * Adopted secrets whose adopted value is still current, with the version kept and the
     * generation it is current at: they have no clock until their first rotation.
     * @default {}
     */
    readonly adoptedKept?: Readonly<Record<string, { readonly version?: string; readonly generation: number }>>;
}

export interface RotationReportRow {
    readonly key: string;
    /** `scheduled`, or why not: `manual`, `never`, `issuer`, `follows`, `derived`, `setting`. */
    readonly schedule: "scheduled" | "manual" | "never" | "issuer" | "follows" | "derived" | "setting";
    readonly rotationClass?: RotationClass;
    readonly periodDays?: number;
    readonly lastRotation: string;
    readonly nextRotation: string;
    /** Manual generation from the stack file. */
    readonly generation: number;
    /** Backend ids a rotation writes a new version of: the secret and what follows it. */
    readonly versions: readonly string[];
    /** Workloads that roll to the new versions. */
    readonly workloads: readonly string[];
    /** Why it is not scheduled, who issues it, which users alternate. */
    readonly note: string;
}

/** The report, one row per active secret in contract order. */
export function rotationReport(facts: RotationFacts): RotationReportRow[] {
    return facts.active.map(({ spec }) => {
        const policy = rotationPolicy(spec, facts.periods, facts.context);
        const reach = rotationReach(facts.active, spec.key);
        const base = {
            key: spec.key,
            generation: facts.rotations[spec.key] ?? 0,
            versions: reach.secrets.map((k) => facts.backendIds[k] ?? k),
            workloads: reach.workloads,
        };
        const adopted = facts.adoptedKept?.[spec.key];
        const keptVersion = adopted?.version === undefined ? "" : ` (version ${adopted.version} kept)`;
        switch (policy.kind) {
            case "scheduled": {
                if (adopted !== undefined) {
                    // No clock yet: the adopted value's age is unknown here, so its first rotation
                    // is a deliberate bump; from then on the period runs as for any secret.
                    return {
                        ...base,
                        schedule: "scheduled",
                        rotationClass: policy.rotationClass,
                        periodDays: policy.days,
                        lastRotation: `before adoption${keptVersion}`,
                        nextRotation: `at rotations.${spec.key}: ${adopted.generation + 1}, then every ${policy.days} d`,
                        note: `adopted value kept until its first rotation: npm run rotate -- --stack <stack> ${spec.key}`,
                    };
                }
                const clock = facts.clocks[spec.key] ?? {};
                const alt = facts.alternating[spec.key];
                if (policy.alternating && alt !== undefined) {
                    const deployed = clock.rotatedAt !== undefined;
                    return {
                        ...base,
                        schedule: "scheduled",
                        rotationClass: policy.rotationClass,
                        periodDays: policy.days,
                        lastRotation: deployed ? `period from ${periodStart(alt.periodIndex, policy.days)}` : AT_FIRST_DEPLOY,
                        nextRotation: deployed
                            ? `first refresh after ${periodStart(alt.periodIndex + 1, policy.days)}`
                            : `first refresh after the next ${policy.days}-day calendar boundary`,
                        note: `alternating users: ${alt.activeUser} active, ${alt.idleUser} idle and valid (generation ${alt.generation})`,
                    };
                }
                return {
                    ...base,
                    schedule: "scheduled",
                    rotationClass: policy.rotationClass,
                    periodDays: policy.days,
                    lastRotation: clock.rotatedAt ?? AT_FIRST_DEPLOY,
                    nextRotation: clock.nextRotation ?? `${policy.days} days after first deploy`,
                    note: "",
                };
            }
            case "manual":
                return {
                    ...base,
                    schedule: "manual",
                    lastRotation: base.generation === 0 ? AT_FIRST_DEPLOY : `by hand (generation ${base.generation})`,
                    nextRotation: "by hand",
                    note: `rotated by hand only: ${policy.alongside}`,
                };
            case "never":
                return {
                    ...base,
                    schedule: "never",
                    lastRotation: adopted !== undefined ? `before adoption${keptVersion}` : AT_FIRST_DEPLOY,
                    nextRotation: "never",
                    note: adopted !== undefined ? `adopted value kept for good: ${policy.reason}` : policy.reason,
                };
            case "issuer":
                return {
                    ...base,
                    schedule: "issuer",
                    lastRotation: "at its issuer",
                    nextRotation: "at its issuer",
                    note:
                        `provided: rotate at ${policy.issuer}, then pulumi config set --secret ${policy.configKey}` +
                        (adopted !== undefined
                            ? ` and remove adoptSecrets.${spec.key}.version in the same change (version ${adopted.version} is kept until then)`
                            : ""),
                };
            case "follows":
                return {
                    ...base,
                    schedule: "follows",
                    lastRotation: `with ${policy.of}`,
                    nextRotation: `with ${policy.of}`,
                    note: `follows ${policy.of}`,
                };
            case "derived": {
                const follows = spec.source.kind === "derived" ? (spec.source.follows ?? []) : [];
                const with_ = follows.length > 0 ? `with ${follows.join(", ")}` : "with its resource";
                if (adopted !== undefined) {
                    return {
                        ...base,
                        schedule: "derived",
                        lastRotation: `before adoption${keptVersion}`,
                        nextRotation: "when the adopted value is dropped",
                        note: `adopted value kept as given${keptVersion}; the program's own value replaces it only at the switch (docs/adoption.md)`,
                    };
                }
                return { ...base, schedule: "derived", lastRotation: with_, nextRotation: with_, note: `derived: ${policy.description}` };
            }
            case "setting":
                return {
                    ...base,
                    schedule: "setting",
                    lastRotation: "-",
                    nextRotation: "-",
                    note: `not secret: config ${policy.configKey}`,
                };
        }
    });
}

/**
 * The report as plan lines for a terminal of `width` columns: one block per scheduled secret,
 * then a line for each of the others with the reason.
 */
export function formatRotationReport(rows: readonly RotationReportRow[], width: number = TERMINAL_WIDTH): string[] {
    const scheduled = rows.filter((r) => r.schedule === "scheduled");
    const out: string[] = [];
    out.push(
        ...wrap(
            `Rotation (${scheduled.length} secrets on a schedule; clocks live in state, a refresh before each up rotates what is due)`,
            width,
            "",
            "    ",
        ),
    );
    for (const r of scheduled) {
        out.push(`  ${r.key}: ${r.rotationClass ?? ""}, every ${r.periodDays} d`);
        out.push(
            ...fields(
                [
                    ["last", r.lastRotation],
                    ["next", r.nextRotation],
                    ["new versions", r.versions],
                    ["rolls", r.workloads.length > 0 ? r.workloads : "(nothing: people read it from the backend)"],
                    ...(r.note === "" ? [] : [["note", r.note] as const]),
                ],
                "    ",
                width,
            ),
        );
    }
    const other = rows.filter((r) => r.schedule !== "scheduled" && r.schedule !== "setting");
    if (other.length > 0) {
        out.push("  Not on a schedule:");
        for (const r of other) {
            const rolls = r.workloads.length > 0 ? `; a change rolls ${r.workloads.join(", ")}` : "";
            const what = r.schedule === "never" ? `never rotates: ${r.note}` : r.note;
            out.push(...wrap(`${r.key}: ${rolls === "" ? what : what.replace(/\.$/, "")}${rolls}`, width, "    ", "      "));
        }
    }
    out.push(
        ...wrap("Manual rotation of one secret: npm run rotate -- --stack <stack> <key> (steps and what rolls).", width, "  ", "    "),
    );
    return out;
}

const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));

/** Reads the report's facts from an evaluated platform (mock runtime, not preview). */
export async function rotationFacts(platform: Platform): Promise<RotationFacts> {
    const s = platform.rotation.schedules;
    const clocks: Record<string, ClockFacts> = {};
    for (const key of Object.keys(s.rotatedAt)) {
        const [rotatedAt, nextRotation] = await Promise.all([valueOf(s.rotatedAt[key]), valueOf(s.nextRotation[key])]);
        clocks[key] = { ...(rotatedAt === undefined ? {} : { rotatedAt }), ...(nextRotation === undefined ? {} : { nextRotation }) };
    }
    const alternating: Record<string, AlternationFacts> = {};
    for (const [key, pair] of Object.entries(platform.alternating)) {
        const generation = await valueOf(pair.generation);
        const activeUser = await valueOf(pair.activeUser);
        const idle = Object.values(pair.users).find((u) => u.name !== activeUser)?.name ?? "";
        alternating[key] = { generation, activeUser, idleUser: idle, periodIndex: await valueOf(s.periodIndex[key] ?? pulumi.output(0)) };
    }
    const backendIds: Record<string, string> = {};
    for (const [key, stored] of Object.entries(platform.stored)) {
        backendIds[key] = await valueOf(stored.backendId);
    }
    const adoptedKept: Record<string, { version?: string; generation: number }> = {};
    for (const [key, a] of Object.entries(platform.adoption)) {
        if (a.valueKept) {
            adoptedKept[key] = {
                ...(a.settings.version === undefined ? {} : { version: a.settings.version }),
                generation: a.settings.generation,
            };
        }
    }
    return {
        active: platform.active,
        periods: platform.config.rotationPeriods,
        context: rotationContextOf(platform.config),
        rotations: platform.config.rotations,
        clocks,
        alternating,
        backendIds,
        adoptedKept,
    };
}

/** The report's lines for an evaluated platform: what `npm run plan` prints. */
export async function rotationReportLines(platform: Platform, width: number = TERMINAL_WIDTH): Promise<string[]> {
    return formatRotationReport(rotationReport(await rotationFacts(platform)), width);
}
