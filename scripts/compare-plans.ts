/**
 * Proves a restructuring changed nothing the program registers.
 *
 *   node scripts/run.js compare-plans record <dir>     writes each run's plan to <dir>/<run>.json
 *   node scripts/run.js compare-plans compare <a> <b>  lists every difference; exits 1 on any
 *   node scripts/run.js compare-plans urns <dir>       prints { run: { stack, sets, urns } } (test/fixtures/state-urns.json)
 *
 * The runs: the committed stacks, and prod with each backend entry of plancheck_backends.py (its
 * `--set` lists are read from that file, not copied). A resource is compared by URN on what
 * Pulumi would send or store: type, parent, inputs, dependencies and resource options.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

import { PROJECT_DIR } from "../test/support/project";
import { planJson } from "../test/support/planJson";
import { runMain } from "./lib/exit";

const STACKS = ["dev", "prod", "adopt-example"];

interface Run {
    name: string;
    stack: string;
    sets: string[];
}

/** The backend runs of scripts/plancheck_backends.py, with its own `--set` lists. */
function backendRuns(): Run[] {
    const code =
        "import sys, json; sys.path.insert(0, 'scripts'); import plancheck_backends as p; print(json.dumps({n: [f'backend={p.backend_of(n)}', *s] for n, s in p.BACKENDS.items()}))";
    const backends = JSON.parse(execFileSync("python3", ["-c", code], { cwd: PROJECT_DIR, encoding: "utf8" })) as Record<string, string[]>;
    return Object.entries(backends).map(([name, sets]) => ({ name: `prod+${name.replace("/", "+")}`, stack: "prod", sets }));
}

function runs(): Run[] {
    return [...STACKS.map((stack) => ({ name: stack, stack, sets: [] })), ...backendRuns()];
}

/** The fields of a planned resource that a restructuring must leave alone. */
const COMPARED = [
    "type",
    "parent",
    "custom",
    "inputs",
    "dependencies",
    "propertyDependencies",
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "ignoreChanges",
    "additionalSecretOutputs",
    "provider",
    "importId",
    "aliases",
] as const;

type Plan = { stack?: string; sets?: string[]; resources: Record<string, unknown>[]; outputs?: unknown };

async function record(dir: string): Promise<number> {
    fs.mkdirSync(dir, { recursive: true });
    for (const run of runs()) {
        const p = (await planJson(run.stack, run.sets)) as unknown as Plan;
        fs.writeFileSync(path.join(dir, `${run.name}.json`), JSON.stringify({ ...p, sets: run.sets }, null, 1));
        console.log(`${run.name}: ${p.resources.length} resources`);
    }
    return 0;
}

const byUrn = (p: Plan): Map<string, Record<string, unknown>> => new Map(p.resources.map((r) => [r.urn as string, r]));
const read = (dir: string, name: string): Plan => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Plan;

/**
 * Whether the plans in `dir` record `field` at all. A plan recorded before a field was added
 * (the resolved `aliases`, which are absent where a resource has none) cannot be compared on it.
 */
function recordsField(dir: string, field: string): boolean {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .some((f) => read(dir, f).resources.some((r) => field in r));
}

function compare(a: string, b: string): number {
    const compared = COMPARED.filter((field) => field !== "aliases" || recordsField(a, field));
    if (compared.length < COMPARED.length) {
        console.log(`aliases: not recorded in ${a} (a plan from before they were), not compared`);
    }
    let differences = 0;
    const report = (line: string): void => {
        differences++;
        if (differences <= 200) {
            console.log(line);
        }
    };
    const names = new Set([...fs.readdirSync(a), ...fs.readdirSync(b)].filter((f) => f.endsWith(".json")));
    for (const name of [...names].sort()) {
        if (!fs.existsSync(path.join(a, name)) || !fs.existsSync(path.join(b, name))) {
            report(`${name}: recorded on one side only`);
            continue;
        }
        const [pa, pb] = [read(a, name), read(b, name)];
        const [ra, rb] = [byUrn(pa), byUrn(pb)];
        for (const urn of ra.keys()) {
            if (!rb.has(urn)) {
                report(`${name}: gone ${urn}`);
            }
        }
        for (const [urn, after] of rb) {
            const before = ra.get(urn);
            if (before === undefined) {
                report(`${name}: new ${urn}`);
                continue;
            }
            for (const field of compared) {
                if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
                    report(`${name}: ${urn} ${field} differs`);
                }
            }
        }
        if (JSON.stringify(pa.outputs) !== JSON.stringify(pb.outputs)) {
            report(`${name}: stack outputs differ`);
        }
        console.log(`${name}: ${rb.size} resources compared`);
    }
    console.log(differences === 0 ? "no difference" : `${differences} difference(s)`);
    return differences === 0 ? 0 : 1;
}

function urns(dir: string): number {
    const out: Record<string, { stack?: string; sets?: string[]; urns: string[] }> = {};
    for (const name of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        const p = read(dir, name);
        out[name.replace(/\.json$/, "")] = { stack: p.stack, sets: p.sets, urns: [...byUrn(p).keys()].sort() };
    }
    console.log(JSON.stringify(out, null, 1));
    return 0;
}

async function main(): Promise<number> {
    const [command, a, b] = process.argv.slice(2);
    if (command === "record" && a !== undefined) {
        return record(a);
    }
    if (command === "compare" && a !== undefined && b !== undefined) {
        return compare(a, b);
    }
    if (command === "urns" && a !== undefined) {
        return urns(a);
    }
    console.error("usage: node scripts/run.js compare-plans record <dir> | compare <a> <b> | urns <dir>");
    return 2;
}

runMain(main);
