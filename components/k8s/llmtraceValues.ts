/**
 * The LLMTrace chart wired to one existing Secret of URLs (LLMTRACE_*), which External Secrets
 * Operator assembles from the contract's passwords; the chart's own Secret is off.
 *
 * The chart's Bitnami sub-charts (clickhouse, postgresql, redis) stay off. Their passwords can
 * only be given here as plain values (`*.auth.password`, the only auth keys the chart defaults
 * list; `auth.existingSecret` is not among them), which would put a password in Helm values, or
 * left to chart defaults (`llmtrace`, empty, Redis auth off). So LLMTrace uses databases outside
 * the chart, whose URLs come from stack config and whose passwords come from the contract.
 */
import * as pulumi from "@pulumi/pulumi";

import { ProjectedSecret, secretsReadBy } from "./projection";
import { ROLLOUT_ANNOTATION } from "./rollout";

/** Keys the proxy needs in its Secret for the `production` storage profile. */
export const LLMTRACE_SECRET_KEYS = [
    "LLMTRACE_CLICKHOUSE_URL",
    "LLMTRACE_CLICKHOUSE_DATABASE",
    "LLMTRACE_POSTGRES_URL",
    "LLMTRACE_REDIS_URL",
] as const;

/** The one Secret `workload` reads (the chart loads it whole with envFrom); throws otherwise. */
export function llmtraceExistingSecret(secrets: readonly ProjectedSecret[], workload = "llmtrace"): string {
    const mine = secretsReadBy(secrets, workload);
    if (mine.length !== 1) {
        throw new Error(`${workload} reads its settings from exactly one Secret; the contract gives it ${mine.length}`);
    }
    const keys = new Set(mine[0].keys.map((k) => k.key));
    const missing = LLMTRACE_SECRET_KEYS.filter((k) => !keys.has(k));
    if (missing.length > 0) {
        throw new Error(`Secret ${mine[0].namespace}/${mine[0].secretName} lacks ${missing.join(", ")}`);
    }
    return mine[0].secretName;
}

export interface LlmtraceValuesArgs {
    readonly existingSecret: string;
    /** Checksum of the secret versions LLMTrace reads (see rollout.ts). */
    readonly rolloutChecksum: pulumi.Input<string>;
}

/** Values of the LLMTrace chart. Every path exists in the chart's values.yaml. */
export function llmtraceValues(args: LlmtraceValuesArgs): Record<string, unknown> {
    return {
        secrets: { create: false, existingSecret: args.existingSecret },
        clickhouse: { enabled: false },
        postgresql: { enabled: false },
        redis: { enabled: false },
        proxy: { podAnnotations: { [ROLLOUT_ANNOTATION]: args.rolloutChecksum } },
    };
}
