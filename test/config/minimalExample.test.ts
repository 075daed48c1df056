/**
 * The config front door: the README's Essentials and the committed minimal stack that sets them.
 * A first stack must evaluate from these keys alone, with no provided secret.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { PROJECT_DIR, byType, evaluate } from "../support/evaluate";
import { GCP_SECRET } from "../support/types";

/** The five keys a first stack needs (issue 13, "Config front door"), kept by hand. */
const ESSENTIALS = ["environment", "backend", "gcpProject", "targets", "features"];
/**
 * Secrets the Cloud Run guide's service reads whatever is turned on (seed 002, Step 3, transcribed
 * in test/fixtures/seed-contract/cloud-run-env.yaml; database-url and redis-* come with the
 * runtime, the rest with features).
 */
const GUIDE_ALWAYS = ["litellm-master-key", "litellm-salt-key", "ui-password", "ui-username"];

const EXAMPLE = path.join(PROJECT_DIR, "examples", "minimal", "Pulumi.minimal.yaml");
const example = YAML.parse(fs.readFileSync(EXAMPLE, "utf8"));
const config: Record<string, unknown> = example.config;
const bare = (k: string): string => k.replace(/^llm-platform-secrets:/, "");

describe("config front door: the Essentials and the minimal stack", () => {
    it("the README's Essentials table names the five keys a first stack needs, each declared in Pulumi.yaml", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const table = /<!-- essentials:start -->\n([\s\S]*?)<!-- essentials:end -->/.exec(readme);
        assert.ok(table, "README has no Essentials table between its markers");
        const keys = [...table[1].matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
        assert.deepStrictEqual(keys, ESSENTIALS);
        const declared = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")).config;
        for (const k of keys) {
            assert.ok(k in declared, `${k} is not declared in Pulumi.yaml`);
        }
        assert.ok(
            readme.indexOf("<!-- essentials:start -->") < readme.indexOf("## Config reference"),
            "Essentials come before the full reference",
        );
    });

    it("the minimal example sets exactly the Essentials, in the project's namespace, and holds no secret", () => {
        assert.deepStrictEqual(Object.keys(config).sort(), ESSENTIALS.map((k) => `llm-platform-secrets:${k}`).sort());
        const secure = Object.entries(config).filter(([, v]) => typeof v === "object" && v !== null && "secure" in v);
        assert.deepStrictEqual(secure, []);
    });

    it("evaluates with no provided secret: every secret it stores is generated, in its project, named llm-<environment>-<key>", async () => {
        const e = await evaluate({ stack: "minimal", set: Object.fromEntries(Object.entries(config).map(([k, v]) => [bare(k), v])) });
        assert.ifError(e.error);
        const secrets = byType(e, GCP_SECRET);
        assert.ok(secrets.length > 0, "stores no secret");
        const environment = config["llm-platform-secrets:environment"];
        for (const s of secrets) {
            assert.strictEqual(s.inputs.project, config["llm-platform-secrets:gcpProject"], s.name);
            assert.strictEqual(s.inputs.secretId, `llm-${environment}-${s.name}`, s.name);
        }
        const stored = secrets.map((s) => s.name);
        for (const key of GUIDE_ALWAYS) {
            assert.ok(stored.includes(key), `${key} is not stored`);
        }
    });
});
