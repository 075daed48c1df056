import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

describe("scripts/run.js: commands run compiled JavaScript", () => {
    // The commands a user runs, and what each must start (hand-kept: the README names them).
    const commands = ["plan", "rotate", "runbook", "docs", "bench"];

    it("starts every command from build/ through run.js, never through ts-node", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
        for (const c of commands) {
            assert.strictEqual(scripts[c], `node --stack-trace-limit=0 scripts/run.js ${c}`, c);
        }
        assert.ok(
            Object.values(scripts).every((s) => !/ts-node|\.ts\b/.test(s) || s.startsWith("mocha")),
            "a command transpiles at run time",
        );
    });

    it("keeps build/ out of git", () => {
        const ignored = spawnSync("git", ["check-ignore", "-q", "--no-index", "build/scripts/plan.js"], { cwd: ROOT }).status;
        assert.strictEqual(ignored, 0);
    });

    describe("in a scratch project", () => {
        let dir: string;
        const run = (...args: string[]) => spawnSync(process.execPath, ["scripts/run.js", ...args], { cwd: dir, encoding: "utf8" });
        const write = (rel: string, text: string, mtime?: Date) => {
            fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
            fs.writeFileSync(path.join(dir, rel), text);
            if (mtime !== undefined) {
                fs.utimesSync(path.join(dir, rel), mtime, mtime);
            }
        };

        // One scratch project for the whole sequence: each compile loads TypeScript (~0.6 s).
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-js-"));
            fs.mkdirSync(path.join(dir, "scripts"));
            fs.copyFileSync(path.join(ROOT, "scripts", "run.js"), path.join(dir, "scripts", "run.js"));
            fs.copyFileSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
            const past = new Date(Date.now() - 60_000);
            write("components/greeting.ts", "export const greeting = (who: string): string => `hello ${who}`;\n", past);
            write(
                "scripts/hello.ts",
                'import { greeting } from "../components/greeting";\nconsole.log(greeting(process.argv.slice(2).join(" ")));\n',
                past,
            );
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("compiles on the first run, passes the arguments, and compiles nothing when nothing changed", () => {
            const first = run("hello", "big", "world");
            assert.strictEqual(first.status, 0, first.stderr);
            assert.strictEqual(first.stdout, "hello big world\n");
            assert.ok(fs.existsSync(path.join(dir, "build", "components", "greeting.js")));
            assert.match(run("--build").stdout, /: 0 files compiled/);
        });

        it("recompiles a changed source, and removes the output of a deleted one", () => {
            write("components/greeting.ts", "export const greeting = (who: string): string => `bye ${who}`;\n");
            write("components/old.ts", "export const old = 1;\n");
            assert.strictEqual(run("hello", "x").stdout, "bye x\n");
            assert.ok(fs.existsSync(path.join(dir, "build", "components", "old.js")));
            fs.rmSync(path.join(dir, "components", "old.ts"));
            assert.match(run("--build").stdout, /: 0 files compiled/);
            assert.ok(!fs.existsSync(path.join(dir, "build", "components", "old.js")));
        });

        it("recompiles everything when tsconfig.json changes", () => {
            const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
            tsconfig.compilerOptions.target = "es2022";
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
            assert.match(run("--build").stdout, /: 2 files compiled/);
        });

        it("says so for a script that does not exist", () => {
            const r = run("nope");
            assert.strictEqual(r.status, 2);
            assert.match(r.stderr, /no script scripts\/nope\.ts/);
        });
    });
});
