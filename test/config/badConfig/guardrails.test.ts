/**
 * Bad config in guardrails and monitoring (audit logs, alerts): each case is refused before any
 * resource is registered, with one problem that names its key and the fix (see ./support.ts).
 */
import { BadConfig, VAULT, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Wrong types.
    { what: "auditLogs as a word", stack: "dev", set: { auditLogs: "on" }, key: "auditLogs", says: /"on" is not a boolean/ },
    // Production guardrails.
    {
        what: "prod without audit logs",
        stack: "prod",
        set: { auditLogs: false },
        key: "auditLogs",
        says: /is production and must record who reads its secrets/,
    },
    // Production is the stack's name: calling the prod stack something else turns nothing off.
    {
        what: "prod renamed production without audit logs",
        stack: "prod",
        set: { environment: "production", auditLogs: false },
        key: "auditLogs",
        says: /stack "prod" is production and must record who reads its secrets/,
    },
    {
        what: "prod without an alert address",
        stack: "prod",
        set: { alertEmail: "" },
        key: "alertEmail",
        says: /stack "prod" is production: denied access to its secrets.*must reach a person/,
    },
    {
        what: "an alert address that is not one",
        stack: "prod",
        set: { alertEmail: "oncall" },
        key: "alertEmail",
        says: /"oncall" is not valid: an email address/,
    },
    {
        what: "alerts on a backend they cannot watch",
        stack: "dev",
        set: { ...VAULT, alertEmail: "oncall@example.com" },
        key: "alertEmail",
        says: /the alerts watch Secret Manager, but backend is "vault"/,
    },
    {
        what: "alerts without the audit logs they read",
        stack: "dev",
        set: { alertEmail: "oncall@example.com" },
        key: "alertEmail",
        says: /logged only with auditLogs on/,
    },
];

refusesEach("guardrails and monitoring (audit logs, alerts)", CASES);
