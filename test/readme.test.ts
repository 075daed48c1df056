import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { SUMMARY_PATH, readmeWithBenchSection, renderReadmeSection } from "../scripts/lib/bench/summary";
import { README, configReferenceTable, readmeWithConfigReference } from "../scripts/lib/configReference";
import { PROJECT_DIR } from "./support/evaluate";

describe("README", () => {
    it("has a config reference that matches Pulumi.yaml (regenerate with npm run docs)", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.strictEqual(readme, readmeWithConfigReference(readme));
    });

    it("lists secret keys as secret and gives each key a meaning", () => {
        const rows = configReferenceTable()
            .split("\n")
            .filter((r) => r.startsWith("| `"));
        assert.ok(rows.length > 10);
        assert.ok(rows.some((r) => r.startsWith("| `anthropicApiKey` | secret |")));
        assert.ok(
            rows.every((r) => !r.endsWith("|  |")),
            "a key without a description",
        );
    });

    it("keeps the quick start's two commands", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.ok(readme.includes("npm ci && npm run plan -- --stack dev"));
        assert.ok(readme.includes("npm ci && npm test"));
    });

    it("quotes the bench exactly: its performance section is rendered from bench/summary.json (npm run bench)", () => {
        const readme = fs.readFileSync(README, "utf8");
        const summary = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, SUMMARY_PATH), "utf8"));
        assert.strictEqual(
            readme,
            readmeWithBenchSection(readme, renderReadmeSection(summary)),
            "README.md's bench section: run npm run bench",
        );
        // The summary and the full results come from the same run.
        const results = fs.readFileSync(path.join(PROJECT_DIR, "bench", "results.md"), "utf8");
        assert.ok(results.includes(`| date | ${summary.machine.date} |`), "bench/results.md is from another run than bench/summary.json");
        assert.ok(results.includes(`Written by \`${summary.command}\``));
    });
});
