/**
 * Cloud-visible names, kept apart from Pulumi logical names: each helper enforces the limits of
 * the API that will receive the name.
 */
import { createHash } from "crypto";

const shortHash = (s: string, n = 4): string => createHash("sha256").update(s).digest("hex").slice(0, n);

/**
 * Secret Manager secret id: `<prefix>-<key>` (letters, digits, `-`, `_`; at most 255), or the
 * bare key with an empty prefix (the ids the Cloud Run guide's `gcloud secrets create` gives).
 */
export function secretId(prefix: string, key: string): string {
    const id = prefix === "" ? key : `${prefix}-${key}`;
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
    value
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, "-")
        .slice(0, 63);

/** Most GCP resource names: lowercase letters, digits and dashes, starting with a letter. */
const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * `<environment>-<role>` within `maxLength`: a long name is cut and given a short hash of the
 * whole, so two long names never collide.
 */
function gcpName(environment: string, role: string, maxLength: number): string {
    const full = `${environment}-${role}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+$/, "");
    const name = full.length <= maxLength ? full : `${full.slice(0, maxLength - 5).replace(/-+$/, "")}-${shortHash(full)}`;
    if (!GCP_NAME.test(name)) {
        throw new Error(`"${name}" is not a valid GCP resource name (lowercase letters, digits, dashes; a letter first)`);
    }
    return name;
}

/**
 * AWS Secrets Manager secret name: `<path>/<key>` (letters, digits, `/_+=.@-`; at most 512).
 * ESO and IAM name the secret by this exact string, so it is refused rather than altered.
 */
export function awsSecretName(path: string, key: string): string {
    const name = `${path}/${key}`;
    if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name) || name.includes("//")) {
        throw new Error(`secret name "${name}" is not a valid AWS Secrets Manager name`);
    }
    return name;
}

/** Cloud Run service name (at most 49 characters). */
export const cloudRunServiceName = (environment: string, service: string): string => gcpName(environment, service, 49);

/**
 * Cloud SQL instance name without its suffix (at most 80 characters: the instance id and the
 * project id together may not pass 98). A deleted instance's name stays taken for a week, so the
 * component appends a random suffix kept in state.
 */
export const sqlInstanceBaseName = (environment: string, role: string): string => gcpName(environment, role, 80);

/** Memorystore Redis instance id (at most 40 characters). */
export const redisInstanceName = (environment: string, role: string): string => gcpName(environment, role, 40);

/** VPC network, subnetwork and address names (at most 63 characters). */
export const networkResourceName = (environment: string, role: string): string => gcpName(environment, role, 63);

/** A short, stable key for a list item (an IAM member, say) in a logical resource name. */
export const itemKey = (item: string): string => shortHash(item, 8);

/**
 * IAM role name `llm-<environment>-<role>` (letters, digits, `+=,.@_-`; at most 64). A long name
 * is cut and given a short hash of the whole, so two long names never collide.
 */
export function iamRoleName(environment: string, role: string): string {
    const full = `llm-${environment}-${role}`.replace(/[^A-Za-z0-9+=,.@_-]/g, "-");
    return full.length <= 64 ? full : `${full.slice(0, 59).replace(/-+$/, "")}-${shortHash(full)}`;
}

/** Vault policy name `llm-<environment>-<principal>` (Vault lowercases names; keep them lowercase). */
export const vaultPolicyName = (environment: string, principal: string): string =>
    `llm-${environment}-${principal}`.toLowerCase().replace(/[^a-z0-9_-]/g, "-");

/** Path of a KV v2 entry below its mount: `<path>/<key>`, no leading, trailing or double slash. */
export function vaultSecretPath(path: string, key: string): string {
    const full = `${path}/${key}`;
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(full)) {
        throw new Error(`Vault path "${full}" is not valid: segments of letters, digits, '_', '.', '-'`);
    }
    return full;
}
