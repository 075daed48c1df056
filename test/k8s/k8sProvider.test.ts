/**
 * Every Kubernetes object goes through the stack's one explicit provider, on every backend and
 * stack: none lands on whatever cluster the ambient kubeconfig happens to point at.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { PROJECT_DIR, evaluate } from "../support/evaluate";
import { BACKEND_CONFIG } from "../backends/support";
import { K8S_PROVIDER as PROVIDER_TYPE, K8S_SECRET } from "../support/types";

/** The kubeContext a stack file names, read by hand. */
const kubeContextOf = (stack: string): string =>
    YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")).config["llm-platform-secrets:kubeContext"];

const BACKENDS: Record<string, Record<string, unknown>> = { "gcp-secret-manager": {}, ...BACKEND_CONFIG };

describe("the Kubernetes provider", () => {
    for (const stack of ["dev", "prod"]) {
        for (const [backend, set] of Object.entries(BACKENDS)) {
            it(`carries every Kubernetes object of ${stack} on ${backend} to the stack's cluster`, async () => {
                const e = await evaluate({ stack, set });
                assert.ifError(e.error);
                const providers = e.resources.filter((r) => r.type === PROVIDER_TYPE);
                assert.strictEqual(providers.length, 1, "one Kubernetes provider");
                const [provider] = providers;
                assert.strictEqual(provider.inputs.context, kubeContextOf(stack));
                const objects = e.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
                // Not vacuous: the cluster side exists, and on the Kubernetes backend so do the source values.
                assert.ok(
                    objects.some((r) => r.type === "kubernetes:helm.sh/v3:Release"),
                    "releases",
                );
                if (backend === "kubernetes") {
                    assert.ok(objects.filter((r) => r.type === K8S_SECRET).length >= 10, "source Secrets");
                    assert.ok(
                        objects.some((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:Role"),
                        "source read grants",
                    );
                }
                const elsewhere = objects.filter((r) => r.provider === null || !r.provider.startsWith(`${provider.urn}::`));
                assert.deepStrictEqual(
                    elsewhere.map((r) => `${r.type} ${r.name} -> ${r.provider}`),
                    [],
                );
            });
        }
    }
});
