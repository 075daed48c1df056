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
import { activeSecrets, isRotatable } from "../contract/resolve";
import { Derivation, FEATURES, Feature, RotationClass, SecretSpec, TARGETS, Target } from "../contract/types";
import { BACKEND_KINDS, BackendKind } from "../backends/kinds";
import { AgentSettings, readAgents } from "./agents";
import { GuardrailSettings, readGuardrails } from "./guardrails";
import { isProductionStack } from "./production";
import { GcpRuntimeSettings, readGcpRuntime, runtimeDerivations } from "./gcpRuntime";
import { KubernetesSettings, readKubernetes } from "./kubernetes";
import { LitellmProxySettings, readLitellmProxy } from "./litellm";
import { ConfigProblem, ConfigReader, KeyDeclaration, formatProblem } from "./reader";
import { readAlternatingUserNames, readRotationPeriods } from "./rotation";

import { BackendConfigs, operatorWritesValues, readBackendAccess, readBackendConfigs } from "./backends";
import { checkIdentities } from "./identities";
import type { BackendAccessMode } from "../backends/backend";
import { AdoptionSettings, adoptedValueKey, readAdoption } from "./adoption";

export { GcpRuntimeSettings } from "./gcpRuntime";
export { PRODUCTION_STACKS, isProductionStack } from "./production";
export { AGENT_STORES, AgentSettings, AgentStore } from "./agents";

export * from "./backends";
export * from "./adoption";
export { ConfigProblem, formatProblem } from "./reader";
export { ChartLocation, KubernetesSettings } from "./kubernetes";
export { EndpointUrl, parseEndpointUrl, urlWithPassword } from "./endpointUrl";

const GCP_REGION = /^[a-z]+-[a-z]+[0-9]+$/;

/** Validated stack config, minus secret values. */
export interface PlatformSettings extends GuardrailSettings {
    readonly stack: string;
    /**
     * A production stack (`PRODUCTION_STACKS`, by stack name): every production guarantee applies,
     * whatever the config says.
     */
    readonly production: boolean;
    /** Environment name: labels, default prefixes. */
    readonly environment: string;
    readonly backend: BackendKind;
    readonly gcp: { readonly project: string; readonly region: string };
    /** Secret Manager ids are `<secretPrefix>-<key>`, or the bare key when it is empty. */
    readonly secretPrefix: string;
    readonly features: ReadonlySet<Feature>;
    readonly targets: ReadonlySet<Target>;
    /** Manual rotation generations, by secret key. */
    readonly rotations: Readonly<Record<string, number>>;
    /** Scheduled rotation period in days, by rotation class. */
    readonly rotationPeriods: Readonly<Record<RotationClass, number>>;
    /** Secret Manager replica locations; empty means automatic replication. */
    readonly replicationLocations: readonly string[];
    /** Keep data on delete: protected secrets, disabled (not destroyed) old versions. */
    readonly dataProtection: boolean;
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

/** Validates raw config values (project namespace stripped). Never throws on bad input. */
export function parseConfig(values: Readonly<Record<string, string>>, ctx: ParseContext): ParseResult {
    const base = ctx.contract ?? SECRET_CONTRACT;
    const r = new ConfigReader(values);
    const production = isProductionStack(ctx.stack);

    // A label value (and part of resource names) must start and end with a letter or digit.
    const environmentName = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
    const stackDefault = environmentName.test(ctx.stack) ? ctx.stack : "dev";
    const environment = r.string("environment", stackDefault, {
        pattern: environmentName,
        rule: "lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, at most 20 characters (it becomes a label value)",
        example: stackDefault,
    });
    const backend = r.choice<BackendKind>("backend", "gcp-secret-manager", BACKEND_KINDS);
    const gcpProjectDefault = ctx.gcpProjectFallback ?? "";
    const projectId = {
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        rule: "a GCP project id: 6 to 30 lowercase letters, digits and dashes",
        example: "my-llm-project",
    };
    const gcpProject = r.string("gcpProject", gcpProjectDefault, projectId);
    // The gcp:project fallback is the provider's key, so no reader call checks it.
    if (!r.isSet("gcpProject") && gcpProjectDefault !== "" && !projectId.pattern.test(gcpProjectDefault)) {
        r.problem(
            "gcpProject",
            `"${gcpProjectDefault}" (taken from gcp:project) is not valid: ${projectId.rule}`,
            `pulumi config set gcpProject ${projectId.example} (or correct gcp:project)`,
        );
    }
    const gcpRegion = r.string("gcpRegion", "us-central1", {
        pattern: GCP_REGION,
        rule: "a GCP region such as us-central1 or europe-west4",
        example: "europe-west4",
    });
    // Empty: the bare keys are the ids, as the Cloud Run guide creates them (docs/adoption.md).
    const secretPrefix = r.string("secretPrefix", `llm-${environment}`, {
        pattern: /^[A-Za-z0-9_-]{0,100}$/,
        rule: "Secret Manager ids allow only letters, digits, - and _ (at most 100 here, to leave room for the key)",
        example: `llm-${environment}`,
    });
    const features = r.stringList<Feature>("features", [], { choices: FEATURES, example: '["vllm","dex"]' });
    const targets = r.stringList<Target>("targets", ["cloudRun"], { choices: TARGETS, example: '["cloudRun","kubernetes"]' });
    const rotations = r.integerMap("rotations", "rotations: { litellm-master-key: 1 }");
    const rotationPeriods = readRotationPeriods(r);
    const replicationLocations = r.stringList("replicationLocations", [], {
        pattern: GCP_REGION,
        rule: "each must be a GCP region such as europe-west4",
        example: '["europe-west4","europe-west1"]',
    });
    const dataProtection = r.boolean("dataProtection", true);
    const bcryptCost = r.integer("bcryptCost", 10, { min: 10, max: 16 });

    const gcpRuntime = readGcpRuntime(r, { production, targets, dataProtection });
    const guardrails = readGuardrails(r, {
        stack: ctx.stack,
        production,
        backend,
        cloudRunSecretVersions: gcpRuntime.litellm.secretVersions,
    });
    const runtimeDerived = runtimeDerivations(gcpRuntime);
    const agents = readAgents(r, { contract: base, features: new Set(features), targets: new Set(targets), gcpRuntime });
    // Everything below checks against the contract with the agents in it (their own rows too).
    const contract = withAgents(base, agents);

    const settingValues: Record<string, string> = { ...readAlternatingUserNames(r, contract) };
    for (const spec of contract) {
        if (spec.source.kind === "setting") {
            settingValues[spec.source.configKey] = r.string(spec.source.configKey, spec.source.default, {
                pattern: /^[A-Za-z0-9._@-]{1,63}$/,
                rule: "1 to 63 letters, digits, '.', '_', '@' or '-'",
                example: spec.source.default,
            });
        }
    }

    if (backend === "gcp-secret-manager" && gcpProject === "" && !r.isSet("gcpProject")) {
        r.problem(
            "gcpProject",
            'is required with backend "gcp-secret-manager"',
            "pulumi config set gcpProject <your-project-id> (or set gcp:project)",
        );
    }
    if (targets.includes("cloudRun") && backend !== "gcp-secret-manager") {
        r.problem(
            "targets",
            `Cloud Run reads secrets only from Secret Manager, but backend is "${backend}"`,
            "remove cloudRun from targets, or pulumi config set backend gcp-secret-manager",
        );
    }
    if (production && !dataProtection) {
        r.problem(
            "dataProtection",
            `stack "${ctx.stack}" is production and must keep its data: protection cannot be turned off`,
            "pulumi config rm dataProtection",
        );
    }

    const backendAccess = readBackendAccess(r, backend);
    const backends = readBackendConfigs(r, { environment, backend, targets, dataProtection, rotations, contract, access: backendAccess });
    // The operator makes the source values: nothing is generated or taken from config here.
    const valuesFromOperator = operatorWritesValues(backend, backends);

    const featureSet = new Set(features);
    const targetSet = new Set(targets);
    const kubernetes = readKubernetes(r, {
        contract,
        features: featureSet,
        targets: targetSet,
        ...(gcpRuntime.enabled
            ? { runtime: { cloudSqlPrivateIp: gcpRuntime.cloudSql.privateIp, networkAdopted: gcpRuntime.network.existing !== undefined } }
            : {}),
    });
    checkIdentities(r, {
        backend,
        gcpProject,
        kubernetes,
        backends,
        contract,
        adoptedServiceAccount: gcpRuntime.litellm.serviceAccountEmail,
    });
    const active = activeSecrets(contract, featureSet, targetSet, runtimeDerived);
    const litellmRuns = gcpRuntime.enabled || readsOnKubernetes(active, "litellm");
    const litellmProxy = readLitellmProxy(r, { vllmOn: featureSet.has("vllm"), litellmRuns });

    // Provided secrets: declared whether or not their feature is on, required only when it is.
    const activeKeys = new Set(active.map((a) => a.spec.key));
    for (const { spec, source } of providedRows(contract)) {
        const { configKey, issuer } = source;
        const isSet = r.secretIsSet(configKey);
        const why = spec.requires.map((f) => `"${f}"`).join(" and ");
        const fix = `pulumi config set --secret ${configKey} <value from ${issuer}>`;
        if (activeKeys.has(spec.key) && !isSet && !valuesFromOperator) {
            r.problem(configKey, `${spec.key} is needed because feature ${why} is on`, fix);
        } else if (activeKeys.has(spec.key) && r.isBlank(configKey)) {
            r.problem(configKey, `${spec.key} is set but empty`, fix);
        } else if (isSet && ctx.secretKeys && !ctx.secretKeys.has(configKey)) {
            r.problem(configKey, "is stored in plain text in the stack file", `${fix} (re-set it as a secret)`);
        }
    }

    const adoption = readAdoption(r, {
        contract,
        activeKeys,
        features: featureSet,
        rotations,
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

    for (const [key, generation] of Object.entries(rotations)) {
        if (valuesFromOperator) {
            if (generation === 0) {
                continue; // the first generation: nothing to rotate either way
            }
            r.problem(
                `rotations.${key}`,
                "the operator writes the source values (kubernetesSourceValues: operator), so the program rotates none",
                `remove the entry and replace the Secret ${key} in ${backends.kubernetesSource.namespace} yourself`,
            );
            continue;
        }
        const spec = contract.find((s) => s.key === key);
        if (spec === undefined) {
            r.problem(`rotations.${key}`, "names no secret of the contract", "use a key listed by npm run plan, or remove the entry");
        } else if (spec.neverRotate !== undefined) {
            r.problem(`rotations.${key}`, `${key} never rotates silently: ${spec.neverRotate.replace(/\.$/, "")}`, "remove the entry");
        } else if (!isRotatable(spec)) {
            const how =
                spec.source.kind === "provided"
                    ? `rotate it at its issuer, then pulumi config set --secret ${spec.source.configKey} <new value>`
                    : "it follows the value it is derived from: rotate that one";
            r.problem(`rotations.${key}`, `${key} is not generated here (generation ${generation} cannot apply)`, how);
        } else if (!activeKeys.has(key)) {
            const off = spec.requires
                .filter((f) => !featureSet.has(f))
                .map((f) => `"${f}"`)
                .join(" and ");
            r.problem(
                `rotations.${key}`,
                `${key} does not exist in this stack (feature ${off} is off), so the entry would do nothing`,
                `remove the entry, or add ${off} to features`,
            );
        }
    }

    const settings: PlatformSettings = Object.freeze({
        stack: ctx.stack,
        production,
        environment,
        backend,
        gcp: Object.freeze({ project: gcpProject, region: gcpRegion }),
        secretPrefix,
        features: featureSet,
        targets: targetSet,
        rotations: Object.freeze(rotations),
        rotationPeriods: Object.freeze(rotationPeriods),
        replicationLocations: Object.freeze(replicationLocations),
        dataProtection,
        bcryptCost,
        ...guardrails,
        settingValues: Object.freeze(settingValues),
        kubernetes,
        gcpRuntime,
        derivations,
        backends,
        adoption,
        backendAccess,
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
