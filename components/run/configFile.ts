import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as pulumi from "@pulumi/pulumi";

import { labelValue } from "../naming";

export interface ConfigFileArgs {
    readonly project: string;
    /** Secret Manager id of the file, e.g. `<secretPrefix>-litellm-config`. */
    readonly secretId: string;
    /** The file's content: configuration, never a secret value (it only names env vars). */
    readonly content: pulumi.Input<string>;
    /** Member (`serviceAccount:…`) that mounts it. */
    readonly reader: pulumi.Input<string>;
    readonly replicationLocations: readonly string[];
    readonly environment: string;
    readonly component: string;
    /** As for the stack's secrets: protect, API deletion protection, old versions disabled. */
    readonly dataProtection: boolean;
}

/**
 * A configuration file for a Cloud Run service. Cloud Run mounts files only from Secret Manager
 * (and Cloud Storage or NFS), so the file is a Secret Manager secret, read by exactly the service's
 * account, mounted by version: a new content is a new version and rolls a new revision.
 */
export class ConfigFile extends pulumi.ComponentResource {
    /** Secret id (`secret` of the volume) and the version holding this content. */
    public readonly secret: pulumi.Output<string>;
    public readonly version: pulumi.Output<string>;
    /** The reader's grant: a revision mounting the file waits for it. */
    public readonly grant: secretmanager.SecretIamMember;

    constructor(name: string, args: ConfigFileArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:run:ConfigFile", name, {}, opts);
        const child = { parent: this };
        const secret = new secretmanager.Secret(
            name,
            {
                project: args.project,
                secretId: args.secretId,
                labels: { environment: labelValue(args.environment), component: labelValue(args.component), "managed-by": "pulumi" },
                replication:
                    args.replicationLocations.length === 0
                        ? { auto: {} }
                        : { userManaged: { replicas: args.replicationLocations.map((location) => ({ location })) } },
                deletionProtection: args.dataProtection,
            },
            { ...child, protect: args.dataProtection },
        );
        const version = new secretmanager.SecretVersion(
            `${name}-version`,
            { secret: secret.id, secretData: args.content, deletionPolicy: args.dataProtection ? "DISABLE" : "DELETE" },
            child,
        );
        this.grant = new secretmanager.SecretIamMember(
            `${name}-reader`,
            { project: args.project, secretId: secret.secretId, role: "roles/secretmanager.secretAccessor", member: args.reader },
            child,
        );
        this.secret = secret.secretId;
        this.version = version.version;
        this.registerOutputs({ secret: this.secret, version: this.version });
    }
}
