/**
 * The only place that reads stack config. `parseConfig` is pure (table-tested without Pulumi);
 * `loadConfig` feeds it the stack's config and fails the run, before any resource is
 * registered, with every problem at once.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";

import { withAgents } from "../agents/contract";
import { SECRET_CONTRACT } from "../contract/contract";
import { providedRows, readsOnKubernetes } from "../contract/queries";
import { activeSecrets } from "../contract/resolve";
import { Derivation, RotationClass, SecretSpec } from "../contract/types";
import type { BackendAccessMode } from "../backends/backend";
import { AdoptionSettings, adoptedValueKey, readAdoption } from "./adoption";
import { AgentSettings, readAgents } from "./agents";
import { BackendConfigs, operatorWritesValues, readBackends } from "./backends";
import { GcpRuntimeSettings, readGcpRuntime, runtimeDerivations } from "./gcpRuntime";
import { GUARDRAILS_AREA, GuardrailSettings, readGuardrails } from "./guardrails";
import { checkIdentities } from "./identities";
import { KubernetesSettings, readKubernetes } from "./kubernetes";
import { LitellmProxySettings, readLitellmProxy } from "./litellm";
import { isProductionStack } from "./production";
import { checkProvidedSecrets } from "./provided";
import { ConfigProblem, ConfigReader, KeyDeclaration, formatProblem } from "./reader";
import { checkRotations, readGeneratedNames, readRotationSettings } from "./rotation";
import { StackBasics, readStackBasics } from "./stack";

export { GcpRuntimeSettings } from "./gcpRuntime";
export { PRODUCTION_STACKS, isProductionStack } from "./production";
export { AGENT_STORES, AgentSettings, AgentStore } from "./agents";

export * from "./backends";
export * from "./adoption";
export { ConfigProblem, formatProblem } from "./reader";
export { ChartLocation, KubernetesSettings } from "./kubernetes";
export { EndpointUrl, parseEndpointUrl, urlWithPassword } from "./endpointUrl";

/** Validated stack config, minus secret values. */
export interface PlatformSettings extends StackBasics, GuardrailSettings {
    readonly stack: string;
    /**
     * A production stack (`PRODUCTION_STACKS`, by stack name): every production guarantee applies,
     * whatever the config says.
     */
    readonly production: boolean;
    /** Manual rotation generations, by secret key. */
    readonly rotations: Readonly<Record<string, number>>;
    /** Scheduled rotation period in days, by rotation class. */
    readonly rotationPeriods: Readonly<Record<RotationClass, number>>;
    /** Secret Manager replica locations; empty means automatic replication. */
    readonly replicationLocations: readonly string[];
    /** bcrypt cost of derived hashes (Dex accepts 10 to 16). */
    readonly bcryptCost: number;
    /** Values of `setting` sources, by config key. */
    readonly settingValues: Readonly<Record<string, string>>;
    /** The Kubernetes target: cluster, External Secrets Operator, charts, service URLs. */
    readonly kubernetes: KubernetesSettings;
    /** LiteLLM on Cloud Run with Cloud SQL and Memorystore. */
    readonly gcpRuntime: GcpRuntimeSettings;
    /** Values this stack derives from resources it runs: derived contract rows need them. */
    readonly derivations: ReadonlySet<Derivation>;
    /** Settings of the AWS, Vault and Kubernetes-source backends. */
    readonly backends: BackendConfigs;
    /** Existing backend secrets the stack takes over instead of creating (docs/adoption.md). */
    readonly adoption: AdoptionSettings;
    /** How External Secrets Operator's stores authenticate to the backend. */
    readonly backendAccess: BackendAccessMode;
    /** Agent services: each reads exactly the secrets it names (components/agents/). */
    readonly agents: readonly AgentSettings[];
    /** What LiteLLM's generated config routes to (the vLLM server). */
    readonly litellmProxy: LitellmProxySettings;
}

/** Validated stack config, with the operator-provided secret values. */
export interface PlatformConfig extends PlatformSettings {
    /** Provided secret values by contract key, each a Pulumi secret. */
    readonly providedValues: Readonly<Record<string, pulumi.Output<string>>>;
    /** Values adopted secrets keep (`adopted<Key>`), by contract key, each a Pulumi secret. */
    readonly adoptedValues: Readonly<Record<string, pulumi.Output<string>>>;
}

export interface ParseContext {
    readonly stack: string;
    /** `gcp:project`, used when `gcpProject` is not set. */
    readonly gcpProjectFallback?: string;
    /** Config keys whose values are Pulumi secrets. */
    readonly secretKeys?: ReadonlySet<string>;
    readonly contract?: readonly SecretSpec[];
}

export interface ParseResult {
    readonly settings: PlatformSettings;
    readonly problems: readonly ConfigProblem[];
    readonly unknownKeys: readonly string[];
    readonly declared: ReadonlyMap<string, KeyDeclaration>;
}

/**
 * Validates raw config values (project namespace stripped). Never throws on bad input. Each area
 * of config (a section of Pulumi.yaml) has its reader in its own module; they are called in the
 * order their inputs need, and report every problem to the one reader.
 */
export function parseConfig(values: Readonly<Record<string, string>>, ctx: ParseContext): ParseResult {
    const base = ctx.contract ?? SECRET_CONTRACT;
    const r = new ConfigReader(values);
    const production = isProductionStack(ctx.stack);

    // What the stack is: every other area reads against it.
    const basics = readStackBasics(r, { stack: ctx.stack, production, gcpProjectFallback: ctx.gcpProjectFallback });
    const { environment, backend, features, targets, dataProtection } = basics;
    const gcpRuntime = readGcpRuntime(r, { production, targets, dataProtection });
    const agents = readAgents(r, { contract: base, features, targets, gcpRuntime });
    // Everything below checks against the contract with the agents in it (their own rows too).
    const contract = withAgents(base, agents);
    const rotation = readRotationSettings(r);
    const settingValues = readGeneratedNames(r, contract);
    const storage = readBackends(r, {
        environment,
        backend,
        targets: [...targets],
        dataProtection,
        rotations: rotation.rotations,
        contract,
    });
    // The operator makes the source values: nothing is generated or taken from config here.
    const valuesFromOperator = operatorWritesValues(backend, storage.backends);
    const kubernetes = readKubernetes(r, {
        contract,
        features,
        targets,
        ...(gcpRuntime.enabled
            ? { runtime: { cloudSqlPrivateIp: gcpRuntime.cloudSql.privateIp, networkAdopted: gcpRuntime.network.existing !== undefined } }
            : {}),
    });
    const guardrails = readGuardrails(r, {
        stack: ctx.stack,
        production,
        backend,
        cloudRunSecretVersions: gcpRuntime.litellm.secretVersions,
    });
    checkIdentities(r.inArea(GUARDRAILS_AREA), {
        backend,
        gcpProject: basics.gcp.project,
        kubernetes,
        backends: storage.backends,
        contract,
        adoptedServiceAccount: gcpRuntime.litellm.serviceAccountEmail,
    });

    // What the stack holds, given what is on where.
    const runtimeDerived = runtimeDerivations(gcpRuntime);
    const active = activeSecrets(contract, features, targets, runtimeDerived);
    const litellmRuns = gcpRuntime.enabled || readsOnKubernetes(active, "litellm");
    const litellmProxy = readLitellmProxy(r, { vllmOn: features.has("vllm"), litellmRuns });
    const activeKeys = new Set(active.map((a) => a.spec.key));
    checkProvidedSecrets(r, { contract, activeKeys, valuesFromOperator, secretKeys: ctx.secretKeys });
    const adoption = readAdoption(r, {
        contract,
        activeKeys,
        features,
        rotations: rotation.rotations,
        secretKeys: ctx.secretKeys,
        gcpRuntime: gcpRuntime.enabled,
    });
    // A derived value the stack does not produce exists all the same when an adopted secret
    // keeps it (the Cloud Run guide's database-url, before the runtime is adopted).
    const derivations = new Set(runtimeDerived);
    for (const spec of contract) {
        if (spec.source.kind === "derived" && adoption.valuesGiven.has(spec.key)) {
            derivations.add(spec.source.from);
        }
    }
    checkRotations(r, {
        contract,
        rotations: rotation.rotations,
        activeKeys,
        features,
        ...(valuesFromOperator ? { operatorWritesValuesIn: storage.backends.kubernetesSource.namespace } : {}),
    });

    const settings: PlatformSettings = Object.freeze({
        stack: ctx.stack,
        production,
        ...basics,
        ...rotation,
        replicationLocations: storage.replicationLocations,
        ...guardrails,
        settingValues: Object.freeze(settingValues),
        kubernetes,
        gcpRuntime,
        derivations,
        backends: storage.backends,
        adoption,
        backendAccess: storage.backendAccess,
        agents: Object.freeze(agents),
        litellmProxy,
    });
    return { settings, problems: r.problems, unknownKeys: r.unknownKeys(), declared: r.declared };
}

/** Raised for bad stack config: Pulumi prints its message alone, with no stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly problems: readonly ConfigProblem[],
        stack: string,
    ) {
        super(
            `stack "${stack}" has ${problems.length} config problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/**
 * Reads and validates the current stack's config against `contract`; throws `ConfigError` listing
 * every problem.
 */
export function loadConfig(contract: readonly SecretSpec[] = SECRET_CONTRACT): PlatformConfig {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const prefix = `${project}:`;
    const all = runtimeConfig.allConfig();
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(all)) {
        if (k.startsWith(prefix)) {
            values[k.slice(prefix.length)] = v;
        }
    }
    // isConfigSecret is internal to the SDK; without it a plain-text provided key goes unnoticed.
    const isSecret = (runtimeConfig as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    const secretKeys = isSecret ? new Set(Object.keys(values).filter((k) => isSecret(prefix + k))) : undefined;
    const result = parseConfig(values, { stack, gcpProjectFallback: all["gcp:project"], secretKeys, contract });
    if (result.problems.length > 0) {
        throw new ConfigError(result.problems, stack);
    }
    for (const key of result.unknownKeys) {
        void pulumi.log.warn(`config key ${prefix}${key} is not used by this program: a typo? (see README, config reference)`);
    }
    const cfg = new pulumi.Config();
    const providedValues: Record<string, pulumi.Output<string>> = {};
    // Where the operator writes the source values, the program takes none from config.
    const fromOperator = operatorWritesValues(result.settings.backend, result.settings.backends);
    const contractWithAgents = withAgents(contract, result.settings.agents);
    const needed = fromOperator
        ? []
        : activeSecrets(contractWithAgents, result.settings.features, result.settings.targets, result.settings.derivations);
    for (const { spec, source } of providedRows(needed.map((a) => a.spec))) {
        providedValues[spec.key] = cfg.requireSecret(source.configKey);
    }
    const adoptedValues: Record<string, pulumi.Output<string>> = {};
    for (const key of result.settings.adoption.valuesGiven) {
        adoptedValues[key] = cfg.requireSecret(adoptedValueKey(key));
    }
    return Object.freeze({
        ...result.settings,
        providedValues: Object.freeze(providedValues),
        adoptedValues: Object.freeze(adoptedValues),
    });
}
