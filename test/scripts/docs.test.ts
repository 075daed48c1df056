import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { SECRET_CONTRACT } from "../../components/contract";
import { SecretSpec } from "../../components/contract/types";
import { DOC_FILES, generateDocs, svgSourceMarker } from "../../scripts/lib/docs/generate";
import { renderEnvExample } from "../../scripts/lib/docs/envExample";
import { renderFlowDot } from "../../scripts/lib/docs/flow";
import { StackModel, shortType } from "../../scripts/lib/docs/model";
import { committedStacks } from "../../scripts/lib/stacks";
import { PROJECT_DIR } from "../support/evaluate";

const committed = (file: string): string => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

/** The first line where two texts differ, to make a drift failure readable. */
function firstDifference(expected: string, actual: string): string {
    const a = expected.split("\n");
    const b = actual.split("\n");
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) {
            return `line ${i + 1}:\n  generated: ${a[i] ?? "(end of file)"}\n  committed: ${b[i] ?? "(end of file)"}`;
        }
    }
    return "no difference";
}

/** Node ids of a .dot file as written by the generator (`"id" [shape=...`). */
const dotNodeIds = (dot: string): string[] => [...dot.matchAll(/^\s*"([^"]+)" \[shape=/gm)].map((m) => m[1]);

/** `<title>` texts of an SVG, entities decoded. */
const svgTitles = (svg: string): Set<string> =>
    new Set(
        [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) =>
            m[1]
                .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
                .replace(/&lt;/g, "<")
                .replace(/&gt;/g, ">")
                .replace(/&quot;/g, '"')
                .replace(/&amp;/g, "&"),
        ),
    );

describe("generated docs (npm run docs)", () => {
    let files: Record<string, string>;
    before(async () => {
        files = await generateDocs();
    });

    for (const file of [DOC_FILES.contract, DOC_FILES.flowDot, DOC_FILES.envExample]) {
        it(`${file} is current with the contract and the program`, () => {
            assert.ok(fs.existsSync(path.join(PROJECT_DIR, file)), `${file} is missing: run npm run docs`);
            const actual = committed(file);
            assert.ok(
                actual === files[file],
                `${file} differs from the code: run npm run docs and commit.\n${firstDifference(files[file], actual)}`,
            );
        });
    }

    it("delivery-flow.svg exists and was rendered from the committed .dot", () => {
        const svg = committed(DOC_FILES.flowSvg);
        const dot = committed(DOC_FILES.flowDot);
        assert.ok(svg.includes(svgSourceMarker(dot)), "the SVG was not rendered from this .dot: run npm run docs");
        assert.match(svg, /<svg[\s\S]*<\/svg>\s*$/);
        const titles = svgTitles(svg);
        const missing = dotNodeIds(dot).filter((id) => !titles.has(id));
        assert.deepStrictEqual(missing, [], "nodes of the .dot absent from the SVG");
        assert.ok(dotNodeIds(dot).length > 0);
    });

    it("names every secret of every committed stack, with its backend id, in the contract doc and the picture", () => {
        const doc = files[DOC_FILES.contract];
        const dot = files[DOC_FILES.flowDot];
        for (const stack of committedStacks()) {
            const section = doc.split(`## Stack \`${stack}\``)[1]?.split("\n## ")[0];
            assert.ok(section !== undefined, `no section for stack ${stack}`);
            assert.ok(section.includes("### Secrets"));
        }
        for (const spec of SECRET_CONTRACT) {
            assert.ok(doc.includes(`| \`${spec.key}\` |`), `${spec.key} missing from the contract table`);
        }
        assert.match(doc, /A minimal stack \(no feature on\) needs none/);
        assert.ok(dot.includes('"value:litellm-master-key"') && dot.includes('"backend:gcp-secret-manager:litellm-master-key"'));
    });

    it(".env.example holds variable names and comments only, and every Cloud Run env var", () => {
        const env = files[DOC_FILES.envExample];
        const names = new Set<string>();
        for (const line of env.split("\n")) {
            if (line === "" || line.startsWith("#")) {
                continue;
            }
            assert.match(line, /^[A-Z_][A-Z0-9_]*=$/, `a value or a stray line in .env.example: ${line}`);
            assert.ok(!names.has(line), `${line} listed twice`);
            names.add(line);
        }
        for (const spec of SECRET_CONTRACT) {
            for (const c of spec.consumers) {
                if (c.kind === "cloudRunEnv") {
                    assert.ok(names.has(`${c.env}=`), `${c.env} missing`);
                }
            }
        }
    });
});

describe("docs renderers on hand-made input", () => {
    const row = (key: string, consumers: SecretSpec["consumers"], requires: SecretSpec["requires"] = []): SecretSpec => ({
        key,
        description: `${key}.`,
        component: "x",
        source: { kind: "generated", length: 8, charset: "alphanumeric" },
        requires,
        consumers,
    });

    it(".env.example: env-like Secret keys become variables, others comments; a clash says so", () => {
        const env = renderEnvExample([
            row("a", [{ kind: "cloudRunEnv", service: "api", env: "TOKEN" }]),
            row("b", [{ kind: "kubernetesSecret", namespace: "n", secretName: "s", key: "TOKEN", workload: "worker" }], ["dex"]),
            row("c", [{ kind: "kubernetesSecret", namespace: "n", secretName: "s", key: "password", workload: "worker" }]),
        ]);
        assert.match(env, /# --- api \(Cloud Run\) ---\n# a: a\. Value: 8 random letters and digits\.\nTOKEN=\n/);
        assert.match(env, /# TOKEN: here b, but a in the api section: give this workload its own env file\./);
        assert.match(env, /# {3}n\/s key password <- c/);
        assert.strictEqual(env.match(/^TOKEN=$/gm)?.length, 1);
    });

    it("delivery flow: marks what only some stacks have, and states a shared id pattern once", () => {
        const model = (stack: string, keys: string[]): StackModel => ({
            stack,
            contract: [],
            environment: stack,
            backend: "gcp-secret-manager",
            targets: ["kubernetes"],
            features: [],
            secrets: keys.map((key) => ({
                spec: row(key, [{ kind: "kubernetesSecret", namespace: "ns", secretName: "sec", key, workload: "app" }]),
                consumers: [{ kind: "kubernetesSecret", namespace: "ns", secretName: "sec", key, workload: "app" }],
                backendId: `p-${stack}-${key}`,
                madeBy: [{ type: "random:index/randomPassword:RandomPassword", name: key }],
            })),
            principals: [
                {
                    name: "external-secrets-ns",
                    member: "m",
                    keys,
                    grantResources: [["gcp:secretmanager/secretIamMember:SecretIamMember", keys.length]],
                },
            ],
            resourceTypes: [],
            resourceCount: 0,
        });
        const dot = renderFlowDot([model("dev", ["a", "b"]), model("prod", ["a"])]);
        assert.match(dot, /"value:b" \[shape=box, label="b\\nonly in dev\\n/);
        assert.match(dot, /"value:a" \[shape=box, label="a\\nRandomPassword 8\\l"\]/);
        assert.match(dot, /dev: id p-dev-<key>\\nprod: id p-prod-<key>/);
        assert.match(dot, /"k8s:ns\/sec" \[shape=note, label="ns\/sec\\na ← a\\lb ← b \(dev\)\\l"\]/);
        // The namespace's own store identity delivers its Secret.
        assert.match(dot, /"principal:external-secrets-ns" -> "k8s:ns\/sec";/);
        assert.match(dot, /2 × gcp.secretmanager.SecretIamMember \(dev\)\\l1 × gcp.secretmanager.SecretIamMember \(prod\)/);
    });

    it("shows a consumer kind it has no wording for instead of dropping it", () => {
        const helm = { kind: "helmValue", release: "litellm", path: "masterkey" } as unknown as SecretSpec["consumers"][number];
        const fn = { kind: "functionEnv", service: "fn", env: "FN_TOKEN" } as unknown as SecretSpec["consumers"][number];
        assert.match(
            renderEnvExample([row("a", [fn])]),
            /# --- fn \(functionEnv\) ---\n# a: a\. Value: 8 random letters and digits\.\nFN_TOKEN=\n/,
        );
        const dot = renderFlowDot([
            {
                stack: "dev",
                contract: [],
                environment: "dev",
                backend: "b",
                targets: [],
                features: [],
                secrets: [{ spec: row("a", [helm]), consumers: [helm], backendId: "id-a", madeBy: [] }],
                principals: [],
                resourceTypes: [],
                resourceCount: 0,
            },
        ]);
        assert.match(
            dot,
            /"consumer:helmValue:release=litellm,path=masterkey" \[shape=note, label="helmValue\\nrelease=litellm, path=masterkey ← a\\l"\]/,
        );
        assert.match(dot, /"backend:b:a" -> "consumer:helmValue:release=litellm,path=masterkey";/);
    });

    it("short type names keep the module, and whole Kubernetes API groups", () => {
        assert.strictEqual(shortType("gcp:secretmanager/secret:Secret"), "gcp.secretmanager.Secret");
        assert.strictEqual(shortType("random:index/randomPassword:RandomPassword"), "random.RandomPassword");
        assert.strictEqual(shortType("kubernetes:helm.sh/v3:Release"), "kubernetes.helm.sh/v3.Release");
        assert.strictEqual(shortType("llm-platform-secrets:gsm:Secret"), "llm-platform-secrets.gsm.Secret");
    });
});
