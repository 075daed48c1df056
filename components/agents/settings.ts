/** The settings of an agent service, as `components/config/agents.ts` reads and validates them. */
import type { CloudRunCpu } from "../run/cloudRunService";

/** Where an agent keeps its durable state: the platform's Memorystore or Cloud SQL, or nowhere. */
export const AGENT_STORES = ["none", "redis", "postgres"] as const;
export type AgentStore = (typeof AGENT_STORES)[number];

/** An agent the program deploys on Cloud Run, as its own service account. */
export interface AgentOnCloudRun {
    readonly kind: "cloudRun";
    readonly image: string;
    readonly cpu: CloudRunCpu;
    readonly memory: string;
    readonly minInstances: number;
    readonly maxInstances: number;
    /** IAM members granted `roles/run.invoker` on the service; never public. */
    readonly invokers: readonly string[];
}

/** An agent its team deploys on the cluster: the program projects `agent-secrets` into its namespace. */
export interface AgentOnKubernetes {
    readonly kind: "kubernetes";
    readonly namespace: string;
}

export interface AgentSettings {
    /** Lowercase letters, digits and dashes: the Cloud Run service, workload and backend names follow it. */
    readonly name: string;
    readonly runsOn: AgentOnCloudRun | AgentOnKubernetes;
    /** Contract keys of the provider keys it reads (`openai-api-key`, `anthropic-api-key`). */
    readonly providerKeys: readonly string[];
    readonly durableStore: AgentStore;
}
