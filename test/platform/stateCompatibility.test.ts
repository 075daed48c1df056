/**
 * State compatibility: every URN a stack's state holds must still be claimed by the program, or
 * Pulumi plans a delete and a create (for a secret: a new, empty secret). The URNs are a recorded
 * fixture (`test/fixtures/state-urns.json`, written by `node scripts/run.js compare-plans urns`
 * from a plan recorded before a restructuring), not derived from the code under test. A rename
 * of a type token or logical name must keep the old URN through an `alias`; when one is added,
 * the fixture is re-recorded only after the aliased URN is checked here.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "state-urns.json");

interface Recorded {
    stack: string;
    sets: string[];
    urns: string[];
}

async function plannedUrns(run: Recorded): Promise<Set<string>> {
    const args = ["scripts/run.js", "plan", "--stack", run.stack, "--json", ...run.sets.flatMap((kv) => ["--set", kv])];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
    const plan = JSON.parse(stdout) as { resources: { urn: string }[] };
    return new Set(plan.resources.map((r) => r.urn));
}

describe("state compatibility", function () {
    this.timeout(300_000);
    const recorded = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as Record<string, Recorded>;

    for (const [name, run] of Object.entries(recorded)) {
        it(`every URN recorded for ${name} is still registered`, async () => {
            const planned = await plannedUrns(run);
            const lost = run.urns.filter((urn) => !planned.has(urn));
            assert.deepStrictEqual(lost, [], `${name}: ${lost.length} URN(s) of the recorded state no longer claimed`);
        });
    }
});
