import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";

/** What, when it changes, means new grants to wait for. */
export interface PropagationTriggers {
    readonly member: pulumi.Input<string>;
    /** The secret keys granted, in any order. */
    readonly secretKeys: readonly string[];
    /** The Cloud SQL instance granted (`roles/cloudsql.client`), "" for none. */
    readonly instance: pulumi.Input<string>;
}

/**
 * A wait after a principal's grants, for the services that run as it to depend on. IAM is
 * eventually consistent: a grant typically takes 2 minutes to be effective, potentially 7 or more
 * (cloud.google.com/iam/docs/access-change-propagation), and a Cloud Run revision whose account
 * cannot yet read a secret fails to start. The wait runs again only when the grants change (a
 * rotation adds a version, not a grant). No wait, and nothing to depend on, at 0 seconds.
 */
export function iamPropagationWait(
    principalName: string,
    seconds: number,
    triggers: PropagationTriggers,
    grants: readonly pulumi.Resource[],
): pulumi.Resource[] {
    if (seconds === 0) {
        return [];
    }
    return [
        new time.Sleep(
            `${principalName}-iam-propagation`,
            {
                createDuration: `${seconds}s`,
                triggers: { member: triggers.member, grants: [...triggers.secretKeys].sort().join(","), instance: triggers.instance },
            },
            { dependsOn: [...grants] },
        ),
    ];
}
