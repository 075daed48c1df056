/**
 * `npm run bench`: measures the program and writes bench/results.md.
 *   1. plan-evaluation cost of each committed stack at 1×, 10× and 50× its contract, beside a floor
 *      program, each run in a child process (CPU, wall, peak RSS);
 *   2. a simulated first `pulumi up` on the recorded dependency graph against the data bound;
 *   3. the rotation blast radius of every rotatable secret;
 *   4. re-run drift.
 * It also writes docs/README-bench-section.md, the README's section quoting the headline figures.
 * Options: --stacks dev,prod  --scales 1,10,50  --repeat 3  --large-repeat 1  --out bench/results.md
 *          --section docs/README-bench-section.md
 * Exits 1 when an invariant fails (false serialisation, a rotation touching a database, cache or
 * add-on, drift); the results file is written either way.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { bcryptHash } from "../components/secrets/bcryptHash";
import { committedStacks } from "./lib/docs/model";
import { PROJECT_DIR, evaluate } from "./lib/evaluate";
import { diff, rotationBlastRadius } from "./lib/bench/changes";
import { measureInChild, measurePair } from "./lib/bench/measureRuns";
import { BcryptCost, BenchResults, StackSimulation, StackTraceEffect, renderReadmeSection, renderResults } from "./lib/bench/report";
import { ResourceClass, classOf, falseWaits, schedule } from "./lib/bench/schedule";
import { creationTime } from "./lib/bench/timeTable";

interface Options {
    readonly stacks: string[];
    readonly scales: number[];
    readonly repeat: number;
    readonly largeRepeat: number;
    readonly out: string;
    readonly section: string;
}

function parseArgs(argv: readonly string[]): Options {
    const get = (flag: string): string | undefined => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const ints = (s: string): number[] => s.split(",").map((x) => {
        const n = Number(x);
        if (!Number.isInteger(n) || n < 1) {
            throw new Error(`not a whole number from 1: ${x}`);
        }
        return n;
    });
    return {
        stacks: get("--stacks")?.split(",") ?? committedStacks(),
        scales: ints(get("--scales") ?? "1,10,50"),
        repeat: ints(get("--repeat") ?? "3")[0],
        largeRepeat: ints(get("--large-repeat") ?? "1")[0],
        out: path.resolve(PROJECT_DIR, get("--out") ?? "bench/results.md"),
        section: path.resolve(PROJECT_DIR, get("--section") ?? "docs/README-bench-section.md"),
    };
}

const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
};

function machine(): BenchResults["machine"] {
    const pulumiSdk = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
    return {
        date: `${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC`,
        cpu: os.cpus()[0]?.model.trim() ?? "unknown",
        cores: os.cpus().length,
        memoryGiB: os.totalmem() / 1024 ** 3,
        node: process.version,
        os: `${os.type()} ${os.release()} (${os.arch()})`,
        pulumiSdk,
        loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(", "),
    };
}

/** CPU milliseconds of one bcrypt hash at `cost` (median of three), as the program computes it. */
function hashCpuMs(cost: number): number {
    const salt = Buffer.alloc(16, 7).toString("base64");
    const runs = [0, 1, 2].map(() => {
        const t0 = process.cpuUsage();
        bcryptHash("a-24-character-password", salt, cost);
        const t = process.cpuUsage(t0);
        return (t.user + t.system) / 1000;
    });
    return runs.sort((a, b) => a - b)[1];
}

async function main(): Promise<void> {
    const opts = parseArgs(process.argv.slice(2));
    const started = machine();
    const t0 = Date.now();

    log("1. plan-evaluation cost");
    const pairs = [];
    for (const stack of opts.stacks) {
        for (const scale of opts.scales) {
            pairs.push(measurePair(stack, scale, scale >= 50 ? opts.largeRepeat : opts.repeat, log));
        }
    }
    const stackTraces: StackTraceEffect[] = [];
    for (const stack of opts.stacks) {
        const withTraces = measureInChild({ mode: "program", stack, scale: 1 }, true);
        const without = measureInChild({ mode: "program", stack, scale: 1 }, false);
        stackTraces.push({ stack, resources: without.resources, withTracesCpuMs: withTraces.cpuMs, withoutTracesCpuMs: without.cpuMs });
        log(`  ${stack}: stack traces on ${withTraces.cpuMs.toFixed(0)} ms CPU, off ${without.cpuMs.toFixed(0)} ms`);
    }

    const bcrypt: BcryptCost[] = [];
    const simulations: StackSimulation[] = [];
    const rotations = [];
    const drift = [];
    for (const stack of opts.stacks) {
        log(`2-4. ${stack}: simulated deploy, rotations, drift`);
        const base = await evaluate({ stack });
        if (base.error !== undefined) {
            throw new Error(`stack ${stack} does not evaluate: ${base.error.message}`);
        }
        const cost = base.platform?.config.bcryptCost ?? 10;
        const hashes = base.platform?.active.filter((a) => a.spec.source.kind === "bcrypt").length ?? 0;
        bcrypt.push({ stack, cost, hashes, msPerHash: hashCpuMs(cost) });
        const classes: Record<ResourceClass, number> = { database: 0, cache: 0, secret: 0, "cluster add-on": 0 };
        for (const r of base.resources) {
            const c = classOf(r);
            if (c !== undefined) {
                classes[c] += 1;
            }
        }
        simulations.push({
            stack,
            resources: base.resources.length,
            recorded: schedule(base.resources, { dataOnly: false }),
            dataOnly: schedule(base.resources, { dataOnly: true }),
            falseWaits: falseWaits(base.resources),
            classes,
            unknownTypes: [...new Set(base.resources.filter((r) => r.custom && creationTime(r.type) === undefined).map((r) => r.type))].sort(),
        });

        const again = await evaluate({ stack });
        drift.push({ stack, changes: diff(base, again), resources: base.resources.length });
        rotations.push({ stack, rotations: await rotationBlastRadius(stack, base) });
    }

    const results: BenchResults = {
        machine: started,
        elapsedSeconds: (Date.now() - t0) / 1000,
        command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
        repeat: opts.repeat,
        largeRepeat: opts.largeRepeat,
        pairs,
        stackTraces,
        bcrypt,
        simulations,
        rotations,
        drift,
    };
    const { markdown, pass, linear } = renderResults(results);
    for (const [file, text] of [
        [opts.out, markdown],
        [opts.section, renderReadmeSection(results)],
    ]) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        log(`wrote ${path.relative(PROJECT_DIR, file)}`);
    }
    if (!linear) {
        log("cost grows faster than linearly: see the growth exponents");
    }
    if (!pass) {
        log("an invariant failed: see the ✘ marks in the results");
        process.exit(1);
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
});
