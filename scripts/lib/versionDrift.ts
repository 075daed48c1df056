/**
 * Drift the refresh cannot see: Secret Manager versions are not resources of the stack once
 * replaced, and a version added by hand (`gcloud secrets versions add`) is no resource at all.
 * Compares, per secret, the version the stack wrote (stack output `secretVersions`) with the
 * versions Secret Manager lists (metadata only: no value is read).
 */

/** One version as `gcloud secrets versions list --format=json` prints it. */
export interface ListedVersion {
    /** `projects/<number>/secrets/<id>/versions/<n>`. */
    readonly name: string;
    /** ENABLED, DISABLED or DESTROYED. */
    readonly state: string;
}

/**
 * What changed outside the program, one line per finding: an enabled version other than the one
 * the stack wrote (added or re-enabled by hand: consumers pinned by this program do not read it,
 * but whoever added it may), or the written version no longer enabled (its readers break).
 */
export function versionDrift(
    written: Readonly<Record<string, string>>,
    secretIds: Readonly<Record<string, string>>,
    listed: Readonly<Record<string, readonly ListedVersion[]>>,
): string[] {
    const found: string[] = [];
    for (const [key, version] of Object.entries(written).sort()) {
        const id = secretIds[key] ?? key;
        const versions = listed[id];
        if (versions === undefined) {
            found.push(`${id}: not listed (deleted outside the program, or not readable by this identity)`);
            continue;
        }
        const numberOf = (v: ListedVersion): string => v.name.split("/").pop() as string;
        const mine = versions.find((v) => numberOf(v) === version);
        if (mine === undefined) {
            found.push(`${id}: version ${version}, which the stack wrote, does not exist`);
        } else if (mine.state !== "ENABLED") {
            found.push(`${id}: version ${version}, which the stack wrote and its consumers read, is ${mine.state}`);
        }
        for (const v of versions.filter((v) => v.state === "ENABLED" && numberOf(v) !== version)) {
            found.push(`${id}: version ${numberOf(v)} is enabled but was not written by the stack (added or re-enabled by hand)`);
        }
    }
    return found;
}
