/**
 * Writes docs/runbook.md from the secret contract and the committed stacks.
 *
 *   npm run runbook
 *
 * Whether the committed file is current is test/scripts/runbook.test.ts's to say, not this script's.
 */
import * as fs from "fs";
import * as path from "path";

import { PROJECT_DIR } from "../test/support/evaluate";
import { RUNBOOK_PATH, renderRunbook } from "./lib/runbook";

const file = path.join(PROJECT_DIR, RUNBOOK_PATH);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, renderRunbook());
console.log(`wrote ${RUNBOOK_PATH}`);
