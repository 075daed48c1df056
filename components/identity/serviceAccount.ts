import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";

import { Principal } from "./principal";
import { serviceAccountId } from "../naming";

export interface WorkloadServiceAccountArgs {
    readonly project: string;
    readonly environment: string;
    /** What the account runs as, e.g. `litellm-run`; becomes part of the account id. */
    readonly role: string;
    readonly description: string;
    /**
     * Use this existing account (its email) instead of creating one.
     * @default undefined (create one)
     */
    readonly existingEmail?: string;
}

/** A dedicated GCP service account for one workload: the principal its secret grants name. */
export class WorkloadServiceAccount extends pulumi.ComponentResource implements Principal {
    public readonly email: pulumi.Output<string>;
    public readonly member: pulumi.Output<string>;

    constructor(
        readonly name: string,
        args: WorkloadServiceAccountArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("llm-platform-secrets:identity:WorkloadServiceAccount", name, {}, opts);
        if (args.existingEmail !== undefined) {
            this.email = pulumi.output(args.existingEmail);
        } else {
            const account = new serviceaccount.Account(
                name,
                {
                    project: args.project,
                    accountId: serviceAccountId(args.environment, args.role),
                    displayName: `${args.role} (${args.environment})`,
                    description: args.description,
                },
                { parent: this },
            );
            this.email = account.email;
        }
        this.member = pulumi.interpolate`serviceAccount:${this.email}`;
        this.registerOutputs({ email: this.email, member: this.member });
    }
}
