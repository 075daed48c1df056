import * as assert from "assert";
import * as fs from "fs";

import { README, configReferenceTable, readmeWithConfigReference } from "../scripts/lib/configReference";

describe("README", () => {
    it("has a config reference that matches Pulumi.yaml (regenerate with npm run docs)", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.strictEqual(readme, readmeWithConfigReference(readme));
    });

    it("lists secret keys as secret and gives each key a meaning", () => {
        const rows = configReferenceTable().split("\n").slice(2);
        assert.ok(rows.length > 10);
        assert.ok(rows.some((r) => r.startsWith("| `anthropicApiKey` | secret |")));
        assert.ok(rows.every((r) => !r.endsWith("|  |")), "a key without a description");
    });

    it("keeps the quick start's two commands", () => {
        const readme = fs.readFileSync(README, "utf8");
        assert.ok(readme.includes("npm ci && npm run plan -- --stack dev"));
        assert.ok(readme.includes("npm ci && npm test"));
    });
});
