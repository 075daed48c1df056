/**
 * Production guardrails in stack config: access audit logs, which a production stack may not turn
 * off, and no unpinned secret versions there. Production is the stack's name (`PRODUCTION_STACKS`),
 * never a config value. (Public ingress and moving image tags are read and refused with the GCP
 * runtime's keys.)
 */
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys (and of the identity checks' opt-in, `identities.ts`). */
export const GUARDRAILS_AREA = "Guardrails and monitoring";

export interface GuardrailSettings {
    /**
     * Record Data Access audit logs (ADMIN_READ, DATA_READ) of the secret backend: who read which
     * secret, and when. Defaults to on in prod (and its stack file says so), off elsewhere; cannot
     * be off in prod.
     */
    readonly auditLogs: boolean;
    /**
     * Where secret alerts go (denied Secret Manager access; provided keys due for rotation), from
     * `alertEmail`; required on production stacks on Secret Manager. Unset: no alerts.
     */
    readonly alerts?: { readonly email: string };
}

export interface GuardrailContext {
    readonly stack: string;
    /** A production stack (by name). */
    readonly production: boolean;
    /** How Cloud Run env vars pick a secret version (`cloudRunSecretVersions`). */
    readonly cloudRunSecretVersions: string;
    /** The alerts watch Secret Manager's logs and schedules. */
    readonly backend: string;
}

export function readGuardrails(
    reader: ConfigReader,
    { stack, production, cloudRunSecretVersions, backend }: GuardrailContext,
): GuardrailSettings {
    const r = reader.inArea(GUARDRAILS_AREA);
    // The default follows the stack: a production stack that never mentions the key still audits.
    const auditLogs = r.boolean("auditLogs", production);
    if (production && !auditLogs) {
        r.problem(
            "auditLogs",
            `stack "${stack}" is production and must record who reads its secrets: audit logs cannot be off`,
            "pulumi config rm auditLogs",
        );
    }
    // `latest` makes a rotation reach running revisions unannounced, and a rollback impossible.
    if (production && cloudRunSecretVersions === "latest") {
        r.problem(
            "cloudRunSecretVersions",
            `stack "${stack}" is production and pins every secret version (a rotation then rolls a new revision); latest is refused`,
            "pulumi config rm cloudRunSecretVersions",
        );
    }
    const email = r.string("alertEmail", "", {
        pattern: /^([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?$/,
        rule: "an email address (or empty for no alerts)",
        example: "llm-platform-oncall@example.com",
    });
    if (email === "" && production && backend === "gcp-secret-manager" && (r.isBlank("alertEmail") || !r.isSet("alertEmail"))) {
        r.problem(
            "alertEmail",
            `stack "${stack}" is production: denied access to its secrets, and provided keys due for rotation, must reach a person`,
            "pulumi config set alertEmail <the on-call address or team list>",
        );
    }
    if (email !== "" && backend !== "gcp-secret-manager") {
        r.problem(
            "alertEmail",
            `the alerts watch Secret Manager, but backend is "${backend}" (docs/guardrails.md, Audit, says what each backend records)`,
            "pulumi config rm alertEmail",
        );
    } else if (email !== "" && !auditLogs && !production) {
        // (A production stack without audit logs is refused above already.)
        r.problem("alertEmail", "denied reads of secret values are logged only with auditLogs on", "pulumi config set auditLogs true");
    }
    return { auditLogs, ...(email === "" ? {} : { alerts: Object.freeze({ email }) }) };
}
