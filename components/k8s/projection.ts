/**
 * Pure queries over the active contract for the Kubernetes target: which Secrets exist in which
 * namespace with which keys, and which secrets each workload reads. Everything the cluster gets
 * (namespaces, store conditions, ExternalSecrets, rollout checksums, Helm values) follows from these.
 */
import { kubernetesConsumers as readersOnKubernetes } from "../contract/queries";
import { ActiveSecret } from "../contract/resolve";
import { KubernetesSecretConsumer, MergedSecret, UrlPasswordFormat } from "../contract/types";

/** One key of a Kubernetes Secret and the contract entry (backend key) that feeds it. */
export interface ProjectedKey {
    /** Key inside the Kubernetes Secret. */
    readonly key: string;
    /** Contract key of the value, which is also its backend key. */
    readonly specKey: string;
    /** Set when the key holds the value inside a URL rather than the value itself. */
    readonly format?: UrlPasswordFormat;
    /** The env var the workload reads the key as, when the key's name is not one. */
    readonly env?: string;
}

/** A Kubernetes Secret projected from the backend: one ExternalSecret. */
export interface ProjectedSecret {
    readonly namespace: string;
    readonly secretName: string;
    /** Workloads that read it, sorted. */
    readonly workloads: readonly string[];
    /** Its keys, in contract order. */
    readonly keys: readonly ProjectedKey[];
    /** Set when the workload owns the Secret and the keys are merged into it. */
    readonly mergeInto?: MergedSecret;
}

type KeyedConsumer = [specKey: string, consumer: KubernetesSecretConsumer];

const kubernetesConsumers = (active: readonly ActiveSecret[]): KeyedConsumer[] =>
    active.flatMap(({ spec, consumers }) => readersOnKubernetes(consumers).map((c): KeyedConsumer => [spec.key, c]));

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every Kubernetes Secret the active consumers name, sorted by namespace then name. */
export function projectedSecrets(active: readonly ActiveSecret[]): ProjectedSecret[] {
    const secrets = new Map<
        string,
        { namespace: string; secretName: string; workloads: Set<string>; keys: ProjectedKey[]; mergeInto?: MergedSecret }
    >();
    for (const [specKey, c] of kubernetesConsumers(active)) {
        const id = `${c.namespace}/${c.secretName}`;
        const entry = secrets.get(id) ?? {
            namespace: c.namespace,
            secretName: c.secretName,
            workloads: new Set<string>(),
            keys: [],
        };
        entry.workloads.add(c.workload);
        entry.keys.push({
            key: c.key,
            specKey,
            ...(c.format === undefined ? {} : { format: c.format }),
            ...(c.env === undefined ? {} : { env: c.env }),
        });
        // contractProblems makes every key of a Secret agree on this.
        if (c.mergeInto !== undefined) {
            entry.mergeInto = c.mergeInto;
        }
        secrets.set(id, entry);
    }
    return [...secrets.values()]
        .sort((a, b) => byName(a.namespace, b.namespace) || byName(a.secretName, b.secretName))
        .map((s) => ({ ...s, workloads: [...s.workloads].sort(byName) }));
}

/** Namespaces holding at least one projected Secret, sorted: the only ones the store serves. */
export const consumerNamespaces = (active: readonly ActiveSecret[]): string[] =>
    [...new Set(kubernetesConsumers(active).map(([, c]) => c.namespace))].sort(byName);

/** For each workload, the contract keys its Secrets carry, sorted: what its rollout depends on. */
export function workloadSecretKeys(active: readonly ActiveSecret[]): Map<string, string[]> {
    const byWorkload = new Map<string, Set<string>>();
    for (const [specKey, c] of kubernetesConsumers(active)) {
        byWorkload.set(c.workload, (byWorkload.get(c.workload) ?? new Set<string>()).add(specKey));
    }
    return new Map([...byWorkload].sort(([a], [b]) => byName(a, b)).map(([w, keys]) => [w, [...keys].sort(byName)]));
}

/** The projected Secrets `workload` reads, in the order given. */
export const secretsReadBy = (secrets: readonly ProjectedSecret[], workload: string): ProjectedSecret[] =>
    secrets.filter((s) => s.workloads.includes(workload));

/** The namespace a workload's Secrets live in; a workload split over namespaces is an error. */
export function workloadNamespace(secrets: readonly ProjectedSecret[], workload: string): string | undefined {
    const namespaces = [...new Set(secretsReadBy(secrets, workload).map((s) => s.namespace))];
    if (namespaces.length > 1) {
        throw new Error(`workload ${workload} reads Secrets in several namespaces (${namespaces.join(", ")})`);
    }
    return namespaces[0];
}

/**
 * Whether a Secret key is an environment variable name. Charts that load whole Secrets as env
 * (`envFrom`) should only get Secrets whose every key is one, or the process sees keys it ignores.
 */
export const isEnvVarName = (key: string): boolean => /^[A-Z_][A-Z0-9_]*$/.test(key);

/** Per namespace, each Secret with its keys and the backend key feeding each: the plan's view. */
export function secretsByNamespace(secrets: readonly ProjectedSecret[]): Record<string, Record<string, Record<string, string>>> {
    const plan: Record<string, Record<string, Record<string, string>>> = {};
    for (const s of secrets) {
        plan[s.namespace] = plan[s.namespace] ?? {};
        plan[s.namespace][s.secretName] = Object.fromEntries(s.keys.map((k) => [k.key, k.specKey]));
    }
    return plan;
}
