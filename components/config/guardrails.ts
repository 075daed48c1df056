/**
 * Production guardrails in stack config: access audit logs, which a production stack may not turn
 * off, and no unpinned secret versions there. Production is the stack's name (`PRODUCTION_STACKS`),
 * never a config value. (Public ingress and moving image tags are read and refused with the GCP
 * runtime's keys.)
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
    readonly stack: string;
    /** A production stack (by name). */
    readonly production: boolean;
    /** How Cloud Run env vars pick a secret version (`cloudRunSecretVersions`). */
    readonly cloudRunSecretVersions: string;
}

export function readGuardrails(r: ConfigReader, { stack, production, cloudRunSecretVersions }: GuardrailContext): GuardrailSettings {
    // The default follows the stack: a production stack that never mentions the key still audits.
    const auditLogs = r.boolean("auditLogs", production);
    if (production && !auditLogs) {
        r.problem("auditLogs", `stack "${stack}" is production and must record who reads its secrets: audit logs cannot be off`, "pulumi config rm auditLogs");
    }
    // `latest` makes a rotation reach running revisions unannounced, and a rollback impossible.
    if (production && cloudRunSecretVersions === "latest") {
        r.problem(
            "cloudRunSecretVersions",
            `stack "${stack}" is production and pins every secret version (a rotation then rolls a new revision); latest is refused`,
            "pulumi config rm cloudRunSecretVersions",
        );
    }
    return { auditLogs };
}
