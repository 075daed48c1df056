/**
 * The shape of components/ (issue 13): orchestration lives in `platform/` alone, the component
 * folders never read config nor reach into the orchestration, and no two folders import each
 * other, however indirectly. Imports are listed with TypeScript's own pre-processor.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as ts from "typescript";

const COMPONENTS = path.resolve(__dirname, "..", "..", "components");
/** The folders allowed to depend on config: config itself and the orchestration that reads it. */
const READS_CONFIG = new Set(["config", "platform"]);

/** Folder (or top-level module, like `naming`) of a file under components/. */
const folderOf = (file: string): string => path.relative(COMPONENTS, file).split(path.sep)[0].replace(/\.ts$/, "");

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? sourceFiles(p) : e.name.endsWith(".ts") ? [p] : [];
    });
}

/** Edges between folders, each with the files that make it. */
function folderGraph(): Map<string, Map<string, string[]>> {
    const graph = new Map<string, Map<string, string[]>>();
    for (const file of sourceFiles(COMPONENTS)) {
        const from = folderOf(file);
        for (const ref of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
            if (!ref.fileName.startsWith(".")) {
                continue;
            }
            const target = path.resolve(path.dirname(file), ref.fileName);
            if (path.relative(COMPONENTS, target).startsWith("..")) {
                continue;
            }
            const to = folderOf(target);
            if (to !== from) {
                const edges = graph.get(from) ?? new Map<string, string[]>();
                edges.set(to, [...(edges.get(to) ?? []), path.relative(COMPONENTS, file)]);
                graph.set(from, edges);
            }
        }
    }
    return graph;
}

/** A path of folders from `from` back to itself, if there is one. */
function cycleThrough(graph: Map<string, Map<string, string[]>>, from: string): string[] | undefined {
    const seen = new Set<string>();
    const walk = (at: string, trail: string[]): string[] | undefined => {
        for (const next of graph.get(at)?.keys() ?? []) {
            if (next === from) {
                return [...trail, next];
            }
            if (!seen.has(next)) {
                seen.add(next);
                const found = walk(next, [...trail, next]);
                if (found !== undefined) {
                    return found;
                }
            }
        }
        return undefined;
    };
    return walk(from, [from]);
}

describe("the folders of components/", () => {
    const graph = folderGraph();

    it("import each other in one direction only: no folder-level cycle", () => {
        const cycles = [...graph.keys()].map((f) => cycleThrough(graph, f)).filter((c) => c !== undefined);
        assert.deepStrictEqual(
            cycles.map((c) => c.join(" → ")),
            [],
        );
    });

    it("read config only in config/ and the orchestration (platform/)", () => {
        const readers = [...graph].filter(([from, edges]) => edges.has("config") && !READS_CONFIG.has(from));
        assert.deepStrictEqual(
            readers.map(([from, edges]) => `${from}: ${edges.get("config")?.join(", ")}`),
            [],
        );
    });

    it("never reach into the orchestration: nothing outside platform/ imports it", () => {
        const importers = [...graph].filter(([from, edges]) => edges.has("platform") && from !== "platform");
        assert.deepStrictEqual(
            importers.map(([from, edges]) => `${from}: ${edges.get("platform")?.join(", ")}`),
            [],
        );
    });

    it("keep the orchestration in platform/: no wire.ts left in a component folder", () => {
        const wires = sourceFiles(COMPONENTS).filter((f) => path.basename(f) === "wire.ts");
        assert.deepStrictEqual(
            wires.map((f) => path.relative(COMPONENTS, f)),
            [],
        );
    });
});
