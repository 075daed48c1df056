/**
 * Config grouped by area: Pulumi.yaml's sections (`# --- <area> ---` headers), the area each
 * key's reader files it under, and the README's reference, one table per area, all agree.
 * Pulumi.yaml is read here as plain text, line by line, not with the generator's parser.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { parseConfig } from "../../components/config";
import { configAreas } from "../../scripts/lib/configReference";
import { PROJECT_DIR } from "../support/project";

/** The five keys a first stack needs (README, Essentials), kept by hand. */
const ESSENTIALS = ["environment", "backend", "gcpProject", "targets", "features"];

/** Pulumi.yaml's areas, from its text: each header line, then the keys that follow it. */
function areasOfText(text: string): { title: string; keys: string[] }[] {
    const lines = text.split("\n");
    const areas: { title: string; keys: string[] }[] = [];
    for (const line of lines.slice(lines.indexOf("config:") + 1)) {
        const header = /^ {2}# --- (.+) ---$/.exec(line);
        const key = /^ {2}([A-Za-z0-9]+):/.exec(line);
        if (header) {
            areas.push({ title: header[1], keys: [] });
        } else if (key) {
            assert.ok(areas.length > 0, `${key[1]} stands before the first area header`);
            areas[areas.length - 1].keys.push(key[1]);
        }
    }
    return areas;
}

const PULUMI_YAML = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8");
const AREAS = areasOfText(PULUMI_YAML);

describe("config areas: Pulumi.yaml, the readers and the README's reference agree", () => {
    it("Pulumi.yaml puts every key in exactly one area, each area titled once and holding keys", () => {
        const keys = AREAS.flatMap((a) => a.keys);
        assert.ok(AREAS.length >= 8, `${AREAS.length} areas`);
        assert.strictEqual(new Set(AREAS.map((a) => a.title)).size, AREAS.length, "an area title used twice");
        assert.strictEqual(new Set(keys).size, keys.length, "a key declared twice");
        assert.ok(keys.length > 80, `${keys.length} keys`);
        for (const area of AREAS) {
            assert.ok(area.keys.length > 0, `area "${area.title}" holds no key`);
        }
    });

    it("starts with the stack basics, which hold the Essentials", () => {
        assert.strictEqual(AREAS[0].title, "Stack basics");
        for (const key of ESSENTIALS) {
            assert.ok(AREAS[0].keys.includes(key), `${key} is not among the stack basics`);
        }
    });

    it("files each key the program reads under the area Pulumi.yaml puts it in", () => {
        const { declared } = parseConfig({ gcpProject: "llm-platform-dev" }, { stack: "dev" });
        const areaOf = new Map(AREAS.flatMap((a) => a.keys.map((k) => [k, a.title] as const)));
        for (const [key, decl] of declared) {
            assert.strictEqual(decl.area, areaOf.get(key), `${key}: read in area "${decl.area}", declared under "${areaOf.get(key)}"`);
        }
        assert.strictEqual(declared.size, areaOf.size);
    });

    it("the generator reads the same areas, keys and order as the text", () => {
        assert.deepStrictEqual(
            configAreas().map((a) => ({ title: a.title, keys: [...a.keys] })),
            AREAS,
        );
    });

    it("the README's reference has one section per area, in Pulumi.yaml's order, after the Essentials", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const reference = readme.slice(readme.indexOf("<!-- config-reference:start"), readme.indexOf("<!-- config-reference:end"));
        const sections = reference
            .split(/^### /m)
            .slice(1)
            .map((s) => ({
                title: s.split("\n")[0],
                keys: [...s.matchAll(/^\| `([A-Za-z0-9]+)` \|/gm)].map((m) => m[1]),
            }));
        assert.deepStrictEqual(sections, AREAS);
        assert.ok(readme.indexOf("## Essentials") < readme.indexOf("<!-- config-reference:start"), "the Essentials come first");
    });

    it("the generator refuses a key outside any area and an area titled twice", () => {
        assert.throws(() => configAreas("config:\n  a:\n    type: string\n"), /declares a before the first area header/);
        assert.throws(
            () => configAreas("config:\n  # --- One ---\n  a:\n    type: string\n  # --- One ---\n  b:\n    type: string\n"),
            /two areas titled "One"/,
        );
        assert.deepStrictEqual(configAreas("config:\n  # --- One ---\n  # what it is\n  a:\n    type: string\n"), [
            { title: "One", about: "what it is", keys: ["a"] },
        ]);
    });
});
