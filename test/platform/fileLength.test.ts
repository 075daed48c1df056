/**
 * No source file over 400 lines (issue 13): a file that long holds more than one concern and is
 * split by area before it grows further. Counted over the program, its scripts, its tests and the
 * policy pack; data (fixtures, lock files, generated docs) is not code and is left out.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const LIMIT = 400;
const CODE = /\.(ts|js|mjs|cjs|py|sh)$/;
const FOLDERS = ["components", "scripts", "test", "policy", ".ci"];
const SKIPPED = new Set(["node_modules", "fixtures", "build", "bin"]);

function codeFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            return SKIPPED.has(e.name) ? [] : codeFiles(p);
        }
        return CODE.test(e.name) || dir.endsWith(".ci") ? [p] : [];
    });
}

const lineCount = (file: string): number => fs.readFileSync(file, "utf8").replace(/\n$/, "").split("\n").length;

describe("file length", () => {
    const files = [
        ...FOLDERS.flatMap((f) => codeFiles(path.join(ROOT, f))),
        ...fs
            .readdirSync(ROOT)
            .filter((f) => CODE.test(f))
            .map((f) => path.join(ROOT, f)),
    ];

    it("finds the program's code (index.ts, the components, the tests)", () => {
        const names = files.map((f) => path.relative(ROOT, f));
        for (const expected of ["index.ts", "components/platform/index.ts", "test/support/evaluate.ts", ".ci/run"]) {
            assert.ok(names.includes(expected), `${expected} not counted`);
        }
    });

    it(`no source file is over ${LIMIT} lines`, () => {
        const long = files
            .map((f) => ({ file: path.relative(ROOT, f), lines: lineCount(f) }))
            .filter((f) => f.lines > LIMIT)
            .map((f) => `${f.file}: ${f.lines} lines`);
        assert.deepStrictEqual(long, []);
    });
});
