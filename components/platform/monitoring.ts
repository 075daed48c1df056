/**
 * The stack's secret alerts, from validated config: one email channel, the denied-access alert,
 * and the rotation schedule of the values issued elsewhere. Built before the backend, whose
 * secrets carry the schedule.
 */
import * as pulumi from "@pulumi/pulumi";

import { PlatformSettings } from "../config";
import { AlertChannel } from "../monitoring/alertChannel";
import { RotationReminders } from "../monitoring/rotationReminders";
import { SecretAccessAlerts } from "../monitoring/secretAccessAlerts";

export interface SecretAlerts {
    readonly channel: AlertChannel;
    readonly deniedAccess: SecretAccessAlerts;
    readonly rotationReminders: RotationReminders;
}

/** Undefined when the stack sets no `alertEmail` (config requires it on production stacks). */
export function createSecretAlerts(config: PlatformSettings, opts: pulumi.ComponentResourceOptions = {}): SecretAlerts | undefined {
    if (config.alerts === undefined || config.backend !== "gcp-secret-manager") {
        return undefined;
    }
    const base = { project: config.gcp.project, environment: config.environment };
    const channel = new AlertChannel("secret-alerts", { ...base, email: config.alerts.email }, opts);
    return {
        channel,
        deniedAccess: new SecretAccessAlerts(
            "secret-access-denied",
            {
                ...base,
                metricName: `${config.secretPrefix}-secret-access-denied`,
                channel: channel.channelName,
            },
            opts,
        ),
        // The seeds' period for LLM API keys (90 days), which are most of what is provided.
        rotationReminders: new RotationReminders(
            "provided-key-rotation",
            {
                ...base,
                topicName: `${config.secretPrefix}-provided-key-rotation`,
                periodDays: config.rotationPeriods["llm-api-key"],
                channel: channel.channelName,
            },
            opts,
        ),
    };
}
