/**
 * Rotation settings: the period of each scheduled rotation class, and the base names of
 * alternating database users.
 */
import { ROTATION_CLASSES, ROTATION_CLASS_NAMES, RotationClass, SecretSpec } from "../contract/types";
import { ConfigReader } from "./reader";

/**
 * Days between the scheduled updates that let the rotation clocks fire (the cron of
 * `.github/workflows/scheduled.yml`, daily; test/scripts/workflows.test.ts keeps the two in step).
 */
export const SCHEDULED_UP_CADENCE_DAYS = 1;

/**
 * Shortest period accepted: two scheduled updates per period, so an update samples each period
 * and a scheduled rotation is one generation step (see `sampleDays`), even when one run fails.
 */
export const MIN_PERIOD_DAYS = 2 * SCHEDULED_UP_CADENCE_DAYS;

/** Longest period accepted: ten years is "never" in all but name, which is what `neverRotate` is for. */
const MAX_PERIOD_DAYS = 3650;

/** The seeds' periods, by class. */
export const defaultRotationPeriods = (): Record<RotationClass, number> =>
    Object.fromEntries(ROTATION_CLASS_NAMES.map((c) => [c, ROTATION_CLASSES[c].days])) as Record<RotationClass, number>;

/** `rotationPeriods`: class → whole days, merged over the defaults. */
export function readRotationPeriods(r: ConfigReader): Record<RotationClass, number> {
    const example = "rotationPeriods: { database-password: 30 }";
    const periods = defaultRotationPeriods();
    for (const [name, days] of Object.entries(r.integerMap("rotationPeriods", example))) {
        if (!(ROTATION_CLASS_NAMES as string[]).includes(name)) {
            r.problem(
                `rotationPeriods.${name}`,
                `is not a rotation class; expected one of ${ROTATION_CLASS_NAMES.join(", ")}`,
                "correct or remove the entry in Pulumi.<stack>.yaml",
            );
        } else if (days < MIN_PERIOD_DAYS || days > MAX_PERIOD_DAYS) {
            r.problem(
                `rotationPeriods.${name}`,
                `${days} is not a whole number of days from ${MIN_PERIOD_DAYS} (twice the ${SCHEDULED_UP_CADENCE_DAYS}-day cadence of the scheduled update) to ${MAX_PERIOD_DAYS}`,
                `in Pulumi.<stack>.yaml: ${example}`,
            );
        } else {
            periods[name as RotationClass] = days;
        }
    }
    return periods;
}

/**
 * Base names of alternating database users, by config key. The users are `<base>_a` and
 * `<base>_b`, so the base leaves room for the suffix within PostgreSQL's 63-byte identifiers, and
 * is lowercase so no one has to quote it in SQL.
 */
export function readAlternatingUserNames(r: ConfigReader, contract: readonly SecretSpec[]): Record<string, string> {
    const names: Record<string, string> = {};
    for (const spec of contract) {
        const alt = spec.alternatingUsers;
        if (alt !== undefined) {
            names[alt.configKey] = r.string(alt.configKey, alt.default, {
                pattern: /^[a-z_][a-z0-9_]{0,60}$/,
                rule: "a lowercase PostgreSQL name: letters, digits and _, at most 61 (the users add _a and _b)",
                example: alt.default,
            });
        }
    }
    return names;
}
