/**
 * The floor as a whole command: a process that loads the SDK and the mock harness, and registers
 * the resources a recorded plan registered (same types, names, parents and inputs) under the
 * same mocks, with none of the platform's modules or logic. The bench times it from process
 * start to exit beside the plan command.
 *
 *   node --stack-trace-limit=0 build/scripts/lib/bench/floorProcess.js <stack> <manifest.json>
 *
 * The manifest is the `resources` list of `npm run plan -- --stack <stack> --json`.
 */
import * as fs from "fs";

import { evaluate } from "../../../test/support/evaluate";
import { runMain } from "../exit";
import { ManifestEntry, replay } from "./floor";

async function main(): Promise<number> {
    const [stack, file] = process.argv.slice(2);
    const manifest: ManifestEntry[] = JSON.parse(fs.readFileSync(file, "utf8"));
    const e = await evaluate({ stack, program: () => replay(manifest) });
    if (e.error !== undefined) {
        throw e.error;
    }
    if (e.resources.length !== manifest.length) {
        throw new Error(`the floor registered ${e.resources.length} resources, the manifest has ${manifest.length}`);
    }
    return 0;
}

runMain(main);
