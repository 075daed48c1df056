/**
 * Names an agent service reads, as the general secrets guide writes them (seed 003, "Secrets
 * Management": the `.env` and `.env.example` blocks, the Deployment reading `agent-secrets`, and
 * `gcloud run deploy my-agent --set-secrets "OPENAI_API_KEY=openai-api-key:latest"`). Agents are
 * built on FastAgentic, whose durable store is the URL in `FASTAGENTIC_DURABLE_STORE`
 * (neul-labs/fastagentic, docs "Environment Variables Reference", "Durability").
 */

/** The Kubernetes Secret an agent's Deployment reads (`kubectl create secret generic agent-secrets`). */
export const AGENT_SECRET_NAME = "agent-secrets";

/** How an agent reads one value: its env var, and its key in `agent-secrets`. */
export interface AgentSlot {
    readonly env: string;
    readonly secretKey: string;
}

/**
 * The provider keys an agent may read, by contract key (which is also the guide's Secret Manager
 * name: `gcloud secrets create openai-api-key`).
 */
export const AGENT_PROVIDER_KEYS: Readonly<Record<string, AgentSlot>> = {
    "openai-api-key": { env: "OPENAI_API_KEY", secretKey: "openai-api-key" },
    "anthropic-api-key": { env: "ANTHROPIC_API_KEY", secretKey: "anthropic-api-key" },
};

/** The durable store URL: `FASTAGENTIC_DURABLE_STORE` from `agent-secrets[database-url]`. */
export const AGENT_DURABLE_STORE: AgentSlot = { env: "FASTAGENTIC_DURABLE_STORE", secretKey: "database-url" };

/**
 * FastAgentic's HTTP port and liveness path (neul-labs/fastagentic, docs "Kubernetes Deployment":
 * `containerPort: 8000`, `livenessProbe.httpGet.path: /health/live`). On Cloud Run the image runs
 * `fastagentic run --host 0.0.0.0 --port $PORT`, and Cloud Run sets PORT to the container port.
 */
export const AGENT_PORT = 8000;
export const AGENT_HEALTH_PATH = "/health/live";
