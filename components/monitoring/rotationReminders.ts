/**
 * What the program cannot rotate itself, the provided keys, gets Secret Manager's own rotation
 * schedule: on each period the service publishes a SECRET_ROTATE message to the secrets' topic
 * (Secret Manager docs, "Create rotation schedules"; "Event notifications"), and an alert on the
 * topic's publishes sends it to a person, who rotates the key at its issuer and sets it again with
 * `pulumi config set --secret`. The secrets' other events (a new version written) reach the same
 * person, which is the confirmation that the rotation landed.
 */
import * as projects from "@pulumi/gcp/projects";
import * as pubsub from "@pulumi/gcp/pubsub";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { eventAlert } from "./eventAlert";

const SECONDS_PER_DAY = 86_400;

export interface RotationRemindersArgs {
    readonly project: string;
    readonly environment: string;
    /** Pub/Sub topic id (unique in the project). */
    readonly topicName: string;
    /** Days between reminders (the seeds' LLM API key period, or `rotationPeriods`). */
    readonly periodDays: number;
    /** Notification channel the alert notifies (`AlertChannel.channelName`). */
    readonly channel: pulumi.Input<string>;
}

/** What a secret needs to carry the schedule (`GcpSecretManagerSecret`'s `rotationReminder`). */
export interface RotationReminderTarget {
    /** `projects/<project>/topics/<name>`. */
    readonly topic: pulumi.Input<string>;
    /** `<seconds>s`, as the API takes a duration. */
    readonly rotationPeriod: string;
    /** The first reminder; the service advances it by the period after each one. */
    readonly nextRotationTime: pulumi.Input<string>;
    /** The topic's publisher grant: Secret Manager refuses topics it cannot publish to. */
    readonly dependsOn: readonly pulumi.Resource[];
}

export class RotationReminders extends pulumi.ComponentResource implements RotationReminderTarget {
    public readonly topic: pulumi.Output<string>;
    public readonly rotationPeriod: string;
    public readonly nextRotationTime: pulumi.Output<string>;
    public readonly dependsOn: readonly pulumi.Resource[];

    constructor(name: string, args: RotationRemindersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:monitoring:RotationReminders", name, {}, opts);
        const child = { parent: this };
        const topic = new pubsub.Topic(
            name,
            { project: args.project, name: args.topicName, labels: { environment: args.environment, "managed-by": "pulumi" } },
            child,
        );
        // The Secret Manager service agent publishes the events; it exists once the API is used.
        const agent = new projects.ServiceIdentity(
            `${name}-agent`,
            { project: args.project, service: "secretmanager.googleapis.com" },
            child,
        );
        const publisher = new pubsub.TopicIAMMember(
            `${name}-publisher`,
            {
                project: args.project,
                topic: topic.name,
                role: "roles/pubsub.publisher",
                member: pulumi.interpolate`serviceAccount:${agent.email}`,
            },
            child,
        );
        // First reminder one period after the schedule is created; kept in state, so stable.
        const first = new time.Offset(`${name}-first`, { offsetDays: args.periodDays }, child);
        this.topic = topic.id;
        this.rotationPeriod = `${args.periodDays * SECONDS_PER_DAY}s`;
        this.nextRotationTime = first.rfc3339;
        this.dependsOn = [publisher];

        eventAlert(
            name,
            {
                project: args.project,
                environment: args.environment,
                summary: "a provided key is due for rotation",
                condition: "Secret Manager published a rotation event",
                filter: pulumi.interpolate`metric.type="pubsub.googleapis.com/topic/send_message_operation_count" AND resource.type="pubsub_topic" AND resource.label.topic_id="${topic.name}"`,
                channel: args.channel,
                documentation:
                    "A provided key of this stack (an LLM provider's API key, say) reached its rotation period. " +
                    "Rotate it at its issuer, then `pulumi config set --secret <key> <new value>` and `pulumi up`; " +
                    "`npm run rotate -- --stack <stack> <secret>` prints the steps. A message right after an up is the new version landing.",
            },
            child,
        );
        this.registerOutputs({ topic: this.topic, rotationPeriod: this.rotationPeriod, nextRotationTime: this.nextRotationTime });
    }
}
