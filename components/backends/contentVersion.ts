import { createHmac } from "crypto";

import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * A version for a value whose backend does not number versions before it is written (or at
 * all): the first 16 hex digits of HMAC-SHA256 of the value under the stack's version key. It
 * changes exactly when the value does, so consumers keyed on it roll on a rotation. It is not kept
 * secret (stack outputs, rollout checksums), and so is keyed: an unsalted digest of a short or
 * known value (a user name, a password tried from a list) could be confirmed offline from the
 * plain state; without the key it cannot.
 */
export const contentVersion = (key: string, value: string): string => createHmac("sha256", key).update(value).digest("hex").slice(0, 16);

/**
 * The stack's key for `contentVersion`: 32 random bytes kept in state as a secret (`RandomBytes`
 * marks its outputs secret). Replacing it changes every version once, which rolls every reader
 * once and loses nothing.
 */
export class VersionKey extends pulumi.ComponentResource {
    /** The key, base64; a Pulumi secret. */
    public readonly key: pulumi.Output<string>;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:backends:VersionKey", name, {}, opts);
        const bytes = new random.RandomBytes(name, { length: 32 }, { parent: this });
        this.key = pulumi.secret(bytes.base64);
        this.registerOutputs({ key: this.key });
    }
}

/** `contentVersion` of `value` under `key`, as a plain Output (the digest reveals nothing without the key). */
export const keyedVersion = (key: pulumi.Input<string>, value: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.unsecret(pulumi.all([key, value]).apply(([k, v]) => contentVersion(k, v)));
