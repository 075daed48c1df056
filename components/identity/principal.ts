import * as pulumi from "@pulumi/pulumi";

/** Someone who reads secrets: a service account, a role. `member` is in the backend's own form. */
export interface Principal {
    /** Stable logical name (`cloudrun-litellm`, `external-secrets`): resource names derive from it. */
    readonly name: string;
    readonly member: pulumi.Input<string>;
}
