import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { ENVIRONMENT_SCHEMA, POLICIES } from "../../policy/policies";
import { PROJECT_DIR } from "../support/evaluate";

const POLICY_DIR = path.join(PROJECT_DIR, "policy");
const read = (file: string) => fs.readFileSync(path.join(POLICY_DIR, file), "utf8");

describe("policy pack", () => {
    it("has unique names, a description, a severity and a fix for every policy", () => {
        const names = POLICIES.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const p of POLICIES) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(p.description.length > 20 && p.severity && p.remediationSteps, p.name);
        }
    });

    for (const [stack, level] of [
        ["dev", "advisory"],
        ["prod", "mandatory"],
    ]) {
        it(`config/${stack}.json: ${level}, and every environment-aware policy judges ${stack}`, () => {
            const config = JSON.parse(read(`config/${stack}.json`));
            assert.strictEqual(config.all, level);
            const envAware = POLICIES.filter((p) => p.configSchema?.properties.environment !== undefined).map((p) => p.name);
            assert.ok(envAware.length >= 7);
            assert.deepStrictEqual(
                Object.keys(config)
                    .filter((k) => k !== "all")
                    .sort(),
                [...envAware].sort(),
                "the config names exactly the policies that read an environment",
            );
            for (const p of POLICIES.filter((p) => envAware.includes(p.name))) {
                assert.strictEqual(config[p.name].environment, stack, p.name);
                for (const key of Object.keys(config[p.name])) {
                    assert.ok(key in p.configSchema!.properties, `${p.name}: ${key} is not in its config schema`);
                }
            }
        });
    }

    it("judges as prod when no config says otherwise, and blocks by default", () => {
        assert.strictEqual(ENVIRONMENT_SCHEMA.properties.environment.default, "prod");
        assert.match(read("index.ts"), /enforcementLevel: "mandatory"/);
    });

    it("is a nodejs policy pack with its own pinned dependencies", () => {
        assert.strictEqual(YAML.parse(read("PulumiPolicy.yaml")).runtime, "nodejs");
        const pkg = JSON.parse(read("package.json"));
        assert.match(pkg.dependencies["@pulumi/policy"], /^\^1\./);
        assert.match(pkg.dependencies["@pulumi/pulumi"], /^~3\.248\./);
        assert.strictEqual(pkg.devDependencies.typescript, "~5.9");
        const lock = JSON.parse(read("package-lock.json"));
        assert.match(lock.packages["node_modules/@pulumi/pulumi"].version, /^3\.248\./);
    });

    it("loads no policy SDK code into the tests (only its types): the pack's entry point starts a server", () => {
        for (const file of fs.readdirSync(POLICY_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
            const imports = [...read(file).matchAll(/^import (type )?[^;]*from "([^"]+)"/gm)];
            for (const [line, typeOnly, from] of imports) {
                assert.ok(!from.startsWith("@pulumi/") || typeOnly, `${file}: ${line}`);
                assert.notStrictEqual(from, "./index", `${file} imports the pack's entry point`);
            }
        }
    });

    it("starts as the CLI runs it: the entry point builds the pack from its own node_modules and serves it", async () => {
        const child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), "index.ts"], {
            cwd: POLICY_DIR,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        try {
            // The analyzer prints the port it listens on, then serves until stopped.
            const first = await new Promise<string>((resolve, reject) => {
                child.stdout.once("data", (d) => resolve(String(d)));
                child.once("exit", (code) => reject(new Error(`pack exited with ${code}: ${stderr}`)));
            });
            assert.match(first, /^\d+\s*$/);
        } finally {
            child.kill();
        }
    });
});
