/** Runs measurements in child processes and summarises repeated runs. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { PROJECT_DIR } from "../../../test/support/evaluate";
import { MeasureRequest, Measurement } from "./measure";

/** Compiled (the bench runs from build/) or under ts-node (a test importing this module). */
const compiled = path.extname(__filename) === ".js";

/** Node flags of every measured child: the same for the program and its floor. */
export const CHILD_FLAGS = ["--expose-gc", "--max-old-space-size=8192", ...(compiled ? [] : ["-r", "ts-node/register/transpile-only"])];

/** Runs one measurement in a fresh process. `stackTraces: false` adds `--stack-trace-limit=0`. */
export function measureInChild(req: MeasureRequest, stackTraces: boolean): Measurement {
    const script = path.join(__dirname, `measure${path.extname(__filename)}`);
    const args = [...(stackTraces ? [] : ["--stack-trace-limit=0"]), ...CHILD_FLAGS, script, JSON.stringify(req)];
    const run = spawnSync(process.execPath, args, { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    const last = run.stdout.trim().split("\n").pop() ?? "";
    let parsed: (Measurement & { error?: string }) | undefined;
    try {
        parsed = JSON.parse(last);
    } catch {
        parsed = undefined;
    }
    if (run.status !== 0 || parsed === undefined || parsed.error !== undefined) {
        throw new Error(`measurement ${JSON.stringify(req)} failed (exit ${run.status}): ${parsed?.error ?? run.stderr.slice(-2000)}`);
    }
    return parsed;
}

const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Repeated runs of one configuration, summarised. */
export interface Summary {
    readonly runs: number;
    readonly secrets: number;
    readonly resources: number;
    readonly customResources: number;
    /** Medians over the runs. */
    readonly cpuMs: number;
    readonly wallMs: number;
    /** Highest over the runs. */
    readonly peakRssBytes: number;
    /** Median of (peak RSS − RSS before evaluating). */
    readonly rssGrowthBytes: number;
}

export function summarise(ms: readonly Measurement[]): Summary {
    return {
        runs: ms.length,
        secrets: ms[0].secrets,
        resources: ms[0].resources,
        customResources: ms[0].customResources,
        cpuMs: median(ms.map((m) => m.cpuMs)),
        wallMs: median(ms.map((m) => m.wallMs)),
        peakRssBytes: Math.max(...ms.map((m) => m.peakRssBytes)),
        rssGrowthBytes: median(ms.map((m) => Math.max(0, m.peakRssBytes - m.rssBeforeBytes))),
    };
}

export interface Pair {
    readonly stack: string;
    readonly scale: number;
    readonly program: Summary;
    readonly floor: Summary;
}

/**
 * Measures the program at `scale` and its floor, `repeat` times, alternating the two so that
 * changes in machine load fall on both alike.
 */
export function measurePair(stack: string, scale: number, repeat: number, log: (s: string) => void): Pair {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    const manifest = path.join(dir, "manifest.json");
    const program: Measurement[] = [];
    const floor: Measurement[] = [];
    try {
        for (let i = 0; i < repeat; i++) {
            program.push(measureInChild({ mode: "program", stack, scale, manifest }, false));
            floor.push(measureInChild({ mode: "floor", stack, scale, manifest }, false));
            const p = program[program.length - 1];
            const f = floor[floor.length - 1];
            log(
                `  ${stack} ${scale}x run ${i + 1}/${repeat}: ${p.resources} resources, program ${(p.cpuMs / 1000).toFixed(1)} s CPU, ` +
                    `floor ${(f.cpuMs / 1000).toFixed(1)} s CPU`,
            );
            if (f.resources !== p.resources) {
                throw new Error(`floor registered ${f.resources} resources, the program ${p.resources}`);
            }
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    return { stack, scale, program: summarise(program), floor: summarise(floor) };
}
