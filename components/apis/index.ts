/**
 * The Google APIs the program calls, turned on by the program when `enableGcpApis` is set (a new
 * project has most of them off, and the first call to an off API fails with SERVICE_DISABLED).
 * One `gcp.projects.Service` per API, never disabled on destroy: other workloads of the project
 * may use the same API, and disabling one is not ours to do (hashicorp/terraform-provider-google,
 * google_project_service: `disable_on_destroy`, `disable_dependent_services`).
 */
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";

export interface ApiNeeds {
    /** Secrets live in Secret Manager. */
    readonly secretManager: boolean;
    /** Cloud Run, Cloud SQL, Memorystore and their network. */
    readonly runtime: boolean;
    /** External Secrets Operator reads Secret Manager as a Google service account (Workload Identity). */
    readonly workloadIdentity: boolean;
    /** Secret alerts: a log-based metric, alert policies, a notification channel, a Pub/Sub topic. */
    readonly alerts?: boolean;
}

/** The API of each thing the program does on Google Cloud, in a fixed order. */
export function requiredApis(needs: ApiNeeds): string[] {
    return [
        // Project IAM members, audit configs; service accounts.
        "cloudresourcemanager.googleapis.com",
        "iam.googleapis.com",
        ...(needs.secretManager ? ["secretmanager.googleapis.com"] : []),
        // Workload Identity: tokens of a Google service account for a Kubernetes one.
        ...(needs.workloadIdentity ? ["iamcredentials.googleapis.com"] : []),
        ...(needs.runtime
            ? [
                  "run.googleapis.com",
                  "sqladmin.googleapis.com",
                  "redis.googleapis.com",
                  "compute.googleapis.com",
                  "servicenetworking.googleapis.com",
              ]
            : []),
        ...(needs.alerts ? ["logging.googleapis.com", "monitoring.googleapis.com", "pubsub.googleapis.com"] : []),
    ];
}

export interface GcpApisArgs {
    readonly project: string;
    readonly apis: readonly string[];
}

const SERVICE_TYPE = "gcp:projects/service:Service";

export class GcpApis extends pulumi.ComponentResource {
    public readonly services: readonly projects.Service[];

    constructor(name: string, args: GcpApisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:apis:GcpApis", name, {}, opts);
        this.services = args.apis.map(
            (api) =>
                new projects.Service(
                    api.split(".")[0],
                    {
                        project: args.project,
                        service: api,
                        // Leave the API on when this stack goes: other workloads may use it.
                        disableOnDestroy: false,
                        disableDependentServices: false,
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ apis: [...args.apis] });
    }

    /**
     * Options making every Google Cloud resource under a component wait for the APIs: a
     * transformation, which the SDK applies to the component's children too.
     */
    waitOptions(): pulumi.ComponentResourceOptions {
        const services = this.services;
        return {
            transformations: [
                (a: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined =>
                    a.type.startsWith("gcp:") && a.type !== SERVICE_TYPE
                        ? { props: a.props, opts: pulumi.mergeOptions(a.opts, { dependsOn: [...services] }) }
                        : undefined,
            ],
        };
    }
}
