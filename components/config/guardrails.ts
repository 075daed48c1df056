/**
 * Production guardrails in stack config: access audit logs, which prod may not turn off, and no
 * unpinned secret versions in prod. (Public ingress, `allowUnauthenticated`, is read and refused in
 * prod with the GCP runtime's keys.)
 */
import { ConfigReader } from "./reader";

export interface GuardrailSettings {
    /**
     * Record Data Access audit logs (ADMIN_READ, DATA_READ) of the secret backend: who read which
     * secret, and when. Defaults to on in prod (and its stack file says so), off elsewhere; cannot
     * be off in prod.
     */
    readonly auditLogs: boolean;
}

export interface GuardrailContext {
    readonly environment: string;
    /** How Cloud Run env vars pick a secret version (`cloudRunSecretVersions`). */
    readonly cloudRunSecretVersions: string;
}

export function readGuardrails(r: ConfigReader, { environment, cloudRunSecretVersions }: GuardrailContext): GuardrailSettings {
    // The default follows the environment: a prod stack that never mentions the key still audits.
    const auditLogs = r.boolean("auditLogs", environment === "prod");
    if (environment === "prod" && !auditLogs) {
        r.problem("auditLogs", "prod must record who reads its secrets: audit logs cannot be off in the prod environment", "pulumi config set auditLogs true");
    }
    // `latest` makes a rotation reach running revisions unannounced, and a rollback impossible.
    if (environment === "prod" && cloudRunSecretVersions === "latest") {
        r.problem(
            "cloudRunSecretVersions",
            "prod pins every secret version (a rotation then rolls a new revision); latest is refused in the prod environment",
            "pulumi config rm cloudRunSecretVersions",
        );
    }
    return { auditLogs };
}
