/**
 * Rollout on rotation. External Secrets Operator updates a Secret in place and pods keep the old
 * value until they restart; a checksum of the secret versions a workload reads, placed in its pod
 * template, makes Kubernetes roll exactly the workloads whose secrets changed.
 */
import { createHash } from "crypto";

import * as pulumi from "@pulumi/pulumi";

import { StoredSecret } from "../backends/backend";

/** Pod-template annotation carrying the checksum, where a chart lets us set pod annotations. */
export const ROLLOUT_ANNOTATION = "checksum/secret-versions";
/** Environment variable carrying the checksum, for charts that only let us set env vars. */
export const ROLLOUT_ENV = "SECRET_VERSIONS_CHECKSUM";

/** sha256 of `key=version` lines in key order: independent of the order the map was built in. */
export function secretVersionsChecksum(versions: Readonly<Record<string, string>>): string {
    const lines = Object.keys(versions)
        .sort()
        .map((key) => `${key}=${versions[key]}\n`);
    return createHash("sha256").update(lines.join("")).digest("hex");
}

/** The checksum of the versions this program wrote for `keys`. Versions are not secret. */
export function rolloutChecksum(keys: readonly string[], stored: Readonly<Record<string, StoredSecret>>): pulumi.Output<string> {
    const versions: Record<string, pulumi.Output<string>> = {};
    for (const key of keys) {
        const secret = stored[key];
        if (secret === undefined) {
            throw new Error(`rollout checksum: ${key} is not stored in this stack`);
        }
        versions[key] = secret.version;
    }
    return pulumi.output(versions).apply((v) => secretVersionsChecksum(v));
}
