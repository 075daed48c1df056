/**
 * Generated values and rotation: the names and bcrypt cost of what the program generates, the
 * manual rotation generations, the period of each scheduled rotation class, and the base names of
 * alternating database users.
 */
import { isRotatable } from "../contract/resolve";
import { ROTATION_CLASSES, ROTATION_CLASS_NAMES, RotationClass, SecretSpec } from "../contract/types";
import { NOT_A_CONTRACT_KEY, featuresOff, isOneOf, postgresUserName } from "./patterns";
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys. */
export const ROTATION_AREA = "Stored names, generated values and rotation";

export interface RotationSettings {
    /** Manual rotation generations, by secret key. */
    readonly rotations: Readonly<Record<string, number>>;
    /** Scheduled rotation period in days, by rotation class. */
    readonly rotationPeriods: Readonly<Record<RotationClass, number>>;
    /** bcrypt cost of derived hashes (Dex accepts 10 to 16). */
    readonly bcryptCost: number;
}

/** Reads when values are made anew, and how hard their hashes are. */
export function readRotationSettings(reader: ConfigReader): RotationSettings {
    const r = reader.inArea(ROTATION_AREA);
    const rotations = r.integerMap("rotations", "rotations: { litellm-master-key: 1 }");
    const rotationPeriods = readRotationPeriods(r);
    const bcryptCost = r.integer("bcryptCost", 10, { min: 10, max: 16 });
    return { rotations: Object.freeze(rotations), rotationPeriods: Object.freeze(rotationPeriods), bcryptCost };
}

/**
 * Values of the contract's `setting` sources and the base names of its alternating users, by
 * config key: names the program stores as secrets (`contract` with the agents' rows in it).
 */
export function readGeneratedNames(reader: ConfigReader, contract: readonly SecretSpec[]): Record<string, string> {
    const r = reader.inArea(ROTATION_AREA);
    const settingValues: Record<string, string> = { ...readAlternatingUserNames(r, contract) };
    for (const spec of contract) {
        if (spec.source.kind === "setting") {
            settingValues[spec.source.configKey] = r.string(spec.source.configKey, spec.source.default, {
                pattern: /^[A-Za-z0-9._@-]{1,63}$/,
                rule: "1 to 63 letters, digits, '.', '_', '@' or '-'",
                example: spec.source.default,
            });
        }
    }
    return settingValues;
}

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
function readRotationPeriods(r: ConfigReader): Record<RotationClass, number> {
    const example = "rotationPeriods: { database-password: 30 }";
    const periods = defaultRotationPeriods();
    for (const [name, days] of Object.entries(r.integerMap("rotationPeriods", example))) {
        if (!isOneOf(name, ROTATION_CLASS_NAMES)) {
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
            periods[name] = days;
        }
    }
    return periods;
}

/**
 * Base names of alternating database users, by config key. The users are `<base>_a` and
 * `<base>_b`, so the base leaves room for the suffix within PostgreSQL's 63-byte identifiers, and
 * is lowercase so no one has to quote it in SQL.
 */
function readAlternatingUserNames(r: ConfigReader, contract: readonly SecretSpec[]): Record<string, string> {
    const names: Record<string, string> = {};
    for (const spec of contract) {
        const alt = spec.alternatingUsers;
        if (alt !== undefined) {
            names[alt.configKey] = r.string(alt.configKey, alt.default, {
                pattern: postgresUserName(61),
                rule: "a lowercase PostgreSQL name: letters, digits and _, at most 61 (the users add _a and _b)",
                example: alt.default,
            });
        }
    }
    return names;
}

export interface RotationContext {
    /** The contract with the agents' rows. */
    readonly contract: readonly SecretSpec[];
    readonly rotations: Readonly<Record<string, number>>;
    /** Keys of the rows active in the stack. */
    readonly activeKeys: ReadonlySet<string>;
    readonly features: ReadonlySet<string>;
    /** The operator writes the source values (`kubernetesSourceValues: operator`), in this namespace. */
    readonly operatorWritesValuesIn?: string;
}

/** Each `rotations` entry must name a value this stack generates: anything else would do nothing. */
export function checkRotations(r: ConfigReader, ctx: RotationContext): void {
    for (const [key, generation] of Object.entries(ctx.rotations)) {
        if (ctx.operatorWritesValuesIn !== undefined) {
            if (generation === 0) {
                continue; // the first generation: nothing to rotate either way
            }
            r.problem(
                `rotations.${key}`,
                "the operator writes the source values (kubernetesSourceValues: operator), so the program rotates none",
                `remove the entry and replace the Secret ${key} in ${ctx.operatorWritesValuesIn} yourself`,
            );
            continue;
        }
        const spec = ctx.contract.find((s) => s.key === key);
        if (spec === undefined) {
            r.problem(`rotations.${key}`, NOT_A_CONTRACT_KEY.message, NOT_A_CONTRACT_KEY.fix);
        } else if (spec.neverRotate !== undefined) {
            r.problem(`rotations.${key}`, `${key} never rotates silently: ${spec.neverRotate.replace(/\.$/, "")}`, "remove the entry");
        } else if (!isRotatable(spec)) {
            const how =
                spec.source.kind === "provided"
                    ? `rotate it at its issuer, then pulumi config set --secret ${spec.source.configKey} <new value>`
                    : "it follows the value it is derived from: rotate that one";
            r.problem(`rotations.${key}`, `${key} is not generated here (generation ${generation} cannot apply)`, how);
        } else if (!ctx.activeKeys.has(key)) {
            const off = featuresOff(spec, ctx.features);
            r.problem(
                `rotations.${key}`,
                `${key} does not exist in this stack (feature ${off} is off), so the entry would do nothing`,
                `remove the entry, or add ${off} to features`,
            );
        }
    }
}
