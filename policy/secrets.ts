/**
 * No secret value outside the fields made to hold one: not in a plain env var, a label, an
 * annotation, a ConfigMap or Helm values.
 */
import { ResourceValidationPolicy, str } from "./common";
import { SINK_FIELDS, at, isCredentialName, isReference, peek, secretShape, stringLeaves } from "./detect";

export const noSecretValuesOutsideSinks: ResourceValidationPolicy = {
    name: "no-secret-values-outside-sinks",
    description:
        "No value that looks like a secret (a generated password or key, a provider API key, a private key, " +
        "a password in a URL) in any input except the fields made to hold secrets.",
    severity: "critical",
    remediationSteps:
        "Store the value in the secret backend and pass a reference (Secret Manager secretKeyRef, an " +
        "ExternalSecret, a chart's existingSecret).",
    validateResource: (args, reportViolation) => {
        for (const leaf of stringLeaves(args.props, SINK_FIELDS[args.type] ?? [])) {
            const shape = secretShape(leaf.value);
            if (shape !== undefined) {
                // The message names the field, never the value: violations are printed and stored.
                reportViolation(
                    `${args.type} ${args.name}: .${leaf.path} holds ${shape}. Keep it in the secret backend ` +
                        "and pass a reference instead.",
                );
            }
        }
    },
};

/** Container lists of workload specs, by resource type (paths from the inputs' root). */
const CONTAINER_LISTS: Readonly<Record<string, readonly { list: string; env: string }[]>> = (() => {
    const podSpec = (prefix: string) => [
        { list: `${prefix}.containers`, env: "env" },
        { list: `${prefix}.initContainers`, env: "env" },
    ];
    return {
        "gcp:cloudrunv2/service:Service": [{ list: "template.containers", env: "envs" }],
        "gcp:cloudrunv2/job:Job": [{ list: "template.template.containers", env: "envs" }],
        "gcp:cloudrun/service:Service": [{ list: "template.spec.containers", env: "envs" }],
        "kubernetes:core/v1:Pod": podSpec("spec"),
        "kubernetes:apps/v1:Deployment": podSpec("spec.template.spec"),
        "kubernetes:apps/v1:StatefulSet": podSpec("spec.template.spec"),
        "kubernetes:apps/v1:DaemonSet": podSpec("spec.template.spec"),
        "kubernetes:batch/v1:Job": podSpec("spec.template.spec"),
        "kubernetes:batch/v1:CronJob": podSpec("spec.jobTemplate.spec.template.spec"),
    };
})();

const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];

/** A literal credential: a non-empty string that is not a reference to where the credential is. */
const isLiteral = (v: unknown): boolean => {
    const s = str(v);
    return s !== undefined && s.trim() !== "" && !isReference(s.trim());
};

export const credentialsByReference: ResourceValidationPolicy = {
    name: "credentials-by-reference",
    description:
        "Env vars, ConfigMap keys and Helm values named like a credential (PASSWORD, API_KEY, clientSecret, ...) " +
        "reference a secret instead of holding a literal value.",
    severity: "high",
    remediationSteps:
        "Cloud Run: valueSource.secretKeyRef; Kubernetes: valueFrom.secretKeyRef or envFrom a Secret that an " +
        "ExternalSecret fills; Helm: the chart's existingSecret-style value.",
    validateResource: (args, reportViolation) => {
        const where = `${args.type} ${args.name}`;
        for (const { list, env } of CONTAINER_LISTS[args.type] ?? []) {
            const containers = at(args.props, list);
            if (!Array.isArray(containers)) {
                continue;
            }
            containers.forEach((container: unknown, i: number) => {
                const envs = peek(container, env);
                if (!Array.isArray(envs)) {
                    return;
                }
                for (const e of envs) {
                    const name = str(peek(e, "name")) ?? "";
                    if (isCredentialName(name) && isLiteral(peek(e, "value"))) {
                        reportViolation(
                            `${where}: env ${name} of ${list}[${i}] is a plain value. Bind it to the secret backend ` +
                                "(Cloud Run valueSource.secretKeyRef, Kubernetes valueFrom.secretKeyRef).",
                        );
                    }
                }
            });
        }
        if (args.type === "kubernetes:core/v1:ConfigMap") {
            for (const field of ["data", "binaryData"]) {
                const data = peek(args.props, field);
                for (const key of data !== null && typeof data === "object" ? Object.keys(data) : []) {
                    if (isCredentialName(key) && isLiteral(peek(data, key))) {
                        reportViolation(`${where}: ConfigMap key ${field}.${key} holds a credential. Move it to a Secret.`);
                    }
                }
            }
        }
        if (HELM_TYPES.includes(args.type)) {
            for (const leaf of stringLeaves(peek(args.props, "values"))) {
                if (isCredentialName(leaf.key) && isLiteral(leaf.value)) {
                    reportViolation(
                        `${where}: Helm value ${leaf.path} is a literal credential. Point the chart at an existing ` +
                            "Secret (filled by an ExternalSecret) instead.",
                    );
                }
            }
        }
    },
};
