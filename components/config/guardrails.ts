/**
 * Production guardrails in stack config: access audit logs and public ingress. Prod may not turn
 * audit logs off nor open its services to unauthenticated callers; other stacks choose.
 */
import { ConfigReader } from "./reader";

export interface GuardrailSettings {
    /**
     * Record Data Access audit logs (ADMIN_READ, DATA_READ) of the secret backend: who read which
     * secret, and when. On in prod (its stack file sets it); cannot be off there.
     */
    readonly auditLogs: boolean;
    /** Let anyone invoke the platform's public services (no IAM check). Never in prod. */
    readonly allowUnauthenticated: boolean;
}

export function readGuardrails(r: ConfigReader, environment: string): GuardrailSettings {
    const auditLogs = r.boolean("auditLogs", false);
    const allowUnauthenticated = r.boolean("allowUnauthenticated", false);
    if (environment === "prod" && !auditLogs) {
        r.problem("auditLogs", "prod must record who reads its secrets: audit logs cannot be off in the prod environment", "pulumi config set auditLogs true");
    }
    if (environment === "prod" && allowUnauthenticated) {
        r.problem(
            "allowUnauthenticated",
            "prod services may not be invoked without authentication (public ingress)",
            "pulumi config rm allowUnauthenticated, and grant roles/run.invoker to the callers that need it",
        );
    }
    return { auditLogs, allowUnauthenticated };
}
