/**
 * `npm run bench`: measures the program and writes bench/results.md (method: bench/METHOD.md).
 *   1. the whole `npm run plan` process beside the whole floor process (CPU, wall);
 *   2. the evaluation step of each committed stack at 1×, 10× and 50× its contract, beside the
 *      floor, each run in a child process (CPU, wall, peak RSS);
 *   3. a simulated first `pulumi up` on the recorded graph against a data bound computed apart;
 *   4. the rotation blast radius of every rotatable secret.
 * (Whether a second evaluation changes nothing is a test's to say: test/platform/platform.test.ts.)
 * It also writes bench/summary.json and, from it, the README's "Measured performance" section.
 * Options: --stacks dev,prod  --scales 1,10,50  --repeat 3  --large-repeat 1  --out bench/results.md
 * Exits 1 when an invariant fails (false serialisation, a rotation touching a database, cache or
 * add-on); the files are written either way.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { bcryptHash } from "../components/secrets/bcryptHash";
import { committedStacks } from "./lib/stacks";
import { PROJECT_DIR, evaluate } from "../test/support/evaluate";
import { rotationBlastRadius } from "./lib/bench/changes";
import { measurePair } from "./lib/bench/measureRuns";
import { dataBound, valueNeeds } from "./lib/bench/bound";
import { BcryptCost, BenchResults, StackSimulation, renderResults } from "./lib/bench/report";
import { ResourceClass, classOf, falseWaits, schedule } from "./lib/bench/schedule";
import { SUMMARY_PATH, readmeWithBenchSection, renderReadmeSection, summarise } from "./lib/bench/summary";
import { creationTime, resourceSeconds } from "./lib/bench/timeTable";
import { WholeCommand, measureWholeCommand } from "./lib/bench/wholeCommand";
import { README } from "./lib/configReference";

interface Options {
    readonly stacks: string[];
    readonly scales: number[];
    readonly repeat: number;
    readonly largeRepeat: number;
    readonly out: string;
}

const USAGE = "usage: npm run bench -- [--stacks dev,prod] [--scales 1,10,50] [--repeat 3] [--large-repeat 1] [--out bench/results.md]";
const FLAGS = ["--stacks", "--scales", "--repeat", "--large-repeat", "--out"];

function parseArgs(argv: readonly string[]): Options {
    // A mistyped or unknown flag must not start a run of several minutes with the defaults.
    for (let i = 0; i < argv.length; i += 2) {
        if (!FLAGS.includes(argv[i]) || argv[i + 1] === undefined) {
            process.stderr.write(
                `${argv[i] === "--help" || argv[i] === "-h" ? "" : `unknown or incomplete option ${argv[i]}\n`}${USAGE}\n`,
            );
            process.exit(argv[i] === "--help" || argv[i] === "-h" ? 0 : 2);
        }
    }
    const get = (flag: string): string | undefined => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const ints = (s: string): number[] =>
        s.split(",").map((x) => {
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
        loadAverage: os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(", "),
    };
}

/** CPU milliseconds of one bcrypt hash at `cost` (median of three), as the program computes it. */
function hashCpuMs(cost: number): number {
    const salt = Buffer.alloc(16, 7).toString("base64");
    // A different password each run: bcryptHash memoises what it has computed.
    const runs = [0, 1, 2].map((i) => {
        const t0 = process.cpuUsage();
        bcryptHash(`a-24-character-password-${i}-${cost}`, salt, cost);
        const t = process.cpuUsage(t0);
        return (t.user + t.system) / 1000;
    });
    return runs.sort((a, b) => a - b)[1];
}

async function main(): Promise<void> {
    const opts = parseArgs(process.argv.slice(2));
    const started = machine();
    const t0 = Date.now();

    log("1. the whole command");
    const whole: WholeCommand[] = opts.stacks.map((stack) => measureWholeCommand(stack, opts.repeat, log));

    log("2. the evaluation step");
    const pairs = [];
    for (const stack of opts.stacks) {
        for (const scale of opts.scales) {
            pairs.push(measurePair(stack, scale, scale >= 50 ? opts.largeRepeat : opts.repeat, log));
        }
    }
    const bcrypt: BcryptCost[] = [];
    const simulations: StackSimulation[] = [];
    const rotations = [];
    for (const stack of opts.stacks) {
        log(`3-4. ${stack}: simulated deploy, rotations`);
        const base = await evaluate({ stack, recordCreated: true });
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
            bound: dataBound(base.resources, valueNeeds(base.resources, base.created ?? new Map()), resourceSeconds),
            falseWaits: falseWaits(base.resources),
            classes,
            unknownTypes: [
                ...new Set(base.resources.filter((r) => r.custom && creationTime(r.type) === undefined).map((r) => r.type)),
            ].sort(),
        });

        rotations.push({ stack, rotations: await rotationBlastRadius(stack, base) });
    }

    const results: BenchResults = {
        machine: started,
        elapsedSeconds: (Date.now() - t0) / 1000,
        command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
        repeat: opts.repeat,
        largeRepeat: opts.largeRepeat,
        whole,
        pairs,
        bcrypt,
        simulations,
        rotations,
    };
    const { markdown, pass, linear, goal } = renderResults(results);
    const summary = summarise(results);
    const readme = readmeWithBenchSection(fs.readFileSync(README, "utf8"), renderReadmeSection(summary));
    for (const [file, text] of [
        [opts.out, markdown],
        [path.join(PROJECT_DIR, SUMMARY_PATH), `${JSON.stringify(summary, null, 2)}\n`],
        [README, readme],
    ]) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        log(`wrote ${path.relative(PROJECT_DIR, file)}`);
    }
    if (!goal) {
        log(`the whole plan command costs more than its goal against the floor process: see section 1`);
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
