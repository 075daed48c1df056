/**
 * Named questions the program asks of the contract beyond which secrets a stack needs
 * (resolve.ts): who reads a secret, where, and under which name. Each is answered once, here;
 * config checks, the orchestration and the scripts ask them by name.
 */
import { ActiveSecret } from "./resolve";
import { CloudRunEnvConsumer, Consumer, Feature, KubernetesSecretConsumer, ProvidedSource, SecretSpec, UrlPasswordFormat } from "./types";

/** The consumers that read through a Kubernetes Secret (External Secrets projects them). */
export const kubernetesConsumers = (consumers: readonly Consumer[]): KubernetesSecretConsumer[] =>
    consumers.filter((c): c is KubernetesSecretConsumer => c.kind === "kubernetesSecret");

/** The features a consumer needs on to read a row: the row's, and the consumer's own (Kubernetes). */
export const consumerFeatures = (spec: SecretSpec, consumer: Consumer): Feature[] => [
    ...spec.requires,
    ...(consumer.kind === "kubernetesSecret" ? (consumer.requires ?? []) : []),
];

/** Every row with every consumer, as if one stack turned everything on: the runbook's view. */
export const everyConsumer = (contract: readonly SecretSpec[]): ActiveSecret[] =>
    contract.map((spec) => ({ spec, consumers: spec.consumers }));

/** Every namespace some row puts a Kubernetes Secret in, whatever the features: where workloads read. */
export const kubernetesSecretNamespaces = (contract: readonly SecretSpec[]): Set<string> =>
    new Set(contract.flatMap((s) => kubernetesConsumers(s.consumers).map((c) => c.namespace)));

/** Every workload (Kubernetes) and service (Cloud Run) some row is read by, whatever the features. */
export const consumerWorkloads = (contract: readonly SecretSpec[]): Set<string> =>
    new Set(contract.flatMap((s) => s.consumers.map((c) => (c.kind === "cloudRunEnv" ? c.service : c.workload))));

/** Keys of the rows that are bcrypt hashes of `key`, in contract order: values that change with it. */
export const hashesOf = (contract: readonly SecretSpec[], key: string): string[] =>
    contract.filter((s) => s.source.kind === "bcrypt" && s.source.of === key).map((s) => s.key);

/** Whether some active secret reaches `workload` through a Kubernetes Secret (the workload runs on the cluster). */
export const readsOnKubernetes = (active: readonly ActiveSecret[], workload: string): boolean =>
    active.some((a) => kubernetesConsumers(a.consumers).some((c) => c.workload === workload));

/** One secret env var of a Cloud Run service: the row and the env var it is read as. */
export interface CloudRunEnvRead {
    readonly spec: SecretSpec;
    readonly env: string;
}

/** The secret env vars Cloud Run service `service` reads, in contract order. */
export const cloudRunEnvReads = (active: readonly ActiveSecret[], service: string): CloudRunEnvRead[] =>
    active.flatMap(({ spec, consumers }) =>
        consumers
            .filter((c): c is CloudRunEnvConsumer => c.kind === "cloudRunEnv" && c.service === service)
            .map((c) => ({ spec, env: c.env })),
    );

/** The env var Cloud Run service `service` reads secret `key` as; undefined when it does not read it. */
export const cloudRunEnvOf = (active: readonly ActiveSecret[], key: string, service: string): string | undefined =>
    cloudRunEnvReads(active, service).find((r) => r.spec.key === key)?.env;

/** Whether a row's value is an output of a resource of the stack (a database URL, an AUTH string). */
export const isDerived = (spec: SecretSpec): boolean => spec.source.kind === "derived";

/**
 * Rows split by when their value exists: `direct` before any resource (generated, provided,
 * settings, hashes, active users), `derived` once the resources they derive from exist. Each
 * keeps contract order.
 */
export function byDerivation(specs: readonly SecretSpec[]): { direct: SecretSpec[]; derived: SecretSpec[] } {
    return { direct: specs.filter((s) => !isDerived(s)), derived: specs.filter(isDerived) };
}

/**
 * For each reader (`readerOf` a consumer: a principal, a workload), the keys of exactly the
 * secrets its consumers name, each once, in contract order; readers in order of first appearance.
 */
export function keysByReader(active: readonly ActiveSecret[], readerOf: (c: Consumer) => string): Map<string, string[]> {
    const byReader = new Map<string, string[]>();
    for (const { spec, consumers } of active) {
        for (const reader of new Set(consumers.map(readerOf))) {
            byReader.set(reader, [...(byReader.get(reader) ?? []), spec.key]);
        }
    }
    return byReader;
}

/** A secret a workload reads inside a URL: its row and the URL's format (config key, description). */
export interface UrlPasswordRead {
    readonly spec: SecretSpec;
    readonly format: UrlPasswordFormat;
}

/** Every consumer of these rows that reads its secret inside a URL, in contract order. */
export const urlPasswordReads = (contract: readonly SecretSpec[]): UrlPasswordRead[] =>
    contract.flatMap((spec) =>
        kubernetesConsumers(spec.consumers).flatMap((c) => (c.format === undefined ? [] : [{ spec, format: c.format }])),
    );

/** The URL config keys some active consumer reads a secret inside: the URLs this stack needs. */
export const activeUrlConfigKeys = (active: readonly ActiveSecret[]): Set<string> =>
    new Set(
        active.flatMap((a) => kubernetesConsumers(a.consumers).flatMap((c) => (c.format === undefined ? [] : [c.format.urlConfigKey]))),
    );

/** A row the operator provides, with its source (config key and issuer). */
export interface ProvidedRow {
    readonly spec: SecretSpec;
    readonly source: ProvidedSource;
}

/** The provided rows among these, in the order given: what the operator sets, under which config key. */
export const providedRows = (specs: readonly SecretSpec[]): ProvidedRow[] =>
    specs.flatMap((spec) => (spec.source.kind === "provided" ? [{ spec, source: spec.source }] : []));
