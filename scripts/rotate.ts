/**
 * What to do when a secret must rotate now (compromised, or before its schedule): prints the
 * exact steps for one stack and what will roll. Calls no cloud; changes nothing.
 *
 *   npm run rotate -- --stack prod litellm-master-key
 */
import { parseArgs } from "util";

import { UsageError, rotationRunbook } from "./lib/rotate";
import { runMain } from "./lib/exit";

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({ options: { stack: { type: "string" } }, allowPositionals: true });
    if (values.stack === undefined || positionals.length !== 1) {
        console.error("usage: npm run rotate -- --stack <stack> <secret key>");
        return 2;
    }
    try {
        console.log((await rotationRunbook(values.stack, positionals[0])).join("\n"));
        return 0;
    } catch (e) {
        if (e instanceof UsageError) {
            console.error(e.message);
            return 2;
        }
        throw e;
    }
}

runMain(main, (err) => (err instanceof Error ? err.message : err));
