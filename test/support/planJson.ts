/**
 * The offline plan of a stack as `npm run plan -- --json` prints it, run in its own process as a
 * user would (scripts/run.js compiles, then runs scripts/plan.ts). compare-plans records these and
 * the state-compatibility test reads them: one way to run it for both.
 */
import { execFile } from "child_process";
import { promisify } from "util";

import type { StackOutput } from "./evaluation";
import { PROJECT_DIR } from "./project";
import type { RecordedResource } from "./recording";

export interface PlanJson {
    readonly stack: string;
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, StackOutput>;
}

/** The JSON plan of `stack` with `sets` (`key=value`, as `--set` takes them). */
export async function planJson(stack: string, sets: readonly string[] = []): Promise<PlanJson> {
    const args = ["scripts/run.js", "plan", "--stack", stack, "--json", ...sets.flatMap((kv) => ["--set", kv])];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: PROJECT_DIR, maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(stdout) as PlanJson;
}
