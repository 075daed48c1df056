/**
 * Adoption: what a stack does with the backend secrets it takes over (config in
 * `config/adoption.ts`). Pure decisions, made from config alone so that every resource option
 * they drive (`import`, `retainOnDelete`) is a plain value known before any resource exists.
 *
 * Why the `import` resource option and not a generated `pulumi import` file: the resources to
 * adopt are the ones the contract already derives, nested under their components; the option
 * imports them at exactly those URNs with the inputs the program computes, `pulumi preview`
 * shows each import and any difference before anything is written, and the option can stay in
 * the program (an imported resource whose id matches is then an ordinary resource), so adoption
 * is per-stack config rather than generated code to merge by hand.
 */
import { ActiveSecret } from "../contract/resolve";
import { SecretSpec } from "../contract/types";
import { followersOf } from "../rotation/policy";
import { AdoptedSecretSettings } from "./settings";

export type { AdoptedSecretSettings } from "./settings";

/** What a backend needs to adopt one existing secret instead of creating it. */
export interface BackendAdoption {
    /** The existing id; undefined: the id the backend's naming gives the key. */
    readonly id?: string;
    /**
     * The version to import and keep as the current one; undefined when the value is no longer
     * the adopted one (rotated since): the backend then writes a new version, as for any secret.
     */
    readonly version?: string;
    /** Labels (tags, metadata) the existing secret has: imported inputs must equal them. */
    readonly labels: Readonly<Record<string, string>>;
    /** Replica locations it has; empty: automatic replication. */
    readonly locations: readonly string[];
}

export interface AdoptionState {
    readonly spec: SecretSpec;
    readonly settings: AdoptedSecretSettings;
    /** The adopted value (and version) is still the current one. */
    readonly valueKept: boolean;
    /** Why, in words: the plan and the rotation report say it. */
    readonly reason: string;
}

/**
 * Whether the adopted value is still current: a generated value until its first rotation after
 * adoption (a `rotations` bump past the adopted generation), a never-rotated one for ever, a hash
 * while the password it hashes is kept, a derived value while the operator gives it, a provided
 * value or setting while the entry names its version.
 */
export function adoptionState(
    spec: SecretSpec,
    all: Readonly<Record<string, AdoptedSecretSettings>>,
    rotations: Readonly<Record<string, number>>,
    valuesGiven: ReadonlySet<string>,
): AdoptionState | undefined {
    const settings = all[spec.key];
    if (settings === undefined) {
        return undefined;
    }
    const state = (valueKept: boolean, reason: string): AdoptionState => ({ spec, settings, valueKept, reason });
    const source = spec.source;
    switch (source.kind) {
        case "generated":
        case "randomBytes": {
            if (spec.neverRotate !== undefined) {
                return state(true, "never rotates: the adopted value stays");
            }
            const generation = rotations[spec.key] ?? 0;
            return generation === settings.generation
                ? state(true, `kept until its first rotation (rotations.${spec.key}: ${settings.generation + 1})`)
                : state(false, `rotated since adoption (generation ${generation})`);
        }
        case "bcrypt": {
            // The password's generation decides: a hash is kept exactly while what it hashes is.
            const root = all[source.of];
            return root !== undefined && (rotations[source.of] ?? 0) === root.generation
                ? state(true, `kept while ${source.of} is`)
                : state(false, `${source.of} ${root === undefined ? "is not adopted" : "rotated since adoption"}: hashed anew`);
        }
        case "derived":
            return valuesGiven.has(spec.key)
                ? state(true, "kept as given; the program's own value is a later switch")
                : state(false, "the program's derived value, written as a new version");
        case "provided":
        case "setting":
            return settings.version !== undefined
                ? state(true, `kept while config ${source.configKey} holds the adopted value`)
                : state(false, `config ${source.configKey}, written as a new version`);
        case "activeUser":
            return state(false, "not adoptable");
    }
}

/** Every adopted row of a stack, by key. */
export function adoptionStates(
    specs: readonly SecretSpec[],
    all: Readonly<Record<string, AdoptedSecretSettings>>,
    rotations: Readonly<Record<string, number>>,
    valuesGiven: ReadonlySet<string>,
): Record<string, AdoptionState> {
    const out: Record<string, AdoptionState> = {};
    for (const spec of specs) {
        const s = adoptionState(spec, all, rotations, valuesGiven);
        if (s !== undefined) {
            out[spec.key] = s;
        }
    }
    return out;
}

/** What the backend is told for an adopted row. */
export const backendAdoption = (s: AdoptionState): BackendAdoption => ({
    ...(s.settings.id === undefined ? {} : { id: s.settings.id }),
    ...(s.valueKept && s.settings.version !== undefined ? { version: s.settings.version } : {}),
    labels: s.settings.labels,
    locations: s.settings.locations,
});

/** One line for the plan: "adopted (id, version kept)", or what changed. */
export function describeAdoption(s: AdoptionState | undefined, backendId: string): string {
    if (s === undefined) {
        return "created";
    }
    if (!s.valueKept) {
        return `adopted (${backendId}, new version: ${s.reason})`;
    }
    return s.settings.version !== undefined
        ? `adopted (${backendId}, version ${s.settings.version} kept)`
        : `adopted (${backendId}, value kept, written as a new version)`;
}

/**
 * Rows a stack leaves out while adopted values are kept: a row that no consumer of the stack
 * reads and that only feeds values kept as adopted (the database password behind a kept
 * database URL) would be a new, unused secret. It appears with the switch that uses it. With
 * the GCP runtime on, the database users are built from these rows, so nothing is left out.
 */
export function unusedWhileKept(
    active: readonly ActiveSecret[],
    kept: ReadonlySet<string>,
    adopted: ReadonlySet<string>,
    runtimeOn: boolean,
): Set<string> {
    const out = new Set<string>();
    if (runtimeOn || kept.size === 0) {
        return out;
    }
    const specs = active.map((a) => a.spec);
    const activeKeys = new Set(specs.map((s) => s.key));
    // Until nothing changes: a row is unused when each row computed from it is kept or unused.
    let changed = true;
    while (changed) {
        changed = false;
        for (const { spec, consumers } of active) {
            if (out.has(spec.key) || adopted.has(spec.key) || consumers.length > 0) {
                continue;
            }
            const followers = followersOf(specs, spec.key).filter((k) => activeKeys.has(k));
            if (followers.length > 0 && followers.every((k) => kept.has(k) || out.has(k))) {
                out.add(spec.key);
                changed = true;
            }
        }
    }
    return out;
}
