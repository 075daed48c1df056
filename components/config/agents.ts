/**
 * `agents`: the agent services built on the platform (FastAgentic services, the general secrets
 * guide's "agent"), each reading exactly the secrets it names. Read and validated here, every
 * problem reported with its key and fix; the contract rows follow in `components/agents/`.
 */
import { AGENT_PROVIDER_KEYS, AGENT_SECRET_NAME } from "../agents/guide";
import { consumerWorkloads } from "../contract/queries";
import { Feature, SecretSpec, Target } from "../contract/types";
import { CLOUD_RUN_CPUS, GcpRuntimeSettings } from "./gcpRuntime";
import {
    IAM_PRINCIPAL_SOURCE,
    IMAGE_NAME_SOURCE,
    K8S_NAME,
    MEMORY_SIZE,
    SHORT_NAME,
    isObject,
    isOneOf,
    isReservedMember,
    isWholeNumber,
    registryCloudRunRefuses,
} from "./patterns";
import { ConfigReader } from "./reader";
import { AGENT_STORES, AgentOnCloudRun, AgentSettings, AgentStore } from "../agents/settings";

export { AGENT_STORES };
export type { AgentOnCloudRun, AgentOnKubernetes, AgentSettings, AgentStore } from "../agents/settings";

const EXAMPLE =
    "agents: [{ name: research-agent, cloudRun: { image: <registry>/<path>:<tag> }, providerKeys: [openai-api-key], durableStore: redis }]";
/** Pulumi.yaml's section of this key. */
export const AGENTS_AREA = "Agents";

/** An image with a tag or a digest. */
const IMAGE = new RegExp(`^${IMAGE_NAME_SOURCE}(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$`);
const FIELDS = ["name", "cloudRun", "kubernetes", "providerKeys", "durableStore"];
const CLOUD_RUN_FIELDS = ["image", "cpu", "memory", "minInstances", "maxInstances", "invokers"];
/** The members litellmInvokers accepts: an agent is never public (allUsers is refused). */
const MEMBER = new RegExp(`^${IAM_PRINCIPAL_SOURCE}$`);

export interface AgentsContext {
    /** The contract without agents: provider rows, and the workloads an agent may not shadow. */
    readonly contract: readonly SecretSpec[];
    readonly features: ReadonlySet<Feature>;
    readonly targets: ReadonlySet<Target>;
    readonly gcpRuntime: GcpRuntimeSettings;
}

/** Reads `agents`; problems go to the reader, and a broken entry is left out. */
export function readAgents(reader: ConfigReader, ctx: AgentsContext): AgentSettings[] {
    const r = reader.inArea(AGENTS_AREA);
    const agents: AgentSettings[] = [];
    // Workload and service names the contract already uses: an agent of that name would share its grants.
    const taken = consumerWorkloads(ctx.contract);
    const seenNames = new Set<string>();
    const namespaces = new Map<string, string>();
    // A broken targets list is its own problem: an agent is not told its target is off because of it.
    const targets = r.problems.some((p) => p.key === "targets") ? new Set<Target>(["cloudRun", "kubernetes"]) : ctx.targets;
    r.list("agents", EXAMPLE).forEach((raw, i) => {
        const at = `agents[${i}]`;
        if (!isObject(raw)) {
            r.problem(
                at,
                "must be a map with name, cloudRun or kubernetes, providerKeys and durableStore",
                `in Pulumi.<stack>.yaml: ${EXAMPLE}`,
            );
            return;
        }
        const name = typeof raw.name === "string" ? raw.name : "";
        const key = SHORT_NAME.test(name) ? `agents.${name}` : at;
        const problems = r.problems.length;
        const problem = (field: string, message: string, fix: string) => r.problem(`${key}.${field}`, message, fix);
        for (const field of Object.keys(raw).filter((f) => !FIELDS.includes(f))) {
            problem(field, `is not an agent field; expected ${FIELDS.join(", ")}`, "remove or correct it");
        }

        if (!SHORT_NAME.test(name)) {
            problem(
                "name",
                `${JSON.stringify(raw.name ?? null)} is not valid: 1 to 20 lowercase letters, digits and dashes, a letter first`,
                "name: research-agent",
            );
        } else if (seenNames.has(name)) {
            problem("name", "is listed twice", "give each agent its own name");
        } else if (taken.has(name)) {
            problem("name", `"${name}" is a workload of the platform itself, whose secrets it would share`, "choose another name");
        }
        seenNames.add(name);

        const providerKeys = readProviderKeys(raw.providerKeys, ctx, problem);
        const durableStore = raw.durableStore ?? "none";
        if (!isOneOf(durableStore, AGENT_STORES)) {
            problem("durableStore", `${JSON.stringify(durableStore)} is not one of ${AGENT_STORES.join(", ")}`, "durableStore: redis");
        } else if (durableStore !== "none" && !ctx.gcpRuntime.enabled) {
            problem(
                "durableStore",
                `${durableStore} is the platform's ${durableStore === "redis" ? "Memorystore" : "Cloud SQL"}, which exists only with gcpRuntime`,
                "pulumi config set gcpRuntime true, or durableStore: none",
            );
        }

        if (providerKeys.length === 0 && durableStore === "none") {
            problem(
                "providerKeys",
                "the agent reads no secret (no provider key, durableStore none), so there is nothing to wire",
                "list the provider keys it reads, or give it a durableStore",
            );
        }

        let runsOn: AgentSettings["runsOn"] | undefined;
        if ((raw.cloudRun === undefined) === (raw.kubernetes === undefined)) {
            problem(
                "cloudRun",
                "an agent runs in one place: set cloudRun or kubernetes, not both or neither",
                "cloudRun: { image: <image> } or kubernetes: { namespace: <namespace> }",
            );
        } else if (raw.cloudRun !== undefined) {
            runsOn = readCloudRun(raw.cloudRun, { ...ctx, targets }, problem);
        } else {
            const ns = isObject(raw.kubernetes) ? raw.kubernetes.namespace : undefined;
            if (!targets.has("kubernetes")) {
                problem("kubernetes", "the kubernetes target is off", "add kubernetes to targets, or run the agent on cloudRun");
            }
            if (typeof ns !== "string" || !K8S_NAME.pattern.test(ns)) {
                problem(
                    "kubernetes.namespace",
                    `${JSON.stringify(ns ?? null)} is not a Kubernetes namespace name`,
                    "kubernetes: { namespace: agents }",
                );
            } else if (namespaces.has(ns)) {
                problem(
                    "kubernetes.namespace",
                    `${ns} already holds ${namespaces.get(ns)}'s ${AGENT_SECRET_NAME}: the guide's Secret name is one per namespace`,
                    "give each Kubernetes agent its own namespace",
                );
            } else {
                namespaces.set(ns, name);
                if (durableStore === "postgres" && !ctx.gcpRuntime.cloudSql.privateIp) {
                    problem(
                        "durableStore",
                        "postgres on Kubernetes connects to Cloud SQL's private IP, but cloudSqlPrivateIp is off",
                        "pulumi config set cloudSqlPrivateIp true, or durableStore: redis or none",
                    );
                }
                runsOn = { kind: "kubernetes", namespace: ns };
            }
        }
        if (runsOn !== undefined && r.problems.length === problems) {
            agents.push(
                Object.freeze({
                    name,
                    runsOn: Object.freeze(runsOn),
                    providerKeys: Object.freeze(providerKeys),
                    durableStore: durableStore as AgentStore,
                }),
            );
        }
    });
    return agents;
}

type Report = (field: string, message: string, fix: string) => void;

function readProviderKeys(raw: unknown, ctx: AgentsContext, problem: Report): string[] {
    const allowed = Object.keys(AGENT_PROVIDER_KEYS);
    if (raw === undefined) {
        return [];
    }
    if (!Array.isArray(raw) || raw.some((k) => typeof k !== "string")) {
        problem("providerKeys", "must be a list of contract keys", `providerKeys: [${allowed.join(", ")}]`);
        return [];
    }
    const keys = raw as string[];
    for (const k of keys) {
        const spec = ctx.contract.find((s) => s.key === k);
        if (!allowed.includes(k) || spec === undefined) {
            problem(
                "providerKeys",
                `"${k}" is not a provider key an agent reads; expected any of ${allowed.join(", ")}`,
                "remove or correct it",
            );
        } else {
            const off = spec.requires.filter((f) => !ctx.features.has(f));
            if (off.length > 0) {
                problem(
                    "providerKeys",
                    `${k} exists only with feature ${off.join(" and ")}, which is off`,
                    `add ${off.join(" and ")} to features, or remove ${k}`,
                );
            }
        }
    }
    if (new Set(keys).size !== keys.length) {
        problem("providerKeys", "lists a key more than once", "list each key once");
    }
    return keys;
}

function readCloudRun(raw: unknown, ctx: AgentsContext, problem: Report): AgentOnCloudRun | undefined {
    if (!ctx.targets.has("cloudRun")) {
        problem("cloudRun", "the cloudRun target is off", "add cloudRun to targets, or run the agent on kubernetes");
    }
    if (!isObject(raw)) {
        problem(
            "cloudRun",
            "must be a map with image and, optionally, cpu, memory, minInstances and maxInstances",
            "cloudRun: { image: <registry>/<path>:<tag> }",
        );
        return undefined;
    }
    for (const field of Object.keys(raw).filter((f) => !CLOUD_RUN_FIELDS.includes(f))) {
        problem(`cloudRun.${field}`, `is not a Cloud Run field; expected ${CLOUD_RUN_FIELDS.join(", ")}`, "remove or correct it");
    }
    const { image } = raw;
    if (typeof image !== "string" || !IMAGE.test(image)) {
        problem(
            "cloudRun.image",
            `${JSON.stringify(image ?? null)} is not a container image with a tag or digest`,
            "image: <region>-docker.pkg.dev/<project>/<repository>/<agent>:<tag>",
        );
    } else if (registryCloudRunRefuses(image) !== undefined) {
        problem(
            "cloudRun.image",
            `Cloud Run pulls only from Artifact Registry, Container Registry or Docker Hub, not ${registryCloudRunRefuses(image)}`,
            "mirror it through an Artifact Registry remote repository",
        );
    }
    // FastAgentic's Cloud Run example deploys with --cpu 2 --memory 2Gi.
    const cpu = raw.cpu ?? "2";
    if (!isOneOf(cpu, CLOUD_RUN_CPUS)) {
        problem(
            "cloudRun.cpu",
            `${JSON.stringify(cpu)} is not a Cloud Run CPU limit; expected one of ${CLOUD_RUN_CPUS.join(", ")}`,
            'cpu: "2"',
        );
    }
    const memory = raw.memory ?? "2Gi";
    if (typeof memory !== "string" || !MEMORY_SIZE.pattern.test(memory)) {
        problem("cloudRun.memory", `${JSON.stringify(memory)} is not ${MEMORY_SIZE.rule}`, "memory: 2Gi");
    }
    const count = (field: string, dflt: number, max: number): number => {
        const v = raw[field] ?? dflt;
        if (!isWholeNumber(v, max)) {
            problem(`cloudRun.${field}`, `${JSON.stringify(v)} is not a whole number from 0 to ${max}`, `${field}: ${dflt}`);
            return dflt;
        }
        return v;
    };
    const minInstances = count("minInstances", 0, 100);
    const maxInstances = count("maxInstances", 4, 1000);
    if (maxInstances < 1 || minInstances > maxInstances) {
        problem(
            "cloudRun.maxInstances",
            `${maxInstances} must be at least 1 and at least minInstances (${minInstances})`,
            `maxInstances: ${Math.max(1, minInstances)}`,
        );
    }
    const invokers = raw.invokers ?? [];
    if (!Array.isArray(invokers) || invokers.some((m) => typeof m !== "string" || !MEMBER.test(m))) {
        problem(
            "cloudRun.invokers",
            "must be a list of IAM members such as group:<a Google group> (an agent is never public)",
            'invokers: ["group:<a Google group>"]',
        );
    } else if (invokers.some(isReservedMember)) {
        // As litellmInvokers: IAM refuses a binding to a member that cannot exist.
        problem(
            "cloudRun.invokers",
            `${invokers.filter(isReservedMember).join(", ")}: an example member (a reserved domain)`,
            'invokers: ["group:<a real Google group>"]',
        );
    }
    return {
        kind: "cloudRun",
        invokers: Array.isArray(invokers) ? invokers.filter((m): m is string => typeof m === "string" && MEMBER.test(m)) : [],
        image: String(image),
        cpu: cpu as AgentOnCloudRun["cpu"],
        memory: String(memory),
        minInstances,
        maxInstances,
    };
}
