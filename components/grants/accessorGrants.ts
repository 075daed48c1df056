import * as pulumi from "@pulumi/pulumi";

import { Principal, SecretBackend, StoredSecret } from "../backends/backend";

export interface AccessorGrantsArgs {
    readonly backend: SecretBackend;
    /** Who reads. */
    readonly principal: Principal;
    /** Exactly the secrets the principal's consumers name in the contract. */
    readonly secrets: readonly StoredSecret[];
}

/** Read access for one principal to exactly the secrets its consumers need, one grant per secret. */
export class AccessorGrants extends pulumi.ComponentResource {
    /** Keys of the secrets granted, for outputs and docs. */
    public readonly secretKeys: readonly string[];
    /** The grant resources: a consumer that reads secrets should depend on them. */
    public readonly grants: readonly pulumi.Resource[];

    constructor(name: string, args: AccessorGrantsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:grants:AccessorGrants", name, {}, opts);
        this.secretKeys = args.secrets.map((s) => s.key);
        this.grants = args.backend.grantRead(name, args.principal, args.secrets, { parent: this });
        this.registerOutputs({ secretKeys: this.secretKeys });
    }
}
