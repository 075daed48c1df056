/**
 * What LiteLLM's generated config needs beyond the contract: the vLLM server it routes to. Read
 * whether or not vLLM is on; required when it is and LiteLLM runs (on Cloud Run or the cluster).
 */
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys. */
export const LITELLM_ROUTES_AREA = "LiteLLM's model routes";

export interface LitellmProxySettings {
    /** The vLLM server and the model it serves; undefined when feature vllm is off or unset. */
    readonly vllm?: { readonly apiBase: string; readonly model: string };
}

export function readLitellmProxy(
    reader: ConfigReader,
    ctx: { readonly vllmOn: boolean; readonly litellmRuns: boolean },
): LitellmProxySettings {
    const r = reader.inArea(LITELLM_ROUTES_AREA);
    const apiBase = r.string("vllmApiBase", "", {
        // LiteLLM's hosted_vllm provider calls <api_base>/chat/completions: the OpenAI-compatible root.
        pattern: /^https?:\/\/[^\s/@]+(\/[^\s@]*)?\/v1$/,
        rule: "the OpenAI-compatible root URL of the vLLM server, ending in /v1, without credentials",
        example: "http://10.10.0.20:8000/v1",
    });
    const model = r.string("vllmModel", "", {
        pattern: /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/,
        rule: "the model name vLLM serves (its --served-model-name, else the model path)",
        example: "Qwen/Qwen2.5-7B-Instruct",
    });
    if (ctx.vllmOn && ctx.litellmRuns) {
        for (const [key, what, example] of [
            [
                "vllmApiBase",
                "the vLLM server LiteLLM routes to (reachable from Cloud Run's VPC egress and from the cluster)",
                "http://<internal load balancer of vLLM>:8000/v1",
            ],
            ["vllmModel", "the model vLLM serves, which LiteLLM's config lists", "<served model name>"],
        ] as const) {
            if (!r.isSet(key)) {
                r.problem(key, `is required with feature vllm: ${what}`, `pulumi config set ${key} ${example}`);
            }
        }
    }
    return Object.freeze(ctx.vllmOn && apiBase !== "" && model !== "" ? { vllm: Object.freeze({ apiBase, model }) } : {});
}
