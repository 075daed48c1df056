import * as pulumi from "@pulumi/pulumi";

import { GeneratedSource } from "../contract/types";
import { SLOTS, Slot, activeSlot, passwordGeneration, slotUser } from "../rotation/alternation";
import { GeneratedSecret } from "./generatedSecret";

export interface AlternatingPasswordArgs {
    /** How each user's password is generated. */
    readonly source: GeneratedSource;
    /** Base user name: the users are `<base>_a` and `<base>_b`. */
    readonly baseName: string;
    /** Manual generation (the `rotations` entry). */
    readonly generation: number;
    /**
     * Scheduled rotations so far, added to the manual generation: the index of the calendar
     * period the rotation clock last sampled.
     * @default 0
     */
    readonly scheduled?: pulumi.Input<number>;
    /**
     * The generation the stack last deployed (its output `rotationGenerations`), undefined before
     * the first deployment. A step of more than one from it would give both users new passwords
     * at once and cut every open connection: refused before either password is generated.
     * @default undefined (no check)
     */
    readonly deployed?: pulumi.Input<number | undefined>;
}

/** The RunError that refuses a step of more than one generation from the deployed one. */
export function generationStepError(key: string, deployed: number, next: number): pulumi.RunError {
    return new pulumi.RunError(
        `rotations.${key}: this update would move ${key} from generation ${deployed} to ${next}; its two alternating users ` +
            `then both get new passwords and every open connection is cut. Fix: move one generation per pulumi up ` +
            `(rotations.${key} so that manual plus scheduled is ${deployed + Math.sign(next - deployed)}), deploy, then the next`,
    );
}

/** One user of the pair. */
export interface AlternatingUser {
    readonly name: string;
    /** A Pulumi secret. */
    readonly password: pulumi.Output<string>;
}

/**
 * A database password held by two users in turn (see `rotation/alternation.ts`). Each user's
 * password is keyed on the generation at which that user last became active, so one generation
 * step regenerates exactly one password: the idle user's, which then becomes active.
 */
export class AlternatingPassword extends pulumi.ComponentResource {
    /** Manual plus scheduled rotations. */
    public readonly generation: pulumi.Output<number>;
    /** The user consumers sign in as. */
    public readonly activeUser: pulumi.Output<string>;
    /** That user's password; a Pulumi secret. */
    public readonly password: pulumi.Output<string>;
    /** Both users, for the database's user resources. */
    public readonly users: Readonly<Record<Slot, AlternatingUser>>;

    constructor(name: string, args: AlternatingPasswordArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:secrets:AlternatingPassword", name, {}, opts);
        // Every password's keeper derives from this: when the step is refused, none is generated.
        const generation = pulumi.all([args.scheduled ?? 0, args.deployed]).apply(([scheduled, deployed]) => {
            const next = args.generation + scheduled;
            if (deployed !== undefined && deployed !== null && Math.abs(next - deployed) > 1) {
                throw generationStepError(name, deployed, next);
            }
            return next;
        });
        const users = {} as Record<Slot, AlternatingUser>;
        for (const slot of SLOTS) {
            const secret = new GeneratedSecret(
                `${name}-${slot}`,
                { source: args.source, keepers: { generation: generation.apply((g) => String(passwordGeneration(slot, g))) } },
                { parent: this },
            );
            users[slot] = { name: slotUser(args.baseName, slot), password: secret.value };
        }
        this.generation = generation;
        this.activeUser = generation.apply((g) => users[activeSlot(g)].name);
        this.password = pulumi.secret(
            pulumi.all([generation, users.a.password, users.b.password]).apply(([g, a, b]) => (activeSlot(g) === "a" ? a : b)),
        );
        this.users = Object.freeze(users);
        this.registerOutputs({ generation: this.generation, activeUser: this.activeUser, password: this.password });
    }
}
