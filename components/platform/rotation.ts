/**
 * Scheduled rotation for a stack: one clock per rotatable secret, and what each clock feeds into
 * the values (keepers for single values, scheduled generations for alternating users).
 */
import * as pulumi from "@pulumi/pulumi";

import { PlatformSettings } from "../config";
import { ActiveSecret } from "../contract/resolve";
import { rotationContextOf, rotationPolicy } from "../rotation/policy";
import { RotationSchedules, ScheduledSecret } from "../rotation/schedules";

export interface StackRotation {
    readonly schedules: RotationSchedules;
    /** What to pass as `SecretValues.extraKeepers`. */
    readonly keepers: Readonly<Record<string, Record<string, pulumi.Input<string>>>>;
    /** What to pass as `SecretValues.scheduledGenerations`. */
    readonly scheduledGenerations: Readonly<Record<string, pulumi.Input<number>>>;
}

/** The secrets of a stack that rotate on a schedule, with their periods. */
export function scheduledSecrets(
    active: readonly ActiveSecret[],
    settings: Pick<PlatformSettings, "rotationPeriods" | "rotations" | "gcpRuntime">,
): ScheduledSecret[] {
    const out: ScheduledSecret[] = [];
    for (const { spec } of active) {
        const policy = rotationPolicy(spec, settings.rotationPeriods, rotationContextOf(settings));
        if (policy.kind === "scheduled") {
            out.push({ key: spec.key, days: policy.days, generation: settings.rotations[spec.key] ?? 0, alternating: policy.alternating });
        }
    }
    return out;
}

export function scheduleRotations(
    name: string,
    active: readonly ActiveSecret[],
    settings: Pick<PlatformSettings, "rotationPeriods" | "rotations" | "gcpRuntime">,
): StackRotation {
    const secrets = scheduledSecrets(active, settings);
    const schedules = new RotationSchedules(name, { secrets });
    const keepers: Record<string, Record<string, pulumi.Input<string>>> = {};
    const scheduledGenerations: Record<string, pulumi.Input<number>> = {};
    for (const s of secrets) {
        if (s.alternating) {
            scheduledGenerations[s.key] = schedules.periodIndex[s.key];
        } else {
            keepers[s.key] = schedules.keepers(s.key);
        }
    }
    return { schedules, keepers, scheduledGenerations };
}
