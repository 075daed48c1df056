/**
 * State compatibility: every URN a stack's state holds must still be claimed by the program, or
 * Pulumi plans a delete and a create (for a secret: a new, empty secret). The URNs are a recorded
 * fixture (`test/fixtures/state-urns.json`, written by `node scripts/run.js compare-plans urns`
 * from a plan recorded before a restructuring), not derived from the code under test. A rename
 * of a type token or logical name must keep the old URN through an `alias`: a recorded URN counts
 * as claimed when a planned resource has it, or claims it through an alias the way the engine
 * matches them (test/support/aliases.ts; proved on a small program in aliases.test.ts). When an
 * alias is added, the fixture is re-recorded only after the aliased URN is checked here.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { claimedUrns } from "../support/aliases";
import { FIXTURES } from "../support/fixtures";
import { planJson } from "../support/planJson";

const FIXTURE = path.join(FIXTURES, "state-urns.json");

interface Recorded {
    stack: string;
    sets: string[];
    urns: string[];
}

describe("state compatibility", function () {
    this.timeout(300_000);
    const recorded = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as Record<string, Recorded>;

    for (const [name, run] of Object.entries(recorded)) {
        it(`every URN recorded for ${name} is still registered, or claimed through an alias`, async () => {
            const claimed = claimedUrns((await planJson(run.stack, run.sets)).resources, new Set(run.urns));
            const lost = run.urns.filter((urn) => !claimed.has(urn));
            assert.deepStrictEqual(lost, [], `${name}: ${lost.length} URN(s) of the recorded state no longer claimed`);
        });
    }
});
