import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";

export interface EventAlertArgs {
    readonly project: string;
    readonly environment: string;
    /** What happened, in the policy's title: `llm-platform-secrets <environment>: <summary>`. */
    readonly summary: string;
    /** The condition's name. */
    readonly condition: string;
    /** Monitoring filter selecting the series whose every event is worth a message. */
    readonly filter: pulumi.Input<string>;
    /** Notification channel the message goes to. */
    readonly channel: pulumi.Input<string>;
    /** Markdown telling the person who gets it what to do. */
    readonly documentation: string;
}

/**
 * An alert policy that tells a person of every event of one series: any count above zero in a
 * 5-minute window, at once. Both of the program's alerts (denied secret access, a provided key
 * due for rotation) are of this kind.
 */
export function eventAlert(name: string, args: EventAlertArgs, opts: pulumi.CustomResourceOptions): monitoring.AlertPolicy {
    return new monitoring.AlertPolicy(
        name,
        {
            project: args.project,
            displayName: `llm-platform-secrets ${args.environment}: ${args.summary}`,
            combiner: "OR",
            severity: "WARNING",
            conditions: [
                {
                    displayName: args.condition,
                    conditionThreshold: {
                        filter: args.filter,
                        comparison: "COMPARISON_GT",
                        thresholdValue: 0,
                        duration: "0s",
                        aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_SUM" }],
                        trigger: { count: 1 },
                    },
                },
            ],
            notificationChannels: [args.channel],
            documentation: { mimeType: "text/markdown", content: args.documentation },
        },
        opts,
    );
}
