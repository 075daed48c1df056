/**
 * LiteLLM's proxy config (config.yaml) generated from the contract and the features, the same on
 * Cloud Run and on the cluster: no secret value in it, only `os.environ/<VAR>` references to the
 * env vars the contract delivers. Setting names are LiteLLM's (BerriAI/litellm):
 * - `model_list[].model_name` / `litellm_params.{model, api_base, api_key}`, `os.environ/` values
 *   resolved at load (litellm/proxy/proxy_server.py, ProxyConfig); `hosted_vllm/<model>` with
 *   `api_base` is the vLLM provider (docs/my-website/docs/providers/vllm.md); `<provider>/*` is
 *   provider wildcard routing (docs.litellm.ai/docs/wildcard_routing);
 * - `litellm_settings.cache: true` alone turns on the Redis cache (proxy_server.py: `if key ==
 *   "cache" and value is True`, type defaulting to "redis", host/port/password read from
 *   REDIS_HOST/REDIS_PORT/REDIS_PASSWORD; litellm/_redis.py adds every REDIS_<ARG> env var, so
 *   REDIS_SSL and REDIS_SSL_CA_DATA reach the client). Without it LiteLLM never reads REDIS_*;
 * - `litellm_settings.success_callback: ["langfuse"]` (reads LANGFUSE_PUBLIC_KEY/SECRET_KEY);
 * - `general_settings.master_key`, `general_settings.store_model_in_db`.
 */
import { LITELLM_KEYS, PROVIDER_KEYS } from "../contract";

/** Contract keys the config refers to (by the env var each target delivers them in). */
export const MODEL_KEYS = {
    vllm: LITELLM_KEYS.vllmApiKey,
    openai: PROVIDER_KEYS.openai,
    anthropic: PROVIDER_KEYS.anthropic,
} as const;
export const LANGFUSE_KEYS = [PROVIDER_KEYS.langfusePublic, PROVIDER_KEYS.langfuseSecret] as const;

export interface ProxyConfigArgs {
    /** The env var this LiteLLM reads contract key `specKey` from; undefined when not delivered. */
    readonly envOf: (specKey: string) => string | undefined;
    /** The env var holding the master key (the chart names it PROXY_MASTER_KEY itself). */
    readonly masterKeyEnv: string;
    /** The vLLM server, when feature vllm is on. */
    readonly vllm?: { readonly model: string; readonly apiBase: string };
    /** A Redis this LiteLLM reaches through REDIS_* env vars. */
    readonly redisCache: boolean;
}

const ref = (env: string): string => `os.environ/${env}`;

/** The config as a plain object (serialise with YAML). */
export function litellmProxyConfig(args: ProxyConfigArgs): Record<string, unknown> {
    const models: Record<string, unknown>[] = [];
    const vllmKey = args.envOf(MODEL_KEYS.vllm);
    if (args.vllm !== undefined && vllmKey !== undefined) {
        models.push({
            model_name: args.vllm.model,
            litellm_params: { model: `hosted_vllm/${args.vllm.model}`, api_base: args.vllm.apiBase, api_key: ref(vllmKey) },
        });
    }
    for (const provider of ["openai", "anthropic"] as const) {
        const env = args.envOf(MODEL_KEYS[provider]);
        if (env !== undefined) {
            models.push({ model_name: `${provider}/*`, litellm_params: { model: `${provider}/*`, api_key: ref(env) } });
        }
    }
    const litellmSettings: Record<string, unknown> = {
        ...(args.redisCache ? { cache: true } : {}),
        ...(LANGFUSE_KEYS.every((k) => args.envOf(k) !== undefined) ? { success_callback: ["langfuse"] } : {}),
    };
    return {
        model_list: models,
        ...(Object.keys(litellmSettings).length > 0 ? { litellm_settings: litellmSettings } : {}),
        general_settings: { master_key: ref(args.masterKeyEnv), store_model_in_db: true },
    };
}
