/**
 * The plan's access sections: per Secret who can read it, the store credentials the operator
 * makes, and (values written by the operator) exactly the source Secrets and keys that must exist.
 * Checked against the rendered ExternalSecrets and the guide's names, not the program's helpers.
 */
import * as assert from "assert";

import { Evaluation, evaluate } from "../support/evaluate";
import { accessLines, operatorLines } from "../../scripts/lib/planAccess";
import { BACKEND_CONFIG, MONITORING_KEYS, fetchedByNamespace } from "../backends/support";
import { GUIDE_SEEDED_KEYS as SEEDED_KEYS } from "../contract/seedExpectations";

/** The lines of one namespace's block: from its header to the next header. */
function block(lines: readonly string[], ns: string): string[] {
    const start = lines.findIndex((l) => l.startsWith(`  ${ns}/  `));
    assert.ok(start >= 0, `no block for ${ns}`);
    const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
    return lines.slice(start, end < 0 ? undefined : end);
}

describe("plan: who can read each Kubernetes Secret", () => {
    let e: Evaluation;
    let lines: string[];
    before(async () => {
        e = await evaluate({ stack: "dev" });
        assert.ifError(e.error);
        lines = await accessLines(e.platform!);
    });

    it("names each namespace's store identity and exactly the backend keys it can read", () => {
        const monitoring = block(lines, "monitoring");
        assert.match(
            monitoring[0],
            /^ {2}monitoring\/ {2}store secret-store as monitoring\/eso-reader → serviceAccount:dev-eso-monitoring@llm-platform-dev\.iam\.gserviceaccount\.com$/,
        );
        const keys = /backend keys it can read \((\d+)\): (.*)$/.exec(monitoring[1]);
        assert.ok(keys, monitoring[1]);
        assert.deepStrictEqual(keys[2].split(", ").sort(), [...MONITORING_KEYS].sort());
        for (const [ns, remote] of fetchedByNamespace(e)) {
            const listed = /backend keys it can read \(\d+\): (.*)$/.exec(block(lines, ns)[1])![1].split(", ");
            assert.deepStrictEqual(listed.map((k) => `llm-dev-${k}`).sort(), remote, ns);
        }
    });

    it("lists every rendered Secret under its namespace with the workloads that read it", () => {
        const rendered = e.resources.filter((r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret");
        assert.ok(rendered.length > 5);
        for (const r of rendered) {
            const lines_ = block(lines, r.inputs.metadata.namespace);
            const i = lines_.findIndex((l) => l.startsWith(`    ${r.inputs.metadata.name}: `));
            assert.ok(i > 0, `${r.name} is not listed`);
            assert.match(lines_[i + 1], /^ {6}read by: [a-z0-9-]+(, [a-z0-9-]+)* \(pods of [a-z0-9-]+ that mount it\)/, r.name);
        }
        assert.match(block(lines, "monitoring").join("\n"), /read by: grafana /);
    });

    it("lists no operator work when the program makes everything", async () => {
        assert.deepStrictEqual(await operatorLines(e.platform!), []);
    });
});

describe("plan: what the operator creates", () => {
    it("lists each store's secret-store-key with its keys and commands (static credentials)", async () => {
        const e = await evaluate({ stack: "dev", set: { backendAccess: "static-credentials" } });
        assert.ifError(e.error);
        const lines = await operatorLines(e.platform!);
        const listed = lines.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim());
        assert.deepStrictEqual(
            listed,
            [...fetchedByNamespace(e).keys()].map((ns) => `${ns}/secret-store-key [secret-access-credentials]`),
        );
        // kubectl goes to the stack's own cluster (Pulumi.dev.yaml kubeContext).
        assert.ok(
            lines.some((l) =>
                l.includes(
                    "$ kubectl --context gke_llm-platform-dev_us-central1_llm-dev --namespace monitoring create secret generic secret-store-key --from-file=secret-access-credentials=",
                ),
            ),
            lines.join("\n"),
        );
    });

    it("lists exactly the source Secrets and keys the stores fetch, plus the entries people read (values from the operator)", async () => {
        const e = await evaluate({ stack: "dev", set: { ...BACKEND_CONFIG.kubernetes, kubernetesSourceValues: "operator" } });
        assert.ifError(e.error);
        const lines = await operatorLines(e.platform!);
        const entries = lines.flatMap((l) => {
            const m = /^ {2}secret-source\/([a-z0-9-]+) \[value\]: .*; (read by .*)$/.exec(l);
            return m === null ? [] : [[m[1], m[2]] as const];
        });
        const names = entries.map(([n]) => n);
        assert.strictEqual(new Set(names).size, names.length);
        const fetched = new Set([...fetchedByNamespace(e).values()].flat());
        for (const key of fetched) {
            assert.ok(names.includes(key), `${key} is fetched but not listed`);
        }
        for (const [name, who] of entries) {
            assert.ok(fetched.has(name) || who === "read by people only", `${name} is listed but nothing reads it`);
        }
        for (const key of SEEDED_KEYS) {
            assert.ok(names.includes(key), `the guide's ${key} is not listed`);
        }
        assert.deepStrictEqual(
            entries.find(([n]) => n === "dex-admin-password"),
            ["dex-admin-password", "read by people only"],
        );
    });
});
