/**
 * Checks on the identities the program grants to or runs as, across sections of config: where
 * External Secrets Operator runs and as whom, where the Kubernetes source values live, and whose
 * project an adopted workload service account belongs to. Each problem names the key and the fix.
 */
import { kubernetesSecretNamespaces } from "../contract/queries";
import { SecretSpec } from "../contract/types";
import { BackendKind } from "../backends/kinds";
import { BackendConfigs } from "./backends";
import { KubernetesSettings } from "./kubernetes";
import { GCP_PROJECT_ID_SOURCE } from "./patterns";
import { ConfigReader } from "./reader";

/**
 * Namespaces the cluster and its vendor share with everyone: the source values may not live there
 * (anyone administering the cluster add-ons could read them, and the namespaces are not ours to
 * label, protect or delete). Kubernetes' own (`kube-*`, `default`) and GKE's managed ones.
 */
const SHARED_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];
const SHARED_NAMESPACE_PREFIXES: readonly string[] = ["kube-", "gke-", "gmp-"];

const isSharedNamespace = (ns: string): boolean =>
    SHARED_NAMESPACES.includes(ns) || SHARED_NAMESPACE_PREFIXES.some((p) => ns.startsWith(p));

/** The project of a user-managed service account (`NAME@PROJECT.iam.gserviceaccount.com`). */
export function serviceAccountProject(email: string): string | undefined {
    return new RegExp(`^[^@]+@(${GCP_PROJECT_ID_SOURCE})\\.iam\\.gserviceaccount\\.com$`).exec(email)?.[1];
}

export interface IdentityContext {
    readonly backend: BackendKind;
    readonly gcpProject: string;
    readonly kubernetes: KubernetesSettings;
    readonly backends: BackendConfigs;
    readonly contract: readonly SecretSpec[];
    /** `litellmServiceAccount`, when set. */
    readonly adoptedServiceAccount?: string;
}

export function checkIdentities(r: ConfigReader, ctx: IdentityContext): void {
    const allowCrossProject = r.boolean("allowCrossProjectServiceAccount", false);
    const eso = ctx.kubernetes.externalSecrets;
    if (eso.serviceAccountName === "default") {
        r.problem(
            "esoServiceAccount",
            `"default" is the account every pod in ${eso.namespace} runs as when it names none: each would hold External Secrets Operator's right to write Secrets in every namespace`,
            "pulumi config rm esoServiceAccount (external-secrets)",
        );
    }
    const consumers = kubernetesSecretNamespaces(ctx.contract);
    if (consumers.has(eso.namespace)) {
        r.problem(
            "esoNamespace",
            `"${eso.namespace}" is a namespace workloads read their Secrets in: whoever may run pods there could run them as External Secrets Operator`,
            "pulumi config rm esoNamespace (external-secrets)",
        );
    }
    if (ctx.backend === "kubernetes") {
        const source = ctx.backends.kubernetesSource.namespace;
        if (isSharedNamespace(source)) {
            r.problem(
                "kubernetesSourceNamespace",
                `"${source}" is a namespace the cluster shares with its add-ons and administrators; the values need one of their own`,
                "pulumi config set kubernetesSourceNamespace secret-source",
            );
        } else if (source === eso.namespace) {
            r.problem(
                "kubernetesSourceNamespace",
                `"${source}" is External Secrets Operator's namespace: whoever administers the operator could read every value there`,
                "pulumi config set kubernetesSourceNamespace secret-source",
            );
        }
    }
    const email = ctx.adoptedServiceAccount;
    if (email !== undefined && !allowCrossProject) {
        const project = serviceAccountProject(email);
        if (project === undefined) {
            r.problem(
                "litellmServiceAccount",
                `${email} is not a user-managed account of a named project (NAME@PROJECT.iam.gserviceaccount.com): a default account carries broad roles of its own`,
                `use an account made for LiteLLM in ${ctx.gcpProject}, or pulumi config set allowCrossProjectServiceAccount true if this one is deliberate`,
            );
        } else if (project !== ctx.gcpProject) {
            r.problem(
                "litellmServiceAccount",
                `${email} belongs to project ${project}, not ${ctx.gcpProject}: whoever administers ${project} could act as it and read its secrets`,
                `use an account of ${ctx.gcpProject}, or pulumi config set allowCrossProjectServiceAccount true if the other project is trusted`,
            );
        }
    }
}
