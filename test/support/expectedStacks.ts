/** The hand-kept expectations of each committed stack (test/fixtures/expected-stacks.yaml). */
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { FIXTURES } from "./fixtures";

export interface ExpectedStack {
    /** Backend secrets the stack stores. */
    readonly secrets: readonly string[];
    /** Per principal, the secrets it may read. */
    readonly grants: Readonly<Record<string, readonly string[]>>;
}

const all: Record<string, ExpectedStack> = YAML.parse(fs.readFileSync(path.join(FIXTURES, "expected-stacks.yaml"), "utf8"));

export function expectedStack(stack: string): ExpectedStack {
    const expected = all[stack];
    if (expected === undefined) {
        throw new Error(`test/fixtures/expected-stacks.yaml has no stack ${stack}`);
    }
    return expected;
}
