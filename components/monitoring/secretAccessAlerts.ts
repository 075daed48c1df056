/**
 * "Monitor Secret Access: set up alerts for unauthorized access attempts" (the Cloud Run guide,
 * shared/seeds/002, Security Best Practices 3): a log-based metric counting Secret Manager calls
 * refused for lack of permission, and an alert policy that notifies a person of any.
 */
import * as logging from "@pulumi/gcp/logging";
import * as pulumi from "@pulumi/pulumi";
import { eventAlert } from "./eventAlert";

/**
 * Secret Manager's audit entries (service name per its audit logging page) of calls refused with
 * gRPC PERMISSION_DENIED (7). Reads of values are Data Access (DATA_READ) entries, logged only with
 * `auditLogs` on, which config requires wherever these alerts exist.
 */
export const DENIED_ACCESS_FILTER = 'protoPayload.serviceName="secretmanager.googleapis.com" AND protoPayload.status.code=7';

export interface SecretAccessAlertsArgs {
    readonly project: string;
    readonly environment: string;
    /** Log-based metric name (unique in the project). */
    readonly metricName: string;
    /** Notification channel the alert notifies (`AlertChannel.channelName`). */
    readonly channel: pulumi.Input<string>;
}

export class SecretAccessAlerts extends pulumi.ComponentResource {
    public readonly metricType: pulumi.Output<string>;
    public readonly policyName: pulumi.Output<string>;

    constructor(name: string, args: SecretAccessAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:monitoring:SecretAccessAlerts", name, {}, opts);
        const child = { parent: this };
        const metric = new logging.Metric(
            name,
            {
                project: args.project,
                name: args.metricName,
                description: "Secret Manager calls refused for lack of permission (PERMISSION_DENIED).",
                filter: DENIED_ACCESS_FILTER,
                metricDescriptor: {
                    metricKind: "DELTA",
                    valueType: "INT64",
                    unit: "1",
                    labels: [{ key: "principal", valueType: "STRING", description: "Who was refused" }],
                },
                labelExtractors: { principal: "EXTRACT(protoPayload.authenticationInfo.principalEmail)" },
            },
            child,
        );
        this.metricType = pulumi.interpolate`logging.googleapis.com/user/${metric.name}`;
        const policy = eventAlert(
            name,
            {
                project: args.project,
                environment: args.environment,
                summary: "denied Secret Manager access",
                condition: "A Secret Manager call was refused",
                // The metric type alone selects the series, whatever monitored resource the entries carry.
                filter: pulumi.interpolate`metric.type="${this.metricType}"`,
                channel: args.channel,
                documentation:
                    "Someone was refused access to a secret of this stack. In Logs Explorer, filter on " +
                    `\`${DENIED_ACCESS_FILTER}\` to see who (protoPayload.authenticationInfo.principalEmail) and which secret ` +
                    "(protoPayload.resourceName). A workload missing a grant after a change, or a probe: see docs/guardrails.md.",
            },
            child,
        );
        this.policyName = policy.name;
        this.registerOutputs({ metricType: this.metricType, policyName: this.policyName });
    }
}
