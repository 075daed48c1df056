/**
 * Wires the platform from validated config: values → backend → runtime data → derived values →
 * grants → consumers. Every resource follows from the contract; nothing here names an individual
 * secret.
 */
import * as pulumi from "@pulumi/pulumi";

import { AdoptionState, adoptionStates, backendAdoption, unusedWhileKept } from "../adoption";
import { withAgents } from "../agents/contract";
import { AgentServices, AgentStores, createAgentServices, createAgentStores } from "./agents";
import { GcpApis, requiredApis } from "../apis";
import { Principal, SecretBackend, StoreAccess, StoredSecret } from "../backends";
import { createBackend } from "./backends";
import { PlatformConfig, loadConfig } from "../config";
import { ActiveSecret, Consumer, SECRET_CONTRACT, SecretSpec, activeSecrets, byDerivation, keysByReader } from "../contract";
import { AccessorGrants } from "../grants";
import { WorkloadServiceAccount } from "../identity";
import { StackRotation, scheduleRotations } from "./rotation";
import { GcpRuntime, adoptedServiceAccount, cloudRunPrincipalName, createCloudRunServices, createGcpData } from "./run";
import { consumerNamespaces, secretsByNamespace } from "../k8s/projection";
import { kubernetesProvider } from "../k8s/provider";
import { STORE_READER } from "../k8s/secretStore";
import { SecretAlerts, createSecretAlerts } from "./monitoring";
import { KubernetesWiring, wireKubernetes } from "./k8s";
import { AlternatingPassword, SecretValues, derivedValues } from "../secrets";

/** Prefix of the principals Kubernetes consumers read through: one External Secrets store per namespace. */
export const EXTERNAL_SECRETS = "external-secrets";

/** Logical name of the principal one namespace's store reads as. */
export const storePrincipalName = (namespace: string): string => `${EXTERNAL_SECRETS}-${namespace}`;

/**
 * Logical name of the principal that reads a consumer's secrets: a Cloud Run service's own
 * account, or the store of the namespace a Kubernetes Secret lives in (so a namespace reads only
 * what its own Secrets need).
 */
export const principalOf = (consumer: Consumer): string =>
    consumer.kind === "cloudRunEnv" ? cloudRunPrincipalName(consumer.service) : storePrincipalName(consumer.namespace);

/** For each principal, the keys of exactly the secrets its consumers name, in contract order. */
export const grantsByPrincipal = (active: readonly ActiveSecret[]): Map<string, string[]> => keysByReader(active, principalOf);

export interface Platform {
    readonly config: PlatformConfig;
    /** The contract this stack was built from: the table with the stack's agents in it. */
    readonly contract: readonly SecretSpec[];
    readonly active: readonly ActiveSecret[];
    /** Adopted secrets, by key: whether each still keeps its adopted value (docs/adoption.md). */
    readonly adoption: Readonly<Record<string, AdoptionState>>;
    readonly backend: SecretBackend;
    /** Every value, by contract key; each a Pulumi secret. */
    readonly values: Readonly<Record<string, pulumi.Output<string>>>;
    /** Rotation clocks, and the user pairs of database passwords that alternate. */
    readonly rotation: StackRotation;
    readonly alternating: Readonly<Record<string, AlternatingPassword>>;
    readonly stored: Readonly<Record<string, StoredSecret>>;
    readonly principals: Readonly<Record<string, Principal & { readonly email?: pulumi.Output<string> }>>;
    readonly grants: Readonly<Record<string, AccessorGrants>>;
    /** How each consumer namespace's store reads the backend, by namespace (kubernetes target). */
    readonly stores: Readonly<Record<string, StoreAccess>>;
    /** Resources that turn on the backend's access audit log (empty when `auditLogs` is off). */
    readonly audit: readonly pulumi.Resource[];
    /** Denied-access alert and provided keys' rotation reminders; set when the stack has `alertEmail`. */
    readonly alerts?: SecretAlerts;
    /** Cloud SQL, Memorystore and the Cloud Run services; set when `gcpRuntime` is on. */
    readonly runtime?: GcpRuntime;
    /** The cluster side (ESO, store, ExternalSecrets, releases); set when the kubernetes target is on. */
    readonly kubernetes?: KubernetesWiring;
    /** The agents' own databases and their Cloud Run services (agents on Kubernetes are contract readers only). */
    readonly agents: AgentStores & AgentServices;
    /** The Google APIs turned on by the stack (`enableGcpApis`). */
    readonly apis?: GcpApis;
}

/**
 * This stack's fully qualified name, `<organization>/<project>/<stack>`; the bare stack name (the
 * current project's, on the current backend) where the runtime knows no organization.
 */
function selfReference(): string {
    try {
        return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    } catch {
        return pulumi.getStack();
    }
}

/** Builds the whole platform for the current stack. */
export function createPlatform(config: PlatformConfig = loadConfig(), table: readonly SecretSpec[] = SECRET_CONTRACT): Platform {
    const contract = withAgents(table, config.agents);
    // 0. Adopted secrets keep the values they have until their first rotation after adoption;
    // a kept value has no clock yet (its first rotation is a bump, docs/adoption.md).
    const needed = activeSecrets(contract, config.features, config.targets, config.derivations);
    const adoption = adoptionStates(
        needed.map((a) => a.spec),
        config.adoption.secrets,
        config.rotations,
        config.adoption.valuesGiven,
    );
    const kept: Record<string, pulumi.Output<string>> = {};
    for (const [key, state] of Object.entries(adoption)) {
        if (state.valueKept && config.adoptedValues[key] !== undefined) {
            kept[key] = config.adoptedValues[key];
        }
    }
    const unused = unusedWhileKept(needed, new Set(Object.keys(kept)), new Set(Object.keys(adoption)), config.gcpRuntime.enabled);
    const active = needed.filter((a) => !unused.has(a.spec.key));
    const { direct, derived } = byDerivation(active.map((a) => a.spec));

    // 0b. The Google APIs, when the stack turns them on: every Google resource waits for them.
    const usesGcp = config.backend === "gcp-secret-manager" || config.gcpRuntime.enabled || config.targets.has("cloudRun");
    const apis =
        config.gcpRuntime.enableApis && usesGcp
            ? new GcpApis("gcp-apis", {
                  project: config.gcp.project,
                  apis: requiredApis({
                      secretManager: config.backend === "gcp-secret-manager",
                      runtime: config.gcpRuntime.enabled,
                      workloadIdentity: config.backend === "gcp-secret-manager" && config.targets.has("kubernetes"),
                      alerts: config.alerts !== undefined && config.backend === "gcp-secret-manager",
                  }),
              })
            : undefined;
    const gcpOpts: pulumi.ComponentResourceOptions = apis?.waitOptions() ?? {};

    // The backend, with what it writes through: the stack's explicit cluster provider (the
    // Kubernetes backend writes there, never to the ambient kubeconfig's context) and the alerts
    // (the provided values' secrets carry Secret Manager's rotation schedule).
    const cluster = config.targets.has("kubernetes") ? kubernetesProvider(config.kubernetes) : undefined;
    const alerts = createSecretAlerts(config, gcpOpts);
    const backend = createBackend(config, { kubernetes: cluster, rotationReminder: alerts?.rotationReminders });

    // 1. Values that exist before any resource: generated (rotated by config bumps and by their
    // clocks), provided, settings, hashes, active database users. None where the operator
    // writes the source values himself: the program then holds no value at all.
    const generates = backend.valuesFromOperator !== true;
    const rotation = scheduleRotations("rotation", generates ? active.filter((a) => kept[a.spec.key] === undefined) : [], config);
    // The stack's own last outputs: how far each alternating password had rotated, so a step of
    // more than one generation in one update is refused before any password changes. Read on
    // updates only: an update is where passwords change (a preview shows the step, and the
    // update that would take it fails).
    const deployedGenerations =
        generates && direct.some((spec) => spec.alternatingUsers !== undefined) && !pulumi.runtime.isDryRun()
            ? pulumi.unsecret(
                  new pulumi.StackReference("deployed", { name: selfReference() }).outputs.apply(
                      // No outputs at all before the first deployment (and under some mock runtimes);
                      // generations are plain numbers, whatever else the stack exports.
                      (o) => (o?.rotationGenerations ?? undefined) as Record<string, number> | undefined,
                  ),
              )
            : undefined;
    const secretValues = new SecretValues("values", {
        kept,
        secrets: generates ? direct : [],
        rotations: config.rotations,
        provided: config.providedValues,
        settings: config.settingValues,
        bcryptCost: config.bcryptCost,
        protectPinned: config.dataProtection,
        extraKeepers: rotation.keepers,
        deployedGenerations,
        scheduledGenerations: rotation.scheduledGenerations,
    });
    const values: Record<string, pulumi.Output<string>> = { ...secretValues.values };

    // 2. The backend keeps every value the stack needs (created above).
    const stored: Record<string, StoredSecret> = {};
    const store = (specs: readonly SecretSpec[]) => {
        for (const spec of specs) {
            const adopted = adoption[spec.key];
            stored[spec.key] = backend.store(spec, values[spec.key], gcpOpts, adopted === undefined ? undefined : backendAdoption(adopted));
        }
    };
    store(direct);

    // 2b. Databases built from those values (Cloud SQL's user has the generated password); the
    // derived rows (database URL, Redis AUTH) are their outputs, stored like the rest.
    const data = createGcpData(config, values, secretValues.alternating, gcpOpts);
    const agentStores = createAgentStores(config, data, values, gcpOpts);
    Object.assign(
        values,
        derivedValues(
            derived.filter((spec) => kept[spec.key] === undefined),
            data?.derivations ?? {},
            agentStores.urls,
        ),
    );
    for (const spec of derived.filter((d) => kept[d.key] !== undefined)) {
        values[spec.key] = pulumi.secret(kept[spec.key]);
    }
    store(derived);

    // 3. Principals, and per-secret read grants for exactly what each one's consumers name.
    const byPrincipal = grantsByPrincipal(active);
    const principals: Record<string, Principal & { readonly email?: pulumi.Output<string> }> = {};
    const stores: Record<string, StoreAccess> = {};
    for (const ns of consumerNamespaces(active)) {
        const name = storePrincipalName(ns);
        stores[ns] = backend.storeAccess(name, { namespace: ns, serviceAccountName: STORE_READER }, gcpOpts);
        principals[name] = stores[ns].principal;
    }
    for (const name of byPrincipal.keys()) {
        if (principals[name] === undefined) {
            principals[name] = new WorkloadServiceAccount(
                name,
                {
                    project: config.gcp.project,
                    environment: config.environment,
                    role: name,
                    description: `${name}: reads the secrets it consumes`,
                    existingEmail: adoptedServiceAccount(config, name),
                },
                gcpOpts,
            );
        }
    }
    const grants: Record<string, AccessorGrants> = {};
    for (const [name, keys] of byPrincipal) {
        grants[name] = new AccessorGrants(
            `${name}-access`,
            {
                backend,
                principal: principals[name],
                secrets: keys.map((k) => stored[k]),
            },
            gcpOpts,
        );
    }

    // 4. Consumers: the Cloud Run services, each after its own grants.
    const runtime: GcpRuntime | undefined =
        data === undefined
            ? undefined
            : { data, ...createCloudRunServices({ config, active, backend, stored, principals, grants, data, opts: gcpOpts }) };

    // 4b. Agents on Cloud Run, each as its own account after its own grants.
    const agentServices = createAgentServices({ config, active, backend, stored, principals, grants, data, opts: gcpOpts });

    // 5. Kubernetes: External Secrets Operator projects the stored secrets; releases read them.
    // LiteLLM on the cluster uses the program's own Cloud SQL, on its private IP in the cluster's
    // VPC, whenever the runtime is on (config validation refuses any other topology).
    const ownDatabase = runtime?.data.postgres;
    const storeGrants: Record<string, AccessorGrants> = {};
    for (const ns of Object.keys(stores)) {
        storeGrants[ns] = grants[storePrincipalName(ns)];
    }
    const kubernetes =
        cluster !== undefined && Object.keys(stores).length > 0
            ? wireKubernetes(
                  { config, active, backend, stored, access: stores, grants: storeGrants, provider: cluster },
                  ownDatabase === undefined ? {} : { litellmDbEndpoint: ownDatabase.privateAddress },
              )
            : undefined;

    // 6. Audit: the backend records who read which secret, and when.
    const audit = config.auditLogs
        ? (backend.auditAccess?.("secret-access-audit", apis === undefined ? {} : { dependsOn: [...apis.services] }) ?? [])
        : [];

    return {
        config,
        contract,
        active,
        adoption,
        backend,
        values,
        rotation,
        alternating: secretValues.alternating,
        stored,
        principals,
        grants,
        stores,
        runtime,
        kubernetes,
        audit,
        agents: { ...agentStores, ...agentServices },
        apis,
        alerts,
    };
}

/** Stack outputs: names, ids and versions of secrets, never their values. */
export function stackOutputs(platform: Platform) {
    const secretIds: Record<string, pulumi.Output<string>> = {};
    const secretVersions: Record<string, pulumi.Output<string>> = {};
    for (const [key, s] of Object.entries(platform.stored)) {
        secretIds[key] = s.backendId;
        secretVersions[key] = s.version;
    }
    const principals: Record<string, pulumi.Input<string>> = {};
    for (const [name, p] of Object.entries(platform.principals)) {
        principals[name] = p.member;
    }
    const grants: Record<string, readonly string[]> = {};
    for (const [name, g] of Object.entries(platform.grants)) {
        grants[name] = g.secretKeys;
    }
    const runtime = platform.runtime;
    const serviceSecrets: Record<string, pulumi.Output<Record<string, { secret: string; version: string }>>> = {};
    const serviceUrls: Record<string, pulumi.Output<string>> = {};
    for (const [name, service] of Object.entries({ ...runtime?.services, ...platform.agents.services })) {
        serviceSecrets[name] = service.secretVersions;
        serviceUrls[name] = service.uri;
    }
    return {
        environment: pulumi.output(platform.config.environment),
        backend: pulumi.output(platform.config.backend),
        secretIds: pulumi.output(secretIds),
        secretVersions: pulumi.output(secretVersions),
        principals: pulumi.output(principals),
        grants: pulumi.output(grants),
        /** Cloud Run service URLs, by service. */
        serviceUrls: pulumi.output(serviceUrls),
        /** The secret and version each Cloud Run service env var reads, by service and env var. */
        serviceSecrets: pulumi.output(serviceSecrets),
        cloudSqlConnectionName: pulumi.output(runtime?.data.postgres.connectionName),
        /** Generation of each password with alternating users: the next update steps at most one from it. */
        rotationGenerations: pulumi.output(
            Object.fromEntries(Object.entries(platform.alternating).map(([key, pair]) => [key, pair.generation])),
        ),
        // Per namespace, each Kubernetes Secret with its keys and the backend key feeding each,
        // and per workload the checksum of the versions it reads (for workloads deployed elsewhere).
        kubernetes: pulumi.output(
            platform.kubernetes === undefined
                ? {}
                : { secrets: secretsByNamespace(platform.kubernetes.secrets), rolloutChecksums: platform.kubernetes.rolloutChecksums },
        ),
    };
}
