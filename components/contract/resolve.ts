/**
 * Pure queries over the contract: which secrets a stack needs, who reads them, and whether the
 * table itself is consistent.
 */
import { Consumer, DERIVATIONS, Derivation, Feature, SecretSource, SecretSpec, Target, consumerTarget } from "./types";

/** A secret the stack needs, with only the consumers active in it. */
export interface ActiveSecret {
    readonly spec: SecretSpec;
    readonly consumers: readonly Consumer[];
}

const allOn = (needed: readonly Feature[], features: ReadonlySet<Feature>): boolean => needed.every((f) => features.has(f));

/**
 * The secrets a stack with these features and targets needs, in contract order. A derived secret
 * is needed only when the stack produces what it derives from (`derivations`, none by default).
 */
export function activeSecrets(
    contract: readonly SecretSpec[],
    features: ReadonlySet<Feature>,
    targets: ReadonlySet<Target>,
    derivations: ReadonlySet<Derivation> = new Set(),
): ActiveSecret[] {
    return contract
        .filter((spec) => allOn(spec.requires, features))
        .filter((spec) => spec.source.kind !== "derived" || derivations.has(spec.source.from))
        .map((spec) => ({
            spec,
            consumers: spec.consumers.filter(
                (c) => targets.has(consumerTarget(c)) && (c.kind !== "kubernetesSecret" || allOn(c.requires ?? [], features)),
            ),
        }));
}

/** Whether a `rotations` entry can rotate the secret (generated here, and not pinned forever). */
export const isRotatable = (spec: SecretSpec): boolean =>
    (spec.source.kind === "generated" || spec.source.kind === "randomBytes") && spec.neverRotate === undefined;

/**
 * Whether every value of a source may sit unescaped in a URL's userinfo. URL-assembling templates
 * insert values as they are, so only sources that never draw a reserved character qualify.
 */
export function isUrlSafe(source: SecretSource): boolean {
    switch (source.kind) {
        case "generated":
            return source.charset === "alphanumeric" && /^[A-Za-z0-9._~-]*$/.test(source.prefix ?? "");
        case "randomBytes":
            return source.encoding === "hex" || source.encoding === "base64url";
        default:
            return false;
    }
}

/** Structural problems of a contract table; empty when it is consistent. */
export function contractProblems(contract: readonly SecretSpec[]): string[] {
    const problems: string[] = [];
    const keys = new Map<string, SecretSpec>();
    for (const spec of contract) {
        if (keys.has(spec.key)) {
            problems.push(`${spec.key}: listed twice`);
        }
        keys.set(spec.key, spec);
        if (!/^[a-z][a-z0-9-]{1,62}$/.test(spec.key)) {
            problems.push(`${spec.key}: keys are lowercase letters, digits and dashes`);
        }
    }
    problems.push(...secretShapeProblems(contract));
    const consumerOwners = new Map<string, string>();
    for (const spec of contract) {
        if (spec.source.kind === "derived" && !(DERIVATIONS as readonly string[]).includes(spec.source.from)) {
            problems.push(`${spec.key}: derives from ${spec.source.from}, which nothing produces`);
        }
        if (spec.source.kind === "bcrypt") {
            const of = keys.get(spec.source.of);
            if (of === undefined) {
                problems.push(`${spec.key}: hashes ${spec.source.of}, which is not in the contract`);
            } else if (!of.requires.every((f) => spec.requires.includes(f))) {
                problems.push(`${spec.key}: must require every feature ${spec.source.of} requires`);
            }
        }
        problems.push(...rotationProblems(spec, keys));
        for (const c of spec.consumers) {
            const slot =
                c.kind === "cloudRunEnv" ? `Cloud Run ${c.service} env ${c.env}` : `Secret ${c.namespace}/${c.secretName} key ${c.key}`;
            if (c.kind === "kubernetesSecret" && c.format?.kind === "urlPassword" && !isUrlSafe(spec.source)) {
                problems.push(`${spec.key}: ${slot} embeds it in a URL, so it must be generated from URL-safe characters`);
            }
            const owner = consumerOwners.get(slot);
            if (owner !== undefined) {
                problems.push(`${slot}: fed by both ${owner} and ${spec.key}`);
            }
            consumerOwners.set(slot, spec.key);
        }
    }
    return problems;
}

/**
 * Whether each Kubernetes Secret is either owned by its ExternalSecret or merged into its
 * workload's Secret, for all its keys alike, and whether env names are env var names.
 */
function secretShapeProblems(contract: readonly SecretSpec[]): string[] {
    const problems: string[] = [];
    const merge = new Map<string, string>();
    for (const spec of contract) {
        for (const c of spec.consumers) {
            if (c.kind !== "kubernetesSecret") {
                continue;
            }
            const id = `${c.namespace}/${c.secretName}`;
            const shape = c.mergeInto === undefined ? "owned" : JSON.stringify(c.mergeInto.labels);
            if ((merge.get(id) ?? shape) !== shape) {
                problems.push(`Secret ${id}: every key must merge into it with the same labels, or none`);
            }
            merge.set(id, shape);
            if (c.env !== undefined && !/^[A-Z_][A-Z0-9_]*$/.test(c.env)) {
                problems.push(`${spec.key}: Secret ${id} key ${c.key} maps to ${c.env}, which is not an env var name`);
            }
        }
    }
    return problems;
}

/** Whether a row's rotation fields fit its source: every generated value has a schedule or a reason not to. */
function rotationProblems(spec: SecretSpec, keys: ReadonlyMap<string, SecretSpec>): string[] {
    const problems: string[] = [];
    const generatedHere = spec.source.kind === "generated" || spec.source.kind === "randomBytes";
    const ways = [spec.rotation, spec.manualRotation, spec.neverRotate].filter((w) => w !== undefined).length;
    if (generatedHere && ways === 0) {
        problems.push(`${spec.key}: generated here, so it needs a rotation class, a manualRotation or a neverRotate reason`);
    }
    if (ways > 1) {
        problems.push(`${spec.key}: has more than one of a rotation class, a manualRotation and a neverRotate reason`);
    }
    if (!generatedHere && (spec.rotation !== undefined || spec.manualRotation !== undefined)) {
        problems.push(`${spec.key}: only values generated here rotate here (${spec.source.kind} values do not)`);
    }
    if (spec.alternatingUsers !== undefined && (spec.source.kind !== "generated" || spec.rotation === undefined)) {
        problems.push(`${spec.key}: alternating users need a generated password with a rotation class`);
    }
    if (spec.source.kind === "derived") {
        for (const of of spec.source.follows ?? []) {
            if (!keys.has(of)) {
                problems.push(`${spec.key}: follows ${of}, which is not in the contract`);
            }
        }
    }
    if (spec.source.kind === "activeUser") {
        const of = keys.get(spec.source.of);
        if (of?.alternatingUsers === undefined) {
            problems.push(`${spec.key}: names the active user of ${spec.source.of}, which has no alternating users`);
        } else if (!of.requires.every((f) => spec.requires.includes(f))) {
            problems.push(`${spec.key}: must require every feature ${spec.source.of} requires`);
        }
    }
    return problems;
}

/** Provided secrets an operator must set for a feature set: the "what do I need" answer. */
export const providedSecrets = (contract: readonly SecretSpec[], features: ReadonlySet<Feature>): SecretSpec[] =>
    contract.filter((s) => s.source.kind === "provided" && allOn(s.requires, features));
