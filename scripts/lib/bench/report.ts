/** Renders `bench/results.md` from measured figures (the method is bench/METHOD.md). */
import { shortType } from "../docs/model";
import { RecordedResource } from "../../../test/support/evaluate";
import { DataBound } from "./bound";
import { Changes, Rotation, changeCount } from "./changes";
import { simulationSection } from "./deployReport";
import { LINEAR_LIMIT, growthExponent, mb, minutes, ok, plural, ratio, s1, table } from "./markdown";
import { Pair } from "./measureRuns";
import { FalseWait, ResourceClass, Schedule } from "./schedule";
import { WholeCommand } from "./wholeCommand";

export interface Machine {
    readonly date: string;
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly node: string;
    readonly os: string;
    readonly pulumiSdk: string;
    readonly loadAverage: string;
}

export interface StackSimulation {
    readonly stack: string;
    readonly resources: number;
    readonly recorded: Schedule;
    /** The data bound, from value needs and creation times alone (see bound.ts). */
    readonly bound: DataBound;
    readonly falseWaits: readonly FalseWait[];
    readonly classes: Readonly<Record<ResourceClass, number>>;
    readonly unknownTypes: readonly string[];
}

/** What bcrypt hashing (pure JavaScript, in the program) costs a stack at 1×. */
export interface BcryptCost {
    readonly stack: string;
    readonly cost: number;
    /** bcrypt rows the stack evaluates at 1× (a synthetic scale multiplies them). */
    readonly hashes: number;
    /** CPU time of one hash at `cost`, measured in the bench process. */
    readonly msPerHash: number;
}

export interface BenchResults {
    readonly machine: Machine;
    /** Wall time of the whole bench run, in seconds. */
    readonly elapsedSeconds: number;
    readonly command: string;
    readonly repeat: number;
    readonly largeRepeat: number;
    readonly whole: readonly WholeCommand[];
    readonly pairs: readonly Pair[];
    readonly bcrypt: readonly BcryptCost[];
    readonly simulations: readonly StackSimulation[];
    readonly rotations: readonly { readonly stack: string; readonly rotations: readonly Rotation[] }[];
}

function costSection(r: BenchResults): { lines: string[]; linear: boolean } {
    const rows = r.pairs.map((p) => [
        `\`${p.stack}\``,
        `${p.scale}×`,
        String(p.program.secrets),
        String(p.program.resources),
        s1(p.program.cpuMs),
        s1(p.floor.cpuMs),
        ratio(p.program.cpuMs, p.floor.cpuMs),
        s1(p.program.wallMs),
        s1(p.floor.wallMs),
        ratio(p.program.wallMs, p.floor.wallMs),
        `${mb(p.program.peakRssBytes)} (+${mb(p.program.rssGrowthBytes)})`,
        `${mb(p.floor.peakRssBytes)} (+${mb(p.floor.rssGrowthBytes)})`,
        ratio(p.program.rssGrowthBytes, p.floor.rssGrowthBytes),
        `${p.program.runs}`,
    ]);
    const bcryptMs = (p: Pair): number => {
        const b = r.bcrypt.find((x) => x.stack === p.stack);
        return b === undefined ? 0 : b.hashes * p.scale * b.msPerHash;
    };
    const perResource = r.pairs.map((p) => [
        `\`${p.stack}\``,
        `${p.scale}×`,
        String(p.program.resources),
        (p.program.cpuMs / p.program.resources).toFixed(2),
        (p.floor.cpuMs / p.floor.resources).toFixed(2),
        `${s1(bcryptMs(p))} (${((100 * bcryptMs(p)) / p.program.cpuMs).toFixed(0)} %)`,
        (p.program.rssGrowthBytes / p.program.resources / 1024).toFixed(0),
        (p.floor.rssGrowthBytes / p.floor.resources / 1024).toFixed(0),
    ]);
    const exponents: string[][] = [];
    let linear = true;
    for (const stack of [...new Set(r.pairs.map((p) => p.stack))]) {
        const mine = r.pairs.filter((p) => p.stack === stack).sort((a, b) => a.scale - b.scale);
        for (let i = 1; i < mine.length; i++) {
            const [a, b] = [mine[i - 1], mine[i]];
            const prog = growthExponent(a.program.resources, a.program.cpuMs, b.program.resources, b.program.cpuMs);
            const floor = growthExponent(a.floor.resources, a.floor.cpuMs, b.floor.resources, b.floor.cpuMs);
            const mem = growthExponent(a.program.resources, a.program.rssGrowthBytes, b.program.resources, b.program.rssGrowthBytes);
            const pass = prog <= LINEAR_LIMIT;
            linear = linear && pass;
            // Marginal cost: what each added resource costs, start-up cost excluded.
            const dn = b.program.resources - a.program.resources;
            const progMarginal = (b.program.cpuMs - a.program.cpuMs) / dn;
            const floorMarginal = (b.floor.cpuMs - a.floor.cpuMs) / dn;
            exponents.push([
                `\`${stack}\``,
                `${a.scale}× → ${b.scale}×`,
                prog.toFixed(2),
                floor.toFixed(2),
                mem.toFixed(2),
                progMarginal.toFixed(2),
                floorMarginal.toFixed(2),
                ratio(progMarginal, floorMarginal),
                ok(pass),
            ]);
        }
    }
    return {
        linear,
        lines: [
            "## 2. The evaluation step",
            "",
            "The program's evaluation alone, in a child process with its modules loaded, beside the floor replaying the",
            `same registrations ([method](METHOD.md#2-the-evaluation-step)). Medians of ${plural(r.repeat, "run")} below 50×,`,
            `${plural(r.largeRepeat, "run")} at 50× and above.`,
            "",
            ...table(
                [
                    "stack",
                    "scale",
                    "secrets",
                    "resources",
                    "program CPU s",
                    "floor CPU s",
                    "CPU ratio",
                    "program wall s",
                    "floor wall s",
                    "wall ratio",
                    "program peak RSS MB (growth)",
                    "floor peak RSS MB (growth)",
                    "RSS growth ratio",
                    "runs",
                ],
                rows,
            ),
            "",
            "Per resource:",
            "",
            ...table(
                [
                    "stack",
                    "scale",
                    "resources",
                    "program CPU ms",
                    "floor CPU ms",
                    "bcrypt CPU s in the program (est.)",
                    "program RSS growth KB",
                    "floor RSS growth KB",
                ],
                perResource,
            ),
            "",
            `bcrypt hashes per stack at 1×, the estimate's basis (${r.bcrypt.map((b) => `\`${b.stack}\`: ${b.hashes} × cost ${b.cost}, ${b.msPerHash.toFixed(0)} ms each`).join("; ")}).`,
            "",
            `Growth between scales (linear when the program's exponent is at most ${LINEAR_LIMIT.toFixed(2)}):`,
            "",
            ...table(
                [
                    "stack",
                    "scales",
                    "program CPU exponent",
                    "floor CPU exponent",
                    "program RSS growth exponent",
                    "program marginal CPU ms/resource",
                    "floor marginal CPU ms/resource",
                    "marginal ratio",
                    "linear",
                ],
                exponents,
            ),
            "",
        ],
    };
}

const byType = (rs: readonly RecordedResource[]): string => {
    const counts = new Map<string, number>();
    for (const r of rs) {
        counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
    }
    return [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([t, n]) => `${n} × ${t}`)
        .join(", ");
};

function rotationSection(r: BenchResults): { lines: string[]; pass: boolean } {
    const lines = [
        "## 4. Rotation blast radius",
        "",
        "Resources a `rotations` bump of each secret changes; none may be a database, a cache or a cluster add-on",
        "([method](METHOD.md#4-rotation-blast-radius)).",
        "",
    ];
    let pass = true;
    for (const { stack, rotations } of r.rotations) {
        const rotatable = rotations.filter((x) => x.changes !== undefined);
        const max = Math.max(0, ...rotatable.map((x) => changeCount(x.changes as Changes)));
        const forbidden = rotations.flatMap((x) => x.forbidden);
        pass = pass && forbidden.length === 0;
        lines.push(
            `### Stack \`${stack}\``,
            "",
            ...table(
                ["secret", "resources changed", "which", "database, cache or add-on touched"],
                rotations.map((x) =>
                    x.changes === undefined
                        ? [`\`${x.key}\``, "-", `not rotated by a bump: ${x.notRotatable}`, "-"]
                        : [
                              `\`${x.key}\``,
                              String(changeCount(x.changes)),
                              [
                                  x.changes.changed.length > 0 ? `changed ${byType(x.changes.changed)}` : "",
                                  x.changes.added.length > 0 ? `added ${byType(x.changes.added)}` : "",
                                  x.changes.removed.length > 0 ? `removed ${byType(x.changes.removed)}` : "",
                              ]
                                  .filter((s) => s !== "")
                                  .join("; "),
                              x.forbidden.length === 0 ? "✔ none" : `✘ ${x.forbidden.map((f) => `\`${f.name}\``).join(", ")}`,
                          ],
                ),
            ),
            "",
            `${ok(forbidden.length === 0)} ${rotatable.length} rotatable secrets; the largest radius is ${max} resources; ` +
                `${forbidden.length} database, cache or add-on resources touched.`,
            "",
        );
    }
    return { lines, pass };
}

/** The whole plan command may cost at most this many times the whole floor process (CPU). */
export const WHOLE_COMMAND_GOAL = 1.5;

/** Estimated bcrypt CPU of one evaluation of the committed stack: its hashes times one hash's cost. */
const bcryptMsAt1 = (r: BenchResults, stack: string): number => {
    const b = r.bcrypt.find((x) => x.stack === stack);
    return b === undefined ? 0 : b.hashes * b.msPerHash;
};

function wholeSection(r: BenchResults): { lines: string[]; pass: boolean } {
    const pass = r.whole.every((w) => w.plan.cpuMs <= WHOLE_COMMAND_GOAL * w.floor.cpuMs);
    return {
        pass,
        lines: [
            "## 1. The whole command",
            "",
            "`npm run plan` from process start to exit beside the floor process, a minimal program registering the same",
            "resources under the same mocks, started alike and alternating ([method](METHOD.md#1-the-whole-command)).",
            `Medians of ${plural(r.whole[0]?.runs ?? 0, "run")}. Goal: the plan's CPU at most ${WHOLE_COMMAND_GOAL.toFixed(1)}× the floor's.`,
            "",
            ...table(
                [
                    "stack",
                    "resources",
                    "plan CPU s",
                    "floor CPU s",
                    "CPU ratio",
                    "goal",
                    "bcrypt in the plan s (est.)",
                    "ratio without bcrypt",
                    "plan wall s",
                    "floor wall s",
                    "`npm run plan` CPU s (npm included)",
                ],
                r.whole.map((w) => [
                    `\`${w.stack}\``,
                    String(w.resources),
                    s1(w.plan.cpuMs),
                    s1(w.floor.cpuMs),
                    ratio(w.plan.cpuMs, w.floor.cpuMs),
                    ok(w.plan.cpuMs <= WHOLE_COMMAND_GOAL * w.floor.cpuMs),
                    s1(bcryptMsAt1(r, w.stack)),
                    ratio(w.plan.cpuMs - bcryptMsAt1(r, w.stack), w.floor.cpuMs),
                    s1(w.plan.wallMs),
                    s1(w.floor.wallMs),
                    s1(w.npm.cpuMs),
                ]),
            ),
            "",
            ...(r.whole.length === 0
                ? []
                : ["Command lines:", "", "```sh", r.whole[0].commands.plan, r.whole[0].commands.floor, r.whole[0].commands.npm, "```", ""]),
        ],
    };
}

/** The results file, and whether every invariant held. */
export function renderResults(r: BenchResults): { markdown: string; pass: boolean; linear: boolean; goal: boolean } {
    const whole = wholeSection(r);
    const cost = costSection(r);
    const sim = simulationSection(r);
    const rot = rotationSection(r);
    const m = r.machine;
    const markdown = [
        "# Benchmark results",
        "",
        `Written by \`${r.command}\` (\`scripts/bench.ts\`) in ${minutes(Math.round(r.elapsedSeconds))}. How each figure is measured:`,
        "[METHOD.md](METHOD.md). Figures move with machine load: compare CPU time and side-by-side ratios.",
        "",
        ...table(
            ["", ""],
            [
                ["date", m.date],
                ["CPU", `${m.cpu}, ${m.cores} cores`],
                ["memory", `${m.memoryGiB.toFixed(1)} GiB`],
                ["Node.js", m.node],
                ["OS", m.os],
                ["@pulumi/pulumi", m.pulumiSdk],
                ["load average when the bench started (1, 5, 15 min)", m.loadAverage],
            ],
        ),
        "",
        "Summary:",
        "",
        `- ${ok(whole.pass)} the whole plan command costs at most ${WHOLE_COMMAND_GOAL.toFixed(1)}× the whole floor process (CPU);`,
        `- ${ok(cost.linear)} plan-evaluation cost grows linearly with the contract (see the growth exponents);`,
        `- ${ok(sim.pass)} no false serialisation between databases, caches and secrets in the simulated first deploy;`,
        `- ${ok(rot.pass)} no rotation touches a database, a cache or a cluster add-on.`,
        "",
        ...whole.lines,
        ...cost.lines,
        ...sim.lines,
        ...rot.lines,
    ].join("\n");
    return { markdown, pass: sim.pass && rot.pass, linear: cost.linear, goal: whole.pass };
}
