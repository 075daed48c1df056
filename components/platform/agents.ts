/**
 * Agents wired from validated config: each agent with a Postgres store gets its own database and
 * user on the platform's Cloud SQL (the value of its own derived row), and each agent on Cloud Run
 * a service running as its own account, after that account's per-secret grants, with every secret
 * env var a `secretKeyRef` from the contract. Agents on Kubernetes need nothing here: the contract
 * gives them `agent-secrets` like any other reader (components/k8s/).
 */
import * as pulumi from "@pulumi/pulumi";

import { PlatformSettings } from "../config";
import { AgentSettings } from "../config/agents";
import { CloudSqlClientGrant, iamPropagationWait } from "../grants";
import { cloudRunServiceName, labelValue } from "../naming";
import { CloudRunService } from "../run/cloudRunService";
import { CloudRunWiring, GcpData, cloudRunPrincipalName, cloudRunSecretEnv } from "./run";
import { agentDbName, agentDbPasswordKey, agentStoreUrlKey } from "../agents/contract";
import { AgentDatabase } from "../agents/database";
import { AGENT_HEALTH_PATH, AGENT_PORT } from "../agents/guide";

export interface AgentStores {
    readonly databases: Readonly<Record<string, AgentDatabase>>;
    /** Values of the agents' `agent-database-url` rows, by contract key; each a Pulumi secret. */
    readonly urls: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Each Postgres-backed agent's own database and user (none without the GCP runtime). */
export function createAgentStores(
    config: PlatformSettings,
    data: GcpData | undefined,
    values: Readonly<Record<string, pulumi.Output<string>>>,
    /** Options of every Google resource (waiting for the APIs). @default {} */
    opts: pulumi.ComponentResourceOptions = {},
): AgentStores {
    const databases: Record<string, AgentDatabase> = {};
    const urls: Record<string, pulumi.Output<string>> = {};
    for (const agent of config.agents.filter((a) => a.durableStore === "postgres")) {
        const password = values[agentDbPasswordKey(agent.name)];
        if (data === undefined || password === undefined) {
            // Config validation refuses this; kept for callers that bypass it.
            throw new pulumi.RunError(
                `agent ${agent.name} keeps its state in Postgres, which needs gcpRuntime and ${agentDbPasswordKey(agent.name)}`,
            );
        }
        const db = new AgentDatabase(
            `agent-${agent.name}-db`,
            {
                project: config.gcp.project,
                instanceName: data.postgres.instanceName,
                connectionName: data.postgres.connectionName,
                privateAddress: data.postgres.privateAddress,
                name: agentDbName(agent.name),
                password,
                access: agent.runsOn.kind === "cloudRun" ? "connector" : "privateIp",
                dataProtection: config.dataProtection,
            },
            opts,
        );
        databases[agent.name] = db;
        urls[agentStoreUrlKey(agent.name)] = db.url;
    }
    return { databases, urls };
}

export interface AgentServices {
    readonly services: Readonly<Record<string, CloudRunService>>;
    readonly cloudSqlGrants: Readonly<Record<string, CloudSqlClientGrant>>;
}

/** The Cloud Run agents: each runs as its own principal, after that principal's grants. */
export function createAgentServices(w: Omit<CloudRunWiring, "data"> & { readonly data?: GcpData }): AgentServices {
    const opts = w.opts ?? {};
    const propagationSeconds = w.config.gcpRuntime.litellm.iamPropagationSeconds;
    const services: Record<string, CloudRunService> = {};
    const cloudSqlGrants: Record<string, CloudSqlClientGrant> = {};
    for (const agent of w.config.agents) {
        if (agent.runsOn.kind !== "cloudRun") {
            continue;
        }
        const principalName = cloudRunPrincipalName(agent.name);
        const principal = w.principals[principalName];
        const grants = w.grants[principalName];
        const usesData = agent.durableStore !== "none" && w.data !== undefined;
        const postgres = agent.durableStore === "postgres" && w.data !== undefined ? w.data.postgres : undefined;
        if (principal?.email === undefined) {
            throw new pulumi.RunError(`agent ${agent.name} has no service account`);
        }
        const waitFor: pulumi.Resource[] = [...(grants?.grants ?? [])];
        if (postgres !== undefined) {
            cloudSqlGrants[principalName] = new CloudSqlClientGrant(
                `${principalName}-cloudsql-client`,
                {
                    project: w.config.gcp.project,
                    principal,
                    instanceName: postgres.instanceName,
                },
                opts,
            );
            waitFor.push(cloudSqlGrants[principalName]);
        }
        // As LiteLLM's: the revision waits until its grants are effective.
        waitFor.push(
            ...iamPropagationWait(
                principalName,
                propagationSeconds,
                { member: principal.member, secretKeys: grants?.secretKeys ?? [], instance: postgres?.instanceName ?? "" },
                waitFor,
            ),
        );
        services[agent.name] = new CloudRunService(
            agent.name,
            {
                project: w.config.gcp.project,
                region: w.config.gcp.region,
                serviceName: cloudRunServiceName(w.config.environment, agent.name),
                image: agent.runsOn.image,
                serviceAccountEmail: principal.email,
                secretEnv: cloudRunSecretEnv(w.active, w.stored, w.backend, agent.name, w.config.gcpRuntime.litellm.secretVersions),
                cloudSqlInstances: postgres === undefined ? [] : [postgres.connectionName],
                // Memorystore and a private Cloud SQL are reachable only through the VPC.
                ...(usesData && w.data !== undefined
                    ? { vpc: { network: w.data.network.networkId, subnetwork: w.data.network.subnetworkId } }
                    : {}),
                waitFor,
                containerPort: AGENT_PORT,
                healthPath: AGENT_HEALTH_PATH,
                cpu: agent.runsOn.cpu,
                memory: agent.runsOn.memory,
                minInstances: agent.runsOn.minInstances,
                maxInstances: agent.runsOn.maxInstances,
                invokers: agent.runsOn.invokers,
                labels: agentLabels(w.config, agent),
            },
            opts,
        );
    }
    return { services, cloudSqlGrants };
}

const agentLabels = (config: PlatformSettings, agent: AgentSettings): Record<string, string> => ({
    environment: labelValue(config.environment),
    component: labelValue(agent.name),
    "managed-by": "pulumi",
});
