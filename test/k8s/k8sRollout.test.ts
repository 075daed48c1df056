import * as assert from "assert";

import { SECRET_CONTRACT } from "../../components/contract";
import { ROLLOUT_ANNOTATION, ROLLOUT_ENV } from "../../components/k8s";
import { Evaluation, evaluate, findResource, unwrap } from "../support/evaluate";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";

/** Where each installed workload's chart carries the checksum in its pod template. */
const MARKERS: Record<string, (values: any) => unknown> = {
    litellm: (v) => v.envVars[ROLLOUT_ENV],
    llmtrace: (v) => v.proxy.podAnnotations[ROLLOUT_ANNOTATION],
};

const marker = (e: Evaluation, workload: string): string => {
    const value = MARKERS[workload](unwrap(findResource(e, RELEASE, workload).inputs.values));
    assert.match(String(value), /^[0-9a-f]{64}$/, `${workload} carries no checksum`);
    return String(value);
};

/** Workloads whose Secrets carry `key`, straight from the contract. */
const readersOf = (key: string): Set<string> =>
    new Set(SECRET_CONTRACT.find((s) => s.key === key)!.consumers.flatMap((c) => (c.kind === "kubernetesSecret" ? [c.workload] : [])));

describe("rollout on rotation (dev stack)", () => {
    let base: Evaluation;
    before(async () => {
        base = await evaluate({ stack: "dev" });
        assert.ifError(base.error);
    });

    it("annotates every installed workload's pod template with a checksum of the versions it reads", () => {
        for (const workload of Object.keys(MARKERS)) {
            marker(base, workload);
        }
        assert.notStrictEqual(marker(base, "litellm"), marker(base, "llmtrace"));
    });

    // One secret read by LiteLLM only, one by LLMTrace only, one by a workload deployed elsewhere.
    for (const key of ["vllm-api-key", "llmtrace-redis-password", "oauth2-proxy-cookie-secret"]) {
        it(`rotating ${key} restarts exactly the installed workloads that read it`, async () => {
            const bumped = await evaluate({ stack: "dev", set: { rotations: { "litellm-master-key": 0, [key]: 1 } } });
            assert.ifError(bumped.error);
            const readers = readersOf(key);
            assert.ok(readers.size > 0);
            for (const workload of Object.keys(MARKERS)) {
                const changed = marker(base, workload) !== marker(bumped, workload);
                assert.strictEqual(changed, readers.has(workload), `${workload} ${changed ? "rolled" : "did not roll"}`);
            }
            // Workloads deployed by other tools get the same checksum as a stack output.
            const checksums = (e: Evaluation) => (e.outputs.kubernetes.value as any).rolloutChecksums as Record<string, string>;
            const rolled = Object.keys(checksums(base)).filter((w) => checksums(base)[w] !== checksums(bumped)[w]);
            assert.deepStrictEqual(rolled.sort(), [...readers].sort());
            // And the ExternalSecrets reading it pin the new version.
            const pinned = (e: Evaluation, id: string) => JSON.stringify(findResource(e, EXTERNAL_SECRET, id).inputs.spec.data);
            // The consumers active in the stack (the legacy names are off).
            for (const c of base.platform!.active.find((a) => a.spec.key === key)!.consumers) {
                if (c.kind === "kubernetesSecret") {
                    const id = `${c.namespace}/${c.secretName}`;
                    assert.notStrictEqual(pinned(base, id), pinned(bumped, id), `${id} still pins the old version`);
                }
            }
        });
    }
});
