import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";

import { periodIndex, sampleDays } from "./alternation";

/** One secret rotated on a schedule. */
export interface ScheduledSecret {
    readonly key: string;
    /** Period in whole days. */
    readonly days: number;
    /** Its manual generation (`rotations`): a bump restarts its clock. */
    readonly generation: number;
    /**
     * Alternating database users: rotations follow a fixed calendar grid of `days`, sampled by a
     * clock every half period, instead of a clock that restarts at each rotation (see
     * `alternation.ts`: each rotation must be a single generation step).
     */
    readonly alternating: boolean;
}

export interface RotationSchedulesArgs {
    readonly secrets: readonly ScheduledSecret[];
}

/**
 * The rotation clocks of a stack, kept in state by `time.Rotating`: one per secret, so a manual
 * bump restarts only that secret's clock, a secret added later gets a full first period, and a
 * class's secrets do not all roll their consumers in the same deployment.
 *
 * A clock's base timestamp (`rfc3339`) feeds the secret's keepers. It changes only when the clock
 * is recreated, which the provider does when a refresh finds the period over; changing the
 * period moves the next rotation but does not rotate anything by itself.
 */
export class RotationSchedules extends pulumi.ComponentResource {
    /**
     * Start of each scheduled secret's current period: when it last rotated. Unset until the
     * first deployment creates the clock.
     */
    public readonly rotatedAt: Readonly<Record<string, pulumi.Output<string | undefined>>>;
    /** When each scheduled secret rotates next (the first refresh after it). */
    public readonly nextRotation: Readonly<Record<string, pulumi.Output<string | undefined>>>;
    /** For alternating secrets: the index of the calendar period the latest clock sample fell in (0 before any). */
    public readonly periodIndex: Readonly<Record<string, pulumi.Output<number>>>;

    constructor(name: string, args: RotationSchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:rotation:Schedules", name, {}, opts);
        const child = { parent: this };
        const rotatedAt: Record<string, pulumi.Output<string | undefined>> = {};
        const nextRotation: Record<string, pulumi.Output<string | undefined>> = {};
        const index: Record<string, pulumi.Output<number>> = {};

        for (const s of args.secrets) {
            if (!Number.isInteger(s.days) || s.days < 1) {
                throw new pulumi.ResourceError(`${s.key}: rotation period must be a whole number of days ≥ 1, got ${s.days}`, this);
            }
            if (s.alternating) {
                const clock = new time.Rotating(`${s.key}-clock`, { rotationDays: sampleDays(s.days) }, child);
                // The provider's id is the clock's base timestamp (RFC 3339). Unlike the other
                // outputs it is known in a preview whenever the clock is not being (re)created;
                // without a clock in state (offline) there is no timestamp and no period yet.
                index[s.key] = clock.id.apply((id) => {
                    const at = Date.parse(id);
                    return Number.isNaN(at) ? 0 : periodIndex(Math.floor(at / 1000), s.days);
                });
                rotatedAt[s.key] = clock.rfc3339;
                nextRotation[s.key] = clock.rotationRfc3339;
            } else {
                const clock = new time.Rotating(
                    `${s.key}-rotation`,
                    { rotationDays: s.days, triggers: { generation: String(s.generation) } },
                    child,
                );
                rotatedAt[s.key] = clock.rfc3339;
                nextRotation[s.key] = clock.rotationRfc3339;
            }
        }
        this.rotatedAt = Object.freeze(rotatedAt);
        this.nextRotation = Object.freeze(nextRotation);
        this.periodIndex = Object.freeze(index);
        this.registerOutputs({ rotatedAt: this.rotatedAt, nextRotation: this.nextRotation, periodIndex: this.periodIndex });
    }

    /** Keepers that make `key`'s value rotate with its clock; none for an unscheduled key. */
    keepers(key: string): Record<string, pulumi.Input<string>> {
        const at = this.rotatedAt[key];
        return at === undefined || key in this.periodIndex ? {} : { rotatedAt: at as pulumi.Output<string> };
    }
}
