/**
 * The whole `npm run plan` command timed from process start to exit, beside the whole floor
 * process: both started the way package.json starts the plan (same node flags, same launcher,
 * build/ already current), alternating, on the same stack.
 *
 * CPU is what the kernel charged the finished child and everything it waited for (Linux:
 * cutime + cstime of this process in /proc/self/stat, in ticks of 10 ms), so module loading,
 * compilation, garbage collection and exit all count.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";

import { PROJECT_DIR } from "../../../test/support/evaluate";

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds of the children this process has waited for, so far. */
function childrenCpuMs(): number {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name (which may hold spaces): the first is field 3 (state), so
    // cutime (16) and cstime (17) are at 13 and 14.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

export interface ProcessTime {
    readonly cpuMs: number;
    readonly wallMs: number;
}

/** Runs a shell command line to completion; its CPU and wall time. */
function timed(command: string): ProcessTime {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const run = spawnSync("sh", ["-c", command], { cwd: PROJECT_DIR, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const wallMs = performance.now() - t0;
    if (run.status !== 0) {
        throw new Error(`${command} failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
    }
    return { cpuMs: childrenCpuMs() - cpu0, wallMs };
}

export interface WholeCommand {
    readonly stack: string;
    readonly runs: number;
    /** The command lines timed. */
    readonly commands: { readonly plan: string; readonly floor: string; readonly npm: string };
    readonly resources: number;
    /** Medians over the runs. */
    readonly plan: ProcessTime;
    readonly floor: ProcessTime;
    /** `npm run plan` itself: npm's own start and exit come on top of the plan's process. */
    readonly npm: ProcessTime;
}

const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const medianTime = (ts: readonly ProcessTime[]): ProcessTime => ({
    cpuMs: median(ts.map((t) => t.cpuMs)),
    wallMs: median(ts.map((t) => t.wallMs)),
});

/** The plan's command line as package.json has it, and the same launcher starting the floor. */
export function commandLines(stack: string, manifest: string): WholeCommand["commands"] {
    const plan = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts.plan as string;
    const launcher = /^(.*scripts\/run\.js) plan$/.exec(plan)?.[1];
    if (launcher === undefined) {
        throw new Error(`package.json's plan script is not "<node and flags> scripts/run.js plan": ${plan}`);
    }
    return {
        plan: `${plan} --stack ${stack}`,
        floor: `${launcher} lib/bench/floorProcess ${stack} ${manifest}`,
        npm: `npm run --silent plan -- --stack ${stack}`,
    };
}

export function measureWholeCommand(stack: string, repeat: number, log: (s: string) => void): WholeCommand {
    if (!fs.existsSync("/proc/self/stat")) {
        throw new Error("timing whole processes reads /proc/self/stat (Linux)");
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-whole-"));
    const manifest = path.join(dir, "manifest.json");
    try {
        const commands = commandLines(stack, manifest);
        // The floor registers exactly what this plan registered; this run also brings build/ up to date.
        const json = spawnSync("sh", ["-c", `${commands.plan} --json`], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        });
        if (json.status !== 0) {
            throw new Error(`${commands.plan} --json failed: ${json.stderr.slice(-2000)}`);
        }
        const resources = JSON.parse(json.stdout).resources as unknown[];
        fs.writeFileSync(manifest, JSON.stringify(resources));
        const plan: ProcessTime[] = [];
        const floor: ProcessTime[] = [];
        const npm: ProcessTime[] = [];
        for (let i = 0; i < repeat; i++) {
            plan.push(timed(commands.plan));
            floor.push(timed(commands.floor));
            npm.push(timed(commands.npm));
            log(
                `  ${stack} whole command run ${i + 1}/${repeat}: plan ${(plan[i].cpuMs / 1000).toFixed(2)} s CPU, ` +
                    `floor ${(floor[i].cpuMs / 1000).toFixed(2)} s, npm run plan ${(npm[i].cpuMs / 1000).toFixed(2)} s`,
            );
        }
        return {
            stack,
            runs: repeat,
            commands: { ...commands, floor: commands.floor.replace(manifest, "<manifest.json>") },
            resources: resources.length,
            plan: medianTime(plan),
            floor: medianTime(floor),
            npm: medianTime(npm),
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
