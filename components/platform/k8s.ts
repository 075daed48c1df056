/**
 * Wires the Kubernetes target from validated config and the stored secrets: a provider for the
 * configured cluster, the namespaces, External Secrets Operator, one SecretStore per consumer
 * namespace (each with its own identity), one ExternalSecret per Kubernetes Secret of the
 * contract, and the Helm releases this program installs (LiteLLM, LLMTrace) pointing at those
 * Secrets. Nothing here names a single secret.
 */
import * as core from "@pulumi/kubernetes/core/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";

import { SecretBackend, SecretReference, StoreAccess, StoredSecret } from "../backends/backend";
import { ConfigError, PlatformConfig } from "../config";
import { EndpointUrl, urlWithPassword } from "../config/endpointUrl";
import { LITELLM_KEYS } from "../contract";
import { ActiveSecret } from "../contract/resolve";
import { ESO_CHART, externalSecretsOperatorValues } from "../k8s/esoValues";
import { ExternalSecret, ExternalSecretData, RELOADER_MATCH } from "../k8s/externalSecret";
import { HelmRelease } from "../k8s/helmRelease";
import { litellmProxyConfig } from "../litellm/proxyConfig";
import { CHART_MASTER_KEY_ENV, LITELLM_CHART, litellmSecretRefs, litellmValues } from "../k8s/litellmValues";
import { llmtraceExistingSecret, llmtraceValues } from "../k8s/llmtraceValues";
import {
    ProjectedSecret,
    consumerNamespaces,
    projectedSecrets,
    secretsReadBy,
    workloadNamespace,
    workloadSecretKeys,
} from "../k8s/projection";
import { rolloutChecksum } from "../k8s/rollout";
import { NamespaceStore, STORE_NAME } from "../k8s/secretStore";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "llm-platform-secrets" };

/** Values other parts of the program may feed in (Cloud SQL, Memorystore), overriding config. */
export interface KubernetesInputs {
    /** LiteLLM's database host, e.g. the Cloud SQL private IP. @default config litellmDbEndpoint */
    readonly litellmDbEndpoint?: pulumi.Input<string>;
    /**
     * Hosts replacing the host of a URL from config, by config key (`llmtracePostgresUrl`: the
     * Cloud SQL private IP, say). @default {}
     */
    readonly urlHosts?: Readonly<Record<string, pulumi.Input<string>>>;
}

export interface KubernetesWiringArgs {
    readonly config: PlatformConfig;
    readonly active: readonly ActiveSecret[];
    readonly backend: SecretBackend;
    readonly stored: Readonly<Record<string, StoredSecret>>;
    /**
     * How each consumer namespace's store reads the backend (identity, service-account
     * annotations, provider block), by namespace.
     */
    readonly access: Readonly<Record<string, StoreAccess>>;
    /** Each namespace's read grants, by namespace: its Secrets can only sync once they exist. */
    readonly grants?: Readonly<Record<string, pulumi.Resource>>;
    /** The stack's Kubernetes provider (`kubernetesProvider`): every object here goes through it. */
    readonly provider: Provider;
}

export interface KubernetesWiring {
    readonly provider: Provider;
    readonly secrets: readonly ProjectedSecret[];
    readonly namespaces: Readonly<Record<string, core.Namespace>>;
    readonly operator: HelmRelease;
    /** Each consumer namespace's store, by namespace. */
    readonly stores: Readonly<Record<string, NamespaceStore>>;
    /** By `namespace/secretName`. */
    readonly externalSecrets: Readonly<Record<string, ExternalSecret>>;
    /** Releases of the workloads this program installs, by workload. */
    readonly releases: Readonly<Record<string, HelmRelease>>;
    /** Checksum of the secret versions each workload reads, by workload (installed here or not). */
    readonly rolloutChecksums: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * What an ExternalSecret fetches and, when a key is built from its value (a URL with the
 * password inside), the template ESO renders. Templated Secrets name their variables after the
 * contract key and get every key from the template, so they hold exactly the contract's keys.
 */
export function externalSecretContent(
    secret: ProjectedSecret,
    refs: Readonly<Record<string, SecretReference>>,
    urls: Readonly<Record<string, EndpointUrl>>,
    hosts: Readonly<Record<string, pulumi.Input<string>>> = {},
): { data: ExternalSecretData[]; template?: Record<string, pulumi.Input<string>> } {
    const refOf = (specKey: string): SecretReference => {
        const ref = refs[specKey];
        if (ref === undefined) {
            throw new Error(`${secret.namespace}/${secret.secretName}: ${specKey} is not stored in this stack`);
        }
        return ref;
    };
    if (secret.keys.every((k) => k.format === undefined)) {
        return { data: secret.keys.map((k) => ({ secretKey: k.key, remoteRef: refOf(k.specKey) })) };
    }
    const specKeys = [...new Set(secret.keys.map((k) => k.specKey))];
    const template: Record<string, pulumi.Input<string>> = {};
    for (const k of secret.keys) {
        const value = `{{ index . "${k.specKey}" }}`;
        if (k.format === undefined) {
            template[k.key] = value;
            continue;
        }
        const endpoint = urls[k.format.urlConfigKey];
        if (endpoint === undefined) {
            throw new Error(`${secret.namespace}/${secret.secretName} ${k.key}: config ${k.format.urlConfigKey} is not set`);
        }
        const host = hosts[k.format.urlConfigKey];
        template[k.key] =
            host === undefined ? urlWithPassword(endpoint, value) : pulumi.output(host).apply((h) => urlWithPassword(endpoint, value, h));
    }
    return { data: specKeys.map((specKey) => ({ secretKey: specKey, remoteRef: refOf(specKey) })), template };
}

/** Builds the Kubernetes side of the platform. */
export function wireKubernetes(args: KubernetesWiringArgs, inputs: KubernetesInputs = {}): KubernetesWiring {
    const { config, active, backend, stored, access } = args;
    const settings = config.kubernetes;
    const secrets = projectedSecrets(active);

    // The stack's one explicit provider (created before the backend, which may write to the cluster too).
    const provider = args.provider;
    const providers = { providers: { kubernetes: provider } };

    const esoNamespace = settings.externalSecrets.namespace;
    const namespaces: Record<string, core.Namespace> = {};
    for (const ns of [...new Set([esoNamespace, ...consumerNamespaces(active)])].sort()) {
        // Retained on delete: a namespace may hold workloads this program does not own, and
        // deleting it would delete them.
        namespaces[ns] = new core.Namespace(ns, { metadata: { name: ns, labels: LABELS } }, { provider, retainOnDelete: true });
    }

    const operator = new HelmRelease(
        "external-secrets",
        {
            releaseName: "external-secrets",
            namespace: esoNamespace,
            chart: ESO_CHART,
            version: settings.esoChartVersion,
            values: externalSecretsOperatorValues({
                serviceAccountName: settings.externalSecrets.serviceAccountName,
            }),
        },
        { ...providers, dependsOn: [namespaces[esoNamespace]] },
    );

    // The custom resources below are plain CustomResources that depend on the release that
    // installs their CRDs: on a fresh cluster, preview assumes them namespaced instead of failing
    // and up creates them after ESO serves (docs/kubernetes.md, "A fresh cluster").
    const stores: Record<string, NamespaceStore> = {};
    for (const ns of consumerNamespaces(active)) {
        const nsAccess = access[ns];
        if (nsAccess === undefined) {
            throw new Error(`namespace ${ns} has Secrets but no store access`);
        }
        const identity = nsAccess.principal instanceof pulumi.Resource ? [nsAccess.principal] : [];
        const grant = args.grants?.[ns];
        stores[ns] = new NamespaceStore(
            `${ns}/${STORE_NAME}`,
            {
                namespace: ns,
                provider: nsAccess.storeProvider,
                serviceAccountAnnotations: nsAccess.serviceAccountAnnotations,
                labels: LABELS,
                after: [operator, namespaces[ns], ...identity, ...(grant ? [grant] : [])],
            },
            providers,
        );
    }

    const refs: Record<string, SecretReference> = {};
    for (const [key, s] of Object.entries(stored)) {
        refs[key] = backend.reference(s);
    }
    const externalSecrets: Record<string, ExternalSecret> = {};
    for (const secret of secrets) {
        const id = `${secret.namespace}/${secret.secretName}`;
        const content = externalSecretContent(secret, refs, settings.urls, inputs.urlHosts);
        externalSecrets[id] = new ExternalSecret(
            id,
            {
                namespace: secret.namespace,
                secretName: secret.secretName,
                storeName: STORE_NAME,
                refreshInterval: settings.refreshInterval,
                ...content,
                labels: LABELS,
                // A merged Secret is its workload's: only the labels it needs, never ours.
                targetLabels: secret.mergeInto?.labels ?? LABELS,
                targetAnnotations: RELOADER_MATCH,
                creationPolicy: secret.mergeInto === undefined ? "Owner" : "Merge",
            },
            {
                provider,
                dependsOn: [
                    stores[secret.namespace].store,
                    namespaces[secret.namespace],
                    ...new Set(secret.keys.flatMap((k) => stored[k.specKey]?.dependencies ?? [])),
                ],
            },
        );
    }

    const rolloutChecksums: Record<string, pulumi.Output<string>> = {};
    for (const [workload, keys] of workloadSecretKeys(active)) {
        rolloutChecksums[workload] = rolloutChecksum(keys, stored);
    }
    const readBy = (workload: string) => ({
        ...providers,
        dependsOn: [
            namespaces[workloadNamespace(secrets, workload) as string],
            ...secretsReadBy(secrets, workload).map((s) => externalSecrets[`${s.namespace}/${s.secretName}`]),
        ],
    });

    const releases: Record<string, HelmRelease> = {};
    const litellmNamespace = workloadNamespace(secrets, "litellm");
    if (litellmNamespace !== undefined) {
        const dbEndpoint = inputs.litellmDbEndpoint ?? settings.litellm.dbEndpoint;
        if (dbEndpoint === undefined) {
            // Config validation already refuses this; kept for callers that bypass it.
            const problem = {
                key: "litellmDbEndpoint",
                message: "LiteLLM on Kubernetes needs the host of its PostgreSQL database",
                fix: "pulumi config set litellmDbEndpoint <host[:port]>",
            };
            throw new ConfigError([problem], config.stack);
        }
        const refs = litellmSecretRefs(secrets);
        const envOf = (specKey: string): string | undefined => refs.envBySpecKey[specKey];
        releases.litellm = new HelmRelease(
            "litellm",
            {
                releaseName: "litellm",
                namespace: litellmNamespace,
                chart: LITELLM_CHART,
                version: settings.litellm.chartVersion,
                values: litellmValues({
                    refs,
                    image: config.gcpRuntime.litellm.image,
                    proxyConfig: litellmProxyConfig({
                        envOf,
                        masterKeyEnv: CHART_MASTER_KEY_ENV,
                        ...(config.litellmProxy.vllm === undefined ? {} : { vllm: config.litellmProxy.vllm }),
                        redisCache: envOf(LITELLM_KEYS.redisHost) !== undefined,
                    }),
                    dbEndpoint,
                    dbName: settings.litellm.dbName,
                    rolloutChecksum: rolloutChecksums.litellm,
                }),
            },
            readBy("litellm"),
        );
    }
    const llmtraceNamespace = workloadNamespace(secrets, "llmtrace");
    if (llmtraceNamespace !== undefined && settings.llmtrace.chart !== undefined) {
        releases.llmtrace = new HelmRelease(
            "llmtrace",
            {
                releaseName: "llmtrace",
                namespace: llmtraceNamespace,
                chart: settings.llmtrace.chart,
                version: settings.llmtrace.chartVersion,
                values: llmtraceValues({
                    existingSecret: llmtraceExistingSecret(secrets),
                    rolloutChecksum: rolloutChecksums.llmtrace,
                }),
            },
            readBy("llmtrace"),
        );
    }

    return { provider, secrets, namespaces, operator, stores, externalSecrets, releases, rolloutChecksums };
}
