/**
 * The contract with the stack's agents in it: each agent becomes a reader of the provider keys it
 * names (a consumer on their existing rows) and gets its own rows for its durable store. Pure: the
 * same table and agents give the same rows, so config validation, the program and the docs agree.
 */
import type { AgentSettings } from "./settings";
import { Consumer, SecretSpec } from "../contract/types";
import { AGENT_DURABLE_STORE, AGENT_PROVIDER_KEYS, AGENT_SECRET_NAME, AgentSlot } from "./guide";

/** Backend key of an agent's durable store URL (its own row, never LiteLLM's `database-url`). */
export const agentStoreUrlKey = (agent: string): string => `agent-${agent}-database-url`;
/** Backend key of the password of an agent's own Cloud SQL user. */
export const agentDbPasswordKey = (agent: string): string => `agent-${agent}-db-password`;
/** An agent's own PostgreSQL database and user (identifiers: letters, digits and `_`). */
export const agentDbName = (agent: string): string => `agent_${agent.replace(/-/g, "_")}`;

/** How an agent reads one value: a Cloud Run env var, or a key of its namespace's `agent-secrets`. */
export function agentConsumer(agent: AgentSettings, slot: AgentSlot): Consumer {
    return agent.runsOn.kind === "cloudRun"
        ? { kind: "cloudRunEnv", service: agent.name, env: slot.env }
        : {
              kind: "kubernetesSecret",
              namespace: agent.runsOn.namespace,
              secretName: AGENT_SECRET_NAME,
              key: slot.secretKey,
              workload: agent.name,
              env: slot.env,
          };
}

/** The rows an agent's durable store adds: none, the Memorystore URL, or its own Cloud SQL login. */
function storeRows(agent: AgentSettings): SecretSpec[] {
    const reader = [agentConsumer(agent, AGENT_DURABLE_STORE)];
    const component = agent.name;
    switch (agent.durableStore) {
        case "none":
            return [];
        case "redis":
            // Memorystore for Redis has AUTH but no ACL users: the instance's AUTH string is the
            // only login it offers, so the agent's URL carries it (docs/agents.md).
            return [
                {
                    key: agentStoreUrlKey(agent.name),
                    description: `Durable store of agent ${agent.name}: the platform's Memorystore Redis.`,
                    component,
                    source: {
                        kind: "derived",
                        from: "memorystore-url",
                        description:
                            "redis://:<AUTH string>@<host>:<port>, rediss:// with in-transit encryption; the AUTH string percent-encoded",
                    },
                    requires: [],
                    consumers: reader,
                },
            ];
        case "postgres": {
            const where =
                agent.runsOn.kind === "cloudRun"
                    ? "localhost:5432/<database>?host=/cloudsql/<connection name>"
                    : "<private IP>:5432/<database>?sslmode=require";
            return [
                {
                    key: agentDbPasswordKey(agent.name),
                    description: `Password of agent ${agent.name}'s own Cloud SQL user.`,
                    component,
                    source: { kind: "generated", length: 32, charset: "alphanumeric" },
                    requires: [],
                    consumers: [],
                    rotation: "database-password",
                },
                {
                    key: agentStoreUrlKey(agent.name),
                    description: `Durable store of agent ${agent.name}: its own database and user on the platform's Cloud SQL.`,
                    component,
                    source: {
                        kind: "derived",
                        from: "agent-database-url",
                        description: `postgresql://${agentDbName(agent.name)}:<${agentDbPasswordKey(agent.name)}>@${where}, percent-encoded; follows ${agentDbPasswordKey(agent.name)}`,
                        follows: [agentDbPasswordKey(agent.name)],
                    },
                    requires: [],
                    consumers: reader,
                },
            ];
        }
    }
}

/** `contract` with every agent reading the provider keys it names, and each agent's own rows appended. */
export function withAgents(contract: readonly SecretSpec[], agents: readonly AgentSettings[]): SecretSpec[] {
    if (agents.length === 0) {
        return [...contract];
    }
    const rows = contract.map((spec) => {
        const slot = AGENT_PROVIDER_KEYS[spec.key];
        const readers = slot === undefined ? [] : agents.filter((a) => a.providerKeys.includes(spec.key));
        return readers.length === 0 ? spec : { ...spec, consumers: [...spec.consumers, ...readers.map((a) => agentConsumer(a, slot))] };
    });
    return [...rows, ...agents.flatMap(storeRows)];
}

/**
 * One table from several stacks' contracts (each the shared table plus that stack's agents), for
 * the docs: rows in order of first appearance, each with every stack's readers once.
 */
export function mergeContracts(contracts: readonly (readonly SecretSpec[])[]): SecretSpec[] {
    const rows = new Map<string, SecretSpec>();
    for (const contract of contracts) {
        for (const spec of contract) {
            const seen = rows.get(spec.key);
            if (seen === undefined) {
                rows.set(spec.key, spec);
                continue;
            }
            const known = new Set(seen.consumers.map((c) => JSON.stringify(c)));
            const added = spec.consumers.filter((c) => !known.has(JSON.stringify(c)));
            if (added.length > 0) {
                rows.set(spec.key, { ...seen, consumers: [...seen.consumers, ...added] });
            }
        }
    }
    return [...rows.values()];
}
