import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";

export interface AlertChannelArgs {
    readonly project: string;
    readonly environment: string;
    /** Where alerts go: a person or a team list, from config (`alertEmail`). */
    readonly email: string;
}

/** The Cloud Monitoring email channel every secret alert of the stack notifies. */
export class AlertChannel extends pulumi.ComponentResource {
    /** `projects/<project>/notificationChannels/<id>`, as alert policies name it. */
    public readonly channelName: pulumi.Output<string>;

    constructor(name: string, args: AlertChannelArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:monitoring:AlertChannel", name, {}, opts);
        // Email channels need no verification step: the API accepts the address as given.
        const channel = new monitoring.NotificationChannel(
            name,
            {
                project: args.project,
                type: "email",
                displayName: `llm-platform-secrets ${args.environment}: secret alerts`,
                labels: { email_address: args.email },
            },
            { parent: this },
        );
        this.channelName = channel.name;
        this.registerOutputs({ channelName: this.channelName });
    }
}
