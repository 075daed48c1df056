/**
 * How each contract row rotates, and what a rotation of it reaches: pure queries over the
 * contract shared by the program, the rotation report, the runbook and `npm run rotate`.
 */
import { ActiveSecret } from "../contract/resolve";
import { Consumer, ROTATION_CLASSES, RotationClass, SecretSpec } from "../contract/types";

export type RotationPolicy =
    /** Generated here and rotated on a schedule (and by a `rotations` bump). */
    | { readonly kind: "scheduled"; readonly rotationClass: RotationClass; readonly days: number; readonly alternating: boolean }
    /** Generated here, rotated only by a `rotations` bump, with something to change alongside. */
    | { readonly kind: "manual"; readonly alongside: string }
    /** Generated here, never rotated silently. */
    | { readonly kind: "never"; readonly reason: string }
    /** Provided by the operator: rotated at its issuer, then set in config. */
    | { readonly kind: "issuer"; readonly issuer: string; readonly configKey: string }
    /** Computed from another row (a hash, the active user): rotates with it. */
    | { readonly kind: "follows"; readonly of: string }
    /** Computed from a resource the program creates. */
    | { readonly kind: "derived"; readonly description: string }
    /** A non-secret stack setting. */
    | { readonly kind: "setting"; readonly configKey: string };

/** Where a stack's databases run, as far as rotating their passwords goes. */
export interface RotationContext {
    /**
     * LiteLLM's database is a server outside this program (`gcpRuntime` off, `litellmDbEndpoint`
     * naming it): the program cannot set a password there, so database passwords rotate by hand.
     * @default false
     */
    readonly databaseOutside?: boolean;
}

/** Why a database password of a server outside this program has no schedule. */
export const DATABASE_OUTSIDE =
    "LiteLLM's database runs outside this program (gcpRuntime off), which cannot set the password there: " +
    "set the new value (read it from the backend) on that server for the idle user in the same window";

/** The rotation context of a stack's settings. */
export const rotationContextOf = (settings: { readonly gcpRuntime: { readonly enabled: boolean } }): RotationContext => ({
    databaseOutside: !settings.gcpRuntime.enabled,
});

export function rotationPolicy(
    spec: SecretSpec,
    periods: Readonly<Record<RotationClass, number>>,
    context: RotationContext = {},
): RotationPolicy {
    const source = spec.source;
    switch (source.kind) {
        case "generated":
        case "randomBytes":
            if (spec.manualRotation !== undefined) {
                return { kind: "manual", alongside: spec.manualRotation };
            }
            // A scheduled rotation would change the password here and not where it is checked.
            if (context.databaseOutside === true && spec.rotation === "database-password") {
                return { kind: "manual", alongside: DATABASE_OUTSIDE };
            }
            if (spec.neverRotate !== undefined || spec.rotation === undefined) {
                return { kind: "never", reason: spec.neverRotate ?? "no rotation class" };
            }
            return {
                kind: "scheduled",
                rotationClass: spec.rotation,
                days: periods[spec.rotation] ?? ROTATION_CLASSES[spec.rotation].days,
                alternating: spec.alternatingUsers !== undefined,
            };
        case "provided":
            return { kind: "issuer", issuer: source.issuer, configKey: source.configKey };
        case "bcrypt":
        case "activeUser":
            return { kind: "follows", of: source.of };
        case "derived":
            return { kind: "derived", description: source.description };
        case "setting":
            return { kind: "setting", configKey: source.configKey };
    }
}

/**
 * Rows computed from `key`, directly or through another (a hash, the active user, a URL built
 * from it): they change whenever it rotates.
 */
export function followersOf(contract: readonly SecretSpec[], key: string): string[] {
    const out: string[] = [];
    const visit = (of: string): void => {
        for (const spec of contract) {
            const s = spec.source;
            const follows = s.kind === "bcrypt" || s.kind === "activeUser" ? [s.of] : s.kind === "derived" ? (s.follows ?? []) : [];
            if (follows.includes(of) && !out.includes(spec.key)) {
                out.push(spec.key);
                visit(spec.key);
            }
        }
    };
    visit(key);
    return out;
}

/** Where a consumer runs: a Cloud Run service or a Kubernetes workload (`namespace/workload`). */
export const workloadOf = (c: Consumer): string =>
    c.kind === "cloudRunEnv" ? `Cloud Run service ${c.service}` : `Kubernetes ${c.namespace}/${c.workload}`;

/** What one rotation of `key` reaches in a stack. */
export interface RotationReach {
    /** The rotated row and the rows that follow it, each a new backend version. */
    readonly secrets: readonly string[];
    /** Every consumer of those rows: each reads a new pinned version. */
    readonly consumers: readonly Consumer[];
    /** The workloads that restart or roll a new revision, once each, sorted. */
    readonly workloads: readonly string[];
}

export function rotationReach(active: readonly ActiveSecret[], key: string): RotationReach {
    const byKey = new Map(active.map((a) => [a.spec.key, a]));
    const secrets = [
        key,
        ...followersOf(
            active.map((a) => a.spec),
            key,
        ),
    ].filter((k) => byKey.has(k));
    const consumers = secrets.flatMap((k) => byKey.get(k)?.consumers ?? []);
    const workloads = [...new Set(consumers.map(workloadOf))].sort();
    return { secrets, consumers, workloads };
}

/** The keys whose rotation changes `key`: itself, or the roots of the rows it is computed from. */
export function rotationRoots(contract: readonly SecretSpec[], key: string): string[] {
    const s = contract.find((x) => x.key === key)?.source;
    const from =
        s === undefined ? [] : s.kind === "bcrypt" || s.kind === "activeUser" ? [s.of] : s.kind === "derived" ? (s.follows ?? []) : [];
    return from.length === 0 ? [key] : [...new Set(from.flatMap((k) => rotationRoots(contract, k)))];
}
