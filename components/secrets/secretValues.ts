import * as pulumi from "@pulumi/pulumi";

import { Derivation, SecretSpec } from "../contract/types";
import { AlternatingPassword } from "./alternatingPassword";
import { BcryptHash } from "./bcryptHash";
import { GeneratedSecret } from "./generatedSecret";

export interface SecretValuesArgs {
    /**
     * The contract rows this stack needs, except derived ones: those take their values from the
     * resources they derive from, which exist only later (see `derivedValues`).
     */
    readonly secrets: readonly SecretSpec[];
    /** Manual rotation generation per key; a missing key is generation 0. */
    readonly rotations: Readonly<Record<string, number>>;
    /** Operator-provided values by key (Pulumi secrets from config). */
    readonly provided: Readonly<Record<string, pulumi.Output<string>>>;
    /**
     * Values adopted secrets keep, by key: used as they are instead of generating or hashing one
     * (a database password kept this way has its one existing user, not two alternating ones).
     * @default {}
     */
    readonly kept?: Readonly<Record<string, pulumi.Output<string>>>;
    /** Values of `setting` sources by config key. */
    readonly settings: Readonly<Record<string, string>>;
    /**
     * Extra keepers per key (a time-based rotation, say), merged with the generation.
     * @default {}
     */
    readonly extraKeepers?: Readonly<Record<string, Record<string, pulumi.Input<string>>>>;
    /**
     * The generations of the rows with alternating users as the stack last deployed them (its
     * output `rotationGenerations`); undefined entries before the first deployment.
     * @default undefined (no check)
     */
    readonly deployedGenerations?: pulumi.Output<Readonly<Record<string, number>> | undefined>;
    /**
     * Scheduled rotations so far of each row with alternating users, added to its generation.
     * @default {}
     */
    readonly scheduledGenerations?: Readonly<Record<string, pulumi.Input<number>>>;
    /** bcrypt cost for `bcrypt` sources. @default 10 */
    readonly bcryptCost?: number;
    /**
     * Protect values that must never be regenerated (contract rows with `neverRotate`).
     * @default false
     */
    readonly protectPinned?: boolean;
}

/**
 * The value of every secret the stack needs that exists before any resource it derives from:
 * generated, provided, a setting, or a bcrypt hash of another entry. Every value is a Pulumi
 * secret. Derived rows come afterwards, from `derivedValues`.
 */
export class SecretValues extends pulumi.ComponentResource {
    /** Value by contract key; each a Pulumi secret. */
    public readonly values: Readonly<Record<string, pulumi.Output<string>>>;
    /** The user pairs of rows with alternating users, by key. */
    public readonly alternating: Readonly<Record<string, AlternatingPassword>>;

    constructor(name: string, args: SecretValuesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:secrets:SecretValues", name, {}, opts);
        const values: Record<string, pulumi.Output<string>> = {};
        const alternating: Record<string, AlternatingPassword> = {};
        const keepersOf = (key: string): Record<string, pulumi.Input<string>> => ({
            generation: String(args.rotations[key] ?? 0),
            ...(args.extraKeepers?.[key] ?? {}),
        });

        // Hashes and active users come from another row, so resolve every other row first.
        const follows = (spec: SecretSpec): number => Number(spec.source.kind === "bcrypt" || spec.source.kind === "activeUser");
        const ordered = [...args.secrets].sort((a, b) => follows(a) - follows(b));
        const kept = args.kept ?? {};
        for (const spec of ordered) {
            const source = spec.source;
            const keptValue = kept[spec.key];
            if (keptValue !== undefined && ["generated", "randomBytes", "bcrypt"].includes(source.kind)) {
                values[spec.key] = pulumi.secret(keptValue);
                continue;
            }
            switch (source.kind) {
                case "generated":
                case "randomBytes": {
                    if (source.kind === "generated" && spec.alternatingUsers !== undefined) {
                        const pair = new AlternatingPassword(
                            spec.key,
                            {
                                source,
                                baseName: args.settings[spec.alternatingUsers.configKey] ?? spec.alternatingUsers.default,
                                generation: args.rotations[spec.key] ?? 0,
                                scheduled: args.scheduledGenerations?.[spec.key] ?? 0,
                                deployed: args.deployedGenerations?.apply((d) => d?.[spec.key]),
                            },
                            { parent: this },
                        );
                        alternating[spec.key] = pair;
                        values[spec.key] = pair.password;
                        break;
                    }
                    // A value that must never rotate gets no generation keeper: nothing in config
                    // can regenerate it, and protect guards it against a replace.
                    const pinned = spec.neverRotate !== undefined;
                    values[spec.key] = new GeneratedSecret(
                        spec.key,
                        { source, keepers: pinned ? {} : keepersOf(spec.key) },
                        { parent: this, protect: pinned && (args.protectPinned ?? false) },
                    ).value;
                    break;
                }
                case "bcrypt": {
                    const password = values[source.of];
                    if (password === undefined) {
                        throw new pulumi.ResourceError(`${spec.key} hashes ${source.of}, which this stack does not have`, this);
                    }
                    values[spec.key] = new BcryptHash(
                        spec.key,
                        { password, cost: args.bcryptCost ?? 10, keepers: keepersOf(source.of) },
                        { parent: this },
                    ).hash;
                    break;
                }
                case "activeUser": {
                    const of = args.secrets.find((s) => s.key === source.of);
                    if (kept[source.of] !== undefined && of?.alternatingUsers !== undefined) {
                        // Until the switch to alternating users, the adopted password's one user.
                        values[spec.key] = pulumi.secret(args.settings[of.alternatingUsers.configKey] ?? of.alternatingUsers.default);
                        break;
                    }
                    const pair = alternating[source.of];
                    if (pair === undefined) {
                        throw new pulumi.ResourceError(`${spec.key} names the user of ${source.of}, which this stack does not alternate`, this);
                    }
                    values[spec.key] = pulumi.secret(pair.activeUser);
                    break;
                }
                case "provided": {
                    const value = args.provided[spec.key];
                    if (value === undefined) {
                        throw new pulumi.ResourceError(`${spec.key}: no provided value (config ${source.configKey})`, this);
                    }
                    values[spec.key] = pulumi.secret(value);
                    break;
                }
                case "setting":
                    values[spec.key] = pulumi.secret(args.settings[source.configKey] ?? source.default);
                    break;
                case "derived":
                    throw new pulumi.ResourceError(
                        `${spec.key} derives from ${source.from}: resolve it with derivedValues once that resource exists`,
                        this,
                    );
            }
        }
        this.values = Object.freeze(values);
        this.alternating = Object.freeze(alternating);
        this.registerOutputs({ values: this.values });
    }
}

/**
 * Values of derived contract rows, from what the stack's resources produce (a database URL built
 * from the instance and the generated password, say). Each value is a Pulumi secret.
 */
export function derivedValues(
    specs: readonly SecretSpec[],
    produced: Readonly<Partial<Record<Derivation, pulumi.Output<string>>>>,
    /** Values of rows whose derivation gives each row its own value (an agent's database URL), by key. */
    perRow: Readonly<Record<string, pulumi.Output<string>>> = {},
): Record<string, pulumi.Output<string>> {
    const values: Record<string, pulumi.Output<string>> = {};
    for (const spec of specs) {
        if (spec.source.kind !== "derived") {
            throw new Error(`${spec.key} is not derived (its source is ${spec.source.kind})`);
        }
        const value = perRow[spec.key] ?? produced[spec.source.from];
        if (value === undefined) {
            throw new Error(`${spec.key}: nothing in this stack produces ${spec.source.from}`);
        }
        values[spec.key] = pulumi.secret(value);
    }
    return values;
}
