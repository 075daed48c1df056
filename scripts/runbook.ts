/**
 * Writes docs/runbook.md from the secret contract and the committed stacks.
 *
 *   npm run runbook             write it
 *   npm run runbook -- --check  exit 1 when the committed file is stale
 */
import * as fs from "fs";
import * as path from "path";

import { PROJECT_DIR } from "../test/support/evaluate";
import { RUNBOOK_PATH, renderRunbook } from "./lib/runbook";

const file = path.join(PROJECT_DIR, RUNBOOK_PATH);
const text = renderRunbook();
if (process.argv.includes("--check")) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (current !== text) {
        console.error(`${RUNBOOK_PATH} is stale: run npm run runbook and commit it`);
        process.exit(1);
    }
    console.log(`${RUNBOOK_PATH} is current`);
} else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${RUNBOOK_PATH}`);
}
