import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";

import { Principal } from "../backends/backend";

export interface CloudSqlClientGrantArgs {
    readonly project: string;
    /** Who connects (a Cloud Run service's account). */
    readonly principal: Principal;
    /** The one instance the grant is good for. */
    readonly instanceName: pulumi.Input<string>;
}

const ROLE = "roles/cloudsql.client";

/**
 * Lets one principal connect to one Cloud SQL instance through the Cloud SQL connector.
 *
 * Cloud SQL has no per-instance IAM policy, so `roles/cloudsql.client` can only be granted on the
 * project. The grant is additive (`IAMMember`, never a binding that would remove others) and
 * carries a condition naming the instance, so it opens no other instance in the project.
 */
export class CloudSqlClientGrant extends pulumi.ComponentResource {
    public readonly role: string = ROLE;
    public readonly member: pulumi.Output<string>;

    constructor(name: string, args: CloudSqlClientGrantArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:grants:CloudSqlClientGrant", name, {}, opts);
        const grant = new projects.IAMMember(
            name,
            {
                project: args.project,
                role: ROLE,
                member: args.principal.member,
                condition: {
                    title: "one Cloud SQL instance",
                    description: "Connect to this instance only",
                    expression: pulumi.interpolate`resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "projects/${args.project}/instances/${args.instanceName}"`,
                },
            },
            { parent: this },
        );
        this.member = grant.member;
        this.registerOutputs({ role: this.role, member: this.member });
    }
}
