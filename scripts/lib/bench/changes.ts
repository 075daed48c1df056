/**
 * What a second evaluation changes: resources whose inputs differ, appear or disappear. Used for
 * the rotation blast radius (bump one generation).
 */
import { isRotatable } from "../../../components/contract/resolve";
import { SecretSpec } from "../../../components/contract/types";
import { Evaluation, RecordedResource, evaluate, unwrap } from "../../../test/support/evaluate";
import { ResourceClass, classOf } from "./schedule";

/** JSON with sorted keys, so property order never counts as a change. */
export function canonical(v: unknown): string {
    if (Array.isArray(v)) {
        return `[${v.map(canonical).join(",")}]`;
    }
    if (typeof v === "object" && v !== null) {
        return `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(v) ?? "undefined";
}

export interface Changes {
    readonly changed: readonly RecordedResource[];
    readonly added: readonly RecordedResource[];
    readonly removed: readonly RecordedResource[];
}

export const changeCount = (c: Changes): number => c.changed.length + c.added.length + c.removed.length;

/** Resources of `after` whose inputs (secrets unwrapped) differ from `before`, by URN. */
export function diff(before: Evaluation, after: Evaluation): Changes {
    const old = new Map(before.resources.map((r) => [r.urn, canonical(unwrap(r.inputs))]));
    const now = new Set(after.resources.map((r) => r.urn));
    return {
        changed: after.resources.filter((r) => old.has(r.urn) && old.get(r.urn) !== canonical(unwrap(r.inputs))),
        added: after.resources.filter((r) => !old.has(r.urn)),
        removed: before.resources.filter((r) => !now.has(r.urn)),
    };
}

/** Classes a rotation must never touch: they hold data or run the cluster. */
export const NEVER_ON_ROTATION: readonly ResourceClass[] = ["database", "cache", "cluster add-on"];

export interface Rotation {
    readonly key: string;
    /** Set when the secret does not rotate by a generation bump, with the reason. */
    readonly notRotatable?: string;
    readonly changes?: Changes;
    /** Touched resources of a class a rotation must never touch. */
    readonly forbidden: readonly RecordedResource[];
}

function whyNot(spec: SecretSpec): string {
    if (spec.neverRotate !== undefined) {
        return "never rotates silently";
    }
    switch (spec.source.kind) {
        case "provided":
            return "provided: rotated at its issuer";
        case "bcrypt":
            return `follows ${spec.source.of}`;
        case "setting":
            return "a setting, not a secret value";
        case "derived":
            return `follows ${spec.source.from}`;
        default:
            return "not generated here";
    }
}

/** For each active secret, what one generation bump changes (evaluations run one at a time). */
export async function rotationBlastRadius(stack: string, base: Evaluation): Promise<Rotation[]> {
    const platform = base.platform;
    if (platform === undefined) {
        throw new Error(`stack ${stack} does not evaluate: ${base.error?.message}`);
    }
    const out: Rotation[] = [];
    for (const { spec } of platform.active) {
        if (!isRotatable(spec)) {
            out.push({ key: spec.key, notRotatable: whyNot(spec), forbidden: [] });
            continue;
        }
        const rotations = { ...platform.config.rotations, [spec.key]: (platform.config.rotations[spec.key] ?? 0) + 1 };
        const after = await evaluate({ stack, set: { rotations } });
        if (after.error !== undefined) {
            throw new Error(`rotating ${spec.key} in ${stack} fails: ${after.error.message}`);
        }
        const changes = diff(base, after);
        const touched = [...changes.changed, ...changes.added, ...changes.removed];
        out.push({
            key: spec.key,
            changes,
            forbidden: touched.filter((r) => NEVER_ON_ROTATION.includes(classOf(r) as ResourceClass)),
        });
    }
    return out;
}
