/**
 * The agents of the committed stacks, kept by hand from `Pulumi.prod.yaml` (dev has none): the
 * backend rows each adds and the Kubernetes Secret the cluster agent gets, as the tests that
 * count a stack's secrets expect them.
 */
export const AGENT_ROWS: Readonly<Record<string, readonly string[]>> = {
    dev: [],
    // research-agent (Cloud Run, Memorystore): its URL row; support-agent (cluster, Cloud SQL):
    // its password and its URL.
    prod: ["agent-research-agent-database-url", "agent-support-agent-db-password", "agent-support-agent-database-url"],
};

/** Rows of agents' own generated values, which get a rotation clock. */
export const AGENT_GENERATED: Readonly<Record<string, readonly string[]>> = {
    dev: [],
    prod: ["agent-support-agent-db-password"],
};

/** The guide's `agent-secrets` of the cluster agent: Secret key → backend key. */
export const AGENT_SECRETS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
    dev: {},
    prod: {
        "support-agents/agent-secrets": { "anthropic-api-key": "anthropic-api-key", "database-url": "agent-support-agent-database-url" },
    },
};
