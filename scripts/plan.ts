/**
 * The offline plan: evaluates the real program for one stack under Pulumi's mock runtime and
 * prints what it would create: each secret with its source, backend id and consumers, the
 * Kubernetes Secrets by namespace, the read grants, missing provided secrets, and every resource
 * by component. Calls no cloud.
 *
 *   npm run plan -- --stack dev [--set key=value]... [--json] [--width 100]
 *
 * The text is laid out for a terminal of --width columns (100 unless given): one block per
 * secret, long lists wrapped.
 */
import { parseArgs } from "util";

import { formatProblem } from "../components/config";
import { runMain } from "./lib/exit";
import { planEvaluation, renderPlan } from "./lib/planText";
import { parseSetFlags } from "./lib/stacks";
import { TERMINAL_WIDTH } from "./lib/textLayout";

async function main(): Promise<number> {
    const { values: args } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            set: { type: "string", multiple: true, default: [] },
            json: { type: "boolean", default: false },
            width: { type: "string", default: String(TERMINAL_WIDTH) },
        },
    });
    const stack = args.stack as string;
    const width = Number(args.width);
    if (!Number.isInteger(width) || width < 40) {
        console.error(`--width: a whole number of columns from 40, got ${args.width}`);
        return 2;
    }
    const { evaluation: e, parsed, missing } = await planEvaluation(stack, parseSetFlags(args.set as string[]));
    if (e.error) {
        console.error(`The program fails for stack "${stack}":\n${e.error.message}`);
        if (parsed.problems.length > 0 && e.error.name !== "ConfigError") {
            console.error(parsed.problems.map(formatProblem).join("\n"));
        }
        return 1;
    }
    if (args.json) {
        process.stdout.write(`${JSON.stringify({ stack, resources: e.resources, outputs: e.outputs }, null, 2)}\n`);
        return 0;
    }
    console.log((await renderPlan(e, missing, width)).join("\n"));
    return 0;
}

runMain(main);
