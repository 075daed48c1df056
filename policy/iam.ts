/**
 * Secret Manager access: additive grants on one secret at a time, never a project-wide or
 * authoritative binding; every read of a prod secret leaves an audit record.
 */
import { PUBLIC_MEMBERS, ResourceValidationPolicy, StackValidationPolicy, ENVIRONMENT_SCHEMA, prodOnly, str } from "./common";
import { peek } from "./detect";

/** IAM on a whole project, folder or organisation: a Secret Manager role there opens every secret. */
const HIERARCHY_IAM = /^gcp:(projects|folder|organizations)\/iAM(Member|Binding|Policy):IAM(Member|Binding|Policy)$/;
/** Authoritative IAM on one secret: it removes every grant this program did not make. */
const AUTHORITATIVE_SECRET_IAM = /^gcp:secretmanager\/(regionalSecret|secret)Iam(Binding|Policy):/;
const SECRET_IAM_MEMBER = /^gcp:secretmanager\/(regionalSecret|secret)IamMember:/;

const isSecretManagerRole = (role: unknown): boolean => str(role)?.startsWith("roles/secretmanager.") ?? false;

/** Roles one secret's member grant may carry: reading it, or adding versions (a rotation job). */
export const PER_SECRET_ROLES = [
    "roles/secretmanager.secretAccessor",
    "roles/secretmanager.secretVersionAdder",
    "roles/secretmanager.viewer",
];

/** Roles named in an IAM policy document (`policyData`, JSON). */
function policyRoles(policyData: unknown): string[] {
    const text = str(policyData);
    if (text === undefined) {
        return [];
    }
    try {
        const doc = JSON.parse(text) as { bindings?: { role?: unknown }[] };
        return (doc.bindings ?? []).map((b) => String(b.role));
    } catch {
        return [];
    }
}

export const secretManagerGrantsPerSecret: ResourceValidationPolicy = {
    name: "secret-manager-grants-per-secret",
    description:
        "Secret Manager roles are granted per secret with an additive member grant: never on a project, folder or " +
        "organisation, never through an authoritative binding or policy, never to the public, never as admin.",
    severity: "critical",
    remediationSteps: "Grant roles/secretmanager.secretAccessor on each secret with gcp.secretmanager.SecretIamMember.",
    validateResource: (args, reportViolation) => {
        const where = `${args.type} ${args.name}`;
        if (HIERARCHY_IAM.test(args.type)) {
            const roles = args.type.endsWith(":IAMPolicy")
                ? policyRoles(peek(args.props, "policyData"))
                : [str(peek(args.props, "role")) ?? ""];
            for (const role of roles.filter(isSecretManagerRole)) {
                reportViolation(
                    `${where}: ${role} at ${args.type.split(":")[1].split("/")[0]} level opens every secret there. Grant it per secret.`,
                );
            }
        } else if (AUTHORITATIVE_SECRET_IAM.test(args.type)) {
            reportViolation(
                `${where}: an authoritative binding replaces grants made elsewhere (and is replaced by them). ` +
                    "Use SecretIamMember, one per principal and secret.",
            );
        } else if (SECRET_IAM_MEMBER.test(args.type)) {
            const role = str(peek(args.props, "role")) ?? "";
            const member = str(peek(args.props, "member")) ?? "";
            if (!PER_SECRET_ROLES.includes(role)) {
                reportViolation(`${where}: ${role} is not a per-secret workload role (allowed: ${PER_SECRET_ROLES.join(", ")}).`);
            }
            if (PUBLIC_MEMBERS.includes(member)) {
                reportViolation(`${where}: ${member} may not read a secret.`);
            }
        }
    },
};

const SECRET_TYPES = ["gcp:secretmanager/secret:Secret", "gcp:secretmanager/regionalSecret:RegionalSecret"];
const AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig";
export const REQUIRED_LOG_TYPES = ["ADMIN_READ", "DATA_READ"];

export const secretManagerAuditLogs: StackValidationPolicy = {
    name: "secret-manager-audit-logs",
    description:
        "In prod, every project holding Secret Manager secrets records Data Access audit logs (ADMIN_READ and " +
        "DATA_READ) for secretmanager.googleapis.com, with no exempted member: who read which secret, and when.",
    severity: "high",
    configSchema: ENVIRONMENT_SCHEMA,
    remediationSteps: "Keep auditLogs on in the prod stack (gcp.projects.IAMAuditConfig, one per service).",
    validateStack: (args, reportViolation) => {
        prodOnly(args);
        const projects = new Map<string, string>();
        for (const r of args.resources.filter((r) => SECRET_TYPES.includes(r.type))) {
            projects.set(str(peek(r.props, "project")) ?? "(provider default project)", r.urn);
        }
        const audits = args.resources.filter((r) => r.type === AUDIT_CONFIG);
        for (const [project, urn] of projects) {
            const mine = audits.filter(
                (a) =>
                    (str(peek(a.props, "project")) ?? "(provider default project)") === project &&
                    ["secretmanager.googleapis.com", "allServices"].includes(str(peek(a.props, "service")) ?? ""),
            );
            const configs = mine.flatMap((a) => {
                const c = peek(a.props, "auditLogConfigs");
                return Array.isArray(c) ? c : [];
            });
            const logged = new Set(configs.map((c) => str(peek(c, "logType"))));
            const missing = REQUIRED_LOG_TYPES.filter((t) => !logged.has(t));
            if (missing.length > 0) {
                reportViolation(
                    `project ${project} holds secrets but does not record ${missing.join(" and ")} audit logs for ` +
                        "secretmanager.googleapis.com.",
                    urn,
                );
            }
            for (const c of configs) {
                const exempted = peek(c, "exemptedMembers");
                if (Array.isArray(exempted) && exempted.length > 0) {
                    reportViolation(`project ${project}: ${str(peek(c, "logType"))} audit logs exempt ${exempted.join(", ")}.`, urn);
                }
            }
        }
    },
};
