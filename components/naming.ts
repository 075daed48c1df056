/**
 * Cloud-visible names, kept apart from Pulumi logical names: each helper enforces the limits of
 * the API that will receive the name.
 */
import { createHash } from "crypto";

const shortHash = (s: string, n = 4): string => createHash("sha256").update(s).digest("hex").slice(0, n);

/** Secret Manager secret id: `<prefix>-<key>` (letters, digits, `-`, `_`; at most 255). */
export function secretId(prefix: string, key: string): string {
    const id = `${prefix}-${key}`;
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) {
        throw new Error(`secret id "${id}" is not a valid Secret Manager id`);
    }
    return id;
}

/**
 * Service account id (6 to 30 characters, `[a-z][a-z0-9-]*[a-z0-9]`). A long name is cut and
 * given a short hash of the whole, so two long names never collide.
 */
export function serviceAccountId(environment: string, role: string): string {
    const full = `${environment}-${role}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    const id = full.length <= 30 ? full : `${full.slice(0, 25).replace(/-+$/, "")}-${shortHash(full)}`;
    return id.length < 6 ? `${id}-sa`.padEnd(6, "0") : id;
}

/** Label value for GCP (lowercase letters, digits, `_`, `-`; at most 63). */
export const labelValue = (value: string): string =>
    value.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);
