/** Keys issued by outside providers (model APIs, tracing, tools, DNS, model weights): set, never generated. */
import { SecretSpec } from "../types";
import { k8s, litellmEnv, provided } from "./build";

/** Keys of these rows that code outside the table refers to (LiteLLM's proxy config). */
export const PROVIDER_KEYS = {
    openai: "openai-api-key",
    anthropic: "anthropic-api-key",
    langfusePublic: "langfuse-public-key",
    langfuseSecret: "langfuse-secret-key",
} as const;

export const PROVIDER_ROWS: readonly SecretSpec[] = [
    {
        key: PROVIDER_KEYS.openai,
        description: "OpenAI API key LiteLLM routes OpenAI models with.",
        component: "litellm",
        source: provided("openaiApiKey", "OpenAI (platform.openai.com, API keys)"),
        requires: ["openai"],
        consumers: [
            litellmEnv("OPENAI_API_KEY"),
            // Beyond the platform guide's table: LiteLLM's provider keys on the cluster, by the
            // env var names the provider-keys guide stores for it (shared/seeds/000, "External
            // Secrets Operator": OPENAI_API_KEY and ANTHROPIC_API_KEY), loaded whole as env.
            k8s("litellm", "openai-api-key", "OPENAI_API_KEY", "litellm"),
        ],
    },
    {
        key: PROVIDER_KEYS.anthropic,
        description: "Anthropic API key LiteLLM routes Claude models with.",
        component: "litellm",
        source: provided("anthropicApiKey", "Anthropic (console.anthropic.com, API keys)"),
        requires: ["anthropic"],
        consumers: [
            litellmEnv("ANTHROPIC_API_KEY"),
            k8s("litellm", "anthropic-api-key", "ANTHROPIC_API_KEY", "litellm"),
            // agentgateway reads the backend's key from the Secret's Authorization key and strips
            // an optional "Bearer " (agentgateway controller/pkg/utils/kubeutils/secrets.go,
            // GetSecretDataAuth); the Anthropic provider sends it as its own header: the raw key.
            k8s("agentgateway-system", "anthropic-api-key", "Authorization", "agentgateway"),
        ],
    },
    {
        key: PROVIDER_KEYS.langfusePublic,
        description: "Langfuse project public key for LiteLLM's trace callback.",
        component: "litellm",
        source: provided("langfusePublicKey", "Langfuse (project settings, API keys)"),
        requires: ["langfuse"],
        consumers: [
            litellmEnv("LANGFUSE_PUBLIC_KEY"),
            // Beyond the platform guide's table: LiteLLM's Langfuse callback reads these env vars
            // (docs.litellm.ai, observability/langfuse_integration), as the Cloud Run guide sets.
            k8s("litellm", "langfuse-keys", "LANGFUSE_PUBLIC_KEY", "litellm"),
        ],
    },
    {
        key: PROVIDER_KEYS.langfuseSecret,
        description: "Langfuse project secret key for LiteLLM's trace callback.",
        component: "litellm",
        source: provided("langfuseSecretKey", "Langfuse (project settings, API keys)"),
        requires: ["langfuse"],
        consumers: [litellmEnv("LANGFUSE_SECRET_KEY"), k8s("litellm", "langfuse-keys", "LANGFUSE_SECRET_KEY", "litellm")],
    },
    // The Cloud Run guide's tool keys (shared/seeds/002, Step 1 "Optional Observability Keys" and
    // Step 3 --set-secrets CONTEXT7_API_KEY / TAVILY_API_KEY): Cloud Run only, as the guide has it.
    {
        key: "context7-api-key",
        description: "Context7 API key the Cloud Run guide gives the LiteLLM proxy (CONTEXT7_API_KEY).",
        component: "litellm",
        source: provided("context7ApiKey", "Context7 (context7.com dashboard, API keys)"),
        requires: ["context7"],
        consumers: [litellmEnv("CONTEXT7_API_KEY")],
    },
    {
        key: "tavily-api-key",
        description: "Tavily API key the Cloud Run guide gives the LiteLLM proxy (TAVILY_API_KEY).",
        component: "litellm",
        source: provided("tavilyApiKey", "Tavily (app.tavily.com, API keys)"),
        requires: ["tavily"],
        consumers: [litellmEnv("TAVILY_API_KEY")],
    },
    {
        key: "cloudflare-api-token",
        description: "Cloudflare API token (Zone DNS edit) for DNS-01 certificates and public DNS.",
        component: "cert-manager",
        source: provided("cloudflareApiToken", "Cloudflare (My Profile, API Tokens)"),
        requires: ["cloudflare"],
        consumers: [
            k8s("external-dns", "cloudflare-api-token", "api-token", "external-dns"),
            k8s("cert-manager", "cloudflare-api-token", "api-token", "cert-manager"),
        ],
    },
    {
        key: "hf-token",
        description: "Hugging Face token KServe downloads gated model weights with.",
        component: "kserve",
        source: provided("hfToken", "Hugging Face (Settings, Access Tokens)"),
        requires: ["huggingface"],
        consumers: [k8s("kserve", "hf-token", "token", "kserve")],
    },
];
