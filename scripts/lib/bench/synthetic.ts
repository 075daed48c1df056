/**
 * A contract `factor` times larger than a real one, for measuring how plan cost grows: every row
 * is copied `factor - 1` times under a suffixed key, with its own consumers (a suffixed Cloud Run
 * env var, a suffixed Kubernetes Secret read by a suffixed workload), so copies are real secrets with real grants and never
 * collide with each other or with the originals.
 */
import { Consumer, SecretSource, SecretSpec } from "../../../components/contract/types";

const suffixKey = (key: string, i: number): string => `${key}-s${i}`;

function copySource(source: SecretSource, i: number): SecretSource {
    // A copied hash hashes the copied password; every other source is copied as it is (provided
    // and setting copies read the same config key, derived copies the same derivation).
    return source.kind === "bcrypt" ? { ...source, of: suffixKey(source.of, i) } : source;
}

function copyConsumer(c: Consumer, i: number): Consumer {
    switch (c.kind) {
        case "cloudRunEnv":
            return { ...c, env: `${c.env}_S${i}` };
        case "kubernetesSecret":
            // A copy is read by a copied workload: a release such as LLMTrace reads exactly one
            // Secret, and the copies stand for more workloads, not a bigger one.
            return { ...c, secretName: suffixKey(c.secretName, i), workload: suffixKey(c.workload, i) };
        default:
            return c;
    }
}

/** `contract` followed by `factor - 1` suffixed copies of it (factor 1 returns it unchanged). */
export function scaleContract(contract: readonly SecretSpec[], factor: number): SecretSpec[] {
    if (!Number.isInteger(factor) || factor < 1) {
        throw new Error(`scale factor must be a whole number from 1, got ${factor}`);
    }
    const out: SecretSpec[] = [...contract];
    for (let i = 1; i < factor; i++) {
        for (const spec of contract) {
            out.push({
                ...spec,
                key: suffixKey(spec.key, i),
                source: copySource(spec.source, i),
                consumers: spec.consumers.map((c) => copyConsumer(c, i)),
            });
        }
    }
    return out;
}
