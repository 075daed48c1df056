/** Renders `bench/results.md` from measured figures. */
import { shortType } from "../docs/model";
import { RecordedResource, urnName } from "../evaluate";
import { Changes, Rotation, changeCount } from "./changes";
import { Pair } from "./measureRuns";
import { FalseWait, ResourceClass, Schedule, Timed } from "./schedule";
import { CREATION_TIMES, UNKNOWN_SECONDS } from "./timeTable";

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
    readonly dataOnly: Schedule;
    readonly falseWaits: readonly FalseWait[];
    readonly classes: Readonly<Record<ResourceClass, number>>;
    readonly unknownTypes: readonly string[];
}

export interface StackTraceEffect {
    readonly stack: string;
    readonly resources: number;
    readonly withTracesCpuMs: number;
    readonly withoutTracesCpuMs: number;
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
    readonly pairs: readonly Pair[];
    readonly stackTraces: readonly StackTraceEffect[];
    readonly bcrypt: readonly BcryptCost[];
    readonly simulations: readonly StackSimulation[];
    readonly rotations: readonly { readonly stack: string; readonly rotations: readonly Rotation[] }[];
    readonly drift: readonly { readonly stack: string; readonly changes: Changes; readonly resources: number }[];
}

const MB = 1024 * 1024;
const s1 = (ms: number): string => (ms / 1000).toFixed(2);
const mb = (b: number): string => (b / MB).toFixed(0);
const ratio = (a: number, b: number): string => (b === 0 ? "-" : `${(a / b).toFixed(2)}×`);
const minutes = (s: number): string => (s >= 60 ? `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s` : `${s} s`);
const ok = (pass: boolean): string => (pass ? "✔" : "✘");
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
];

/** log-log slope of cost against resources between two scales: 1.0 is linear. */
export const growthExponent = (n1: number, c1: number, n2: number, c2: number): number => Math.log(c2 / c1) / Math.log(n2 / n1);

/** The exponent up to which growth counts as linear (noise on a shared machine included). */
export const LINEAR_LIMIT = 1.15;

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
    const traces = r.stackTraces.map((t) => [
        `\`${t.stack}\``,
        String(t.resources),
        s1(t.withTracesCpuMs),
        s1(t.withoutTracesCpuMs),
        ratio(t.withTracesCpuMs, t.withoutTracesCpuMs),
    ]);
    return {
        linear,
        lines: [
            "## 1. Plan-evaluation cost",
            "",
            "The real program evaluated under Pulumi's mock runtime (`scripts/lib/evaluate.ts`, the same harness the tests",
            "use), beside a **floor**: a program with none of our logic that replays the recorded registrations (same",
            "types, names, parents and input values, through plain `CustomResource`/`ComponentResource`) under the same",
            "mocks. Synthetic scales copy every contract row (and its consumers) under suffixed keys and pass the result",
            "as `createPlatform(config, contract)`'s second argument. Each run is a child process",
            `(\`node --stack-trace-limit=0 ${"--expose-gc --max-old-space-size=8192"}\`) with the program's modules loaded before the clock starts;`,
            "program and floor runs alternate. CPU is user + system time of the process while evaluating (the figure to",
            "compare: wall time also counts waiting for a busy CPU); peak RSS is the kernel's high-water mark of the",
            "process, with its growth over the RSS just before evaluating in brackets.",
            `Medians of ${plural(r.repeat, "run")} below 50×, ${plural(r.largeRepeat, "run")} at 50× and above.`,
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
                ["stack", "scale", "resources", "program CPU ms", "floor CPU ms", "bcrypt CPU s in the program (est.)", "program RSS growth KB", "floor RSS growth KB"],
                perResource,
            ),
            "",
            "bcrypt: the stack's hashes (× scale) times the CPU of one hash at its `bcryptCost`, measured in the bench",
            `process (${r.bcrypt.map((b) => `\`${b.stack}\`: ${b.hashes} × cost ${b.cost}, ${b.msPerHash.toFixed(0)} ms each`).join("; ")}).`,
            "",
            "Growth between scales: the exponent is the slope of log(CPU) against log(resources) (1.00 is linear; a fixed",
            "start-up cost pulls it below 1); the marginal cost is what each added resource costs, start-up excluded.",
            `Linear when the program's exponent is at most ${LINEAR_LIMIT.toFixed(2)}.`,
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
            ...(traces.length === 0
                ? []
                : [
                      "Stack traces: the same 1× evaluation with Node's default stack-trace limit (the SDK captures one per",
                      "internal promise) against `--stack-trace-limit=0`, which every figure above uses:",
                      "",
                      ...table(["stack", "resources", "CPU s, default limit", "CPU s, limit 0", "ratio"], traces),
                      "",
                  ]),
        ],
    };
}

const describeTimed = (t: Timed): string => `${shortType(t.resource.type)} \`${t.resource.name}\``;

function simulationSection(r: BenchResults): { lines: string[]; pass: boolean } {
    const lines = [
        "## 2. First `pulumi up`, simulated",
        "",
        "The recorded dependency graph of each stack (dependencies, property dependencies, and the parent a child",
        "waits for: its registration needs the parent's URN, which the engine returns once a custom parent exists),",
        "scheduled with unbounded parallelism (the CLI's `--parallel` default) and the creation times below. The",
        "**data bound** schedules the same resources on property dependencies alone, the order the data forces.",
        "Anything the recorded graph finishes later than the data bound is serialised by an explicit `dependsOn` or",
        "by parentage.",
        "",
        "Creation times (estimates for one region, not measured here; a type no row matches counts",
        `${UNKNOWN_SECONDS} s and is listed under its stack):`,
        "",
        ...table(
            ["type (exact, or prefix)", "seconds", "source or rationale"],
            CREATION_TIMES.map((c) => [`\`${c.match}\``, String(c.seconds), c.source]),
        ),
        "",
    ];
    let pass = true;
    for (const sim of r.simulations) {
        const delayed = [...sim.recorded.byUrn.values()]
            .map((t) => ({ t, late: t.finish - (sim.dataOnly.byUrn.get(t.resource.urn)?.finish ?? t.finish) }))
            .filter((x) => x.late > 0)
            .sort((a, b) => b.late - a.late || a.t.resource.urn.localeCompare(b.t.resource.urn));
        const classes = Object.entries(sim.classes)
            .map(([c, n]) => `${c}: ${n}`)
            .join(", ");
        const stackPass = sim.falseWaits.length === 0;
        pass = pass && stackPass;
        lines.push(
            `### Stack \`${sim.stack}\``,
            "",
            `${sim.resources} resources. First deploy: **${minutes(sim.recorded.makespan)}** on the recorded graph, ` +
                `**${minutes(sim.dataOnly.makespan)}** on data dependencies alone (${ratio(sim.recorded.makespan, sim.dataOnly.makespan)}).`,
            "",
            "Critical path (recorded graph):",
            "",
            ...table(
                ["#", "resource", "seconds", "starts at", "done at", "waits for (kind)"],
                sim.recorded.criticalPath.map((t, i) => [
                    String(i + 1),
                    describeTimed(t),
                    String(t.seconds),
                    String(t.start),
                    String(t.finish),
                    t.binding === undefined ? "-" : `\`${urnName(t.binding.on)}\` (${t.binding.kind})`,
                ]),
            ),
            "",
            delayed.length === 0
                ? "No resource finishes later than the data bound: no false serialisation."
                : `${delayed.length} resources finish later than the data bound; the latest:`,
            ...(delayed.length === 0
                ? []
                : [
                      "",
                      ...table(
                          ["resource", "late by s", "waits for (kind)"],
                          delayed
                              .slice(0, 10)
                              .map(({ t, late }) => [
                                  describeTimed(t),
                                  String(late),
                                  t.binding === undefined ? "-" : `\`${urnName(t.binding.on)}\` (${t.binding.kind})`,
                              ]),
                      ),
                  ]),
            "",
            `Classes present: ${classes}.`,
            `${ok(stackPass)} Caches never wait for databases (nor the reverse), and secrets wait for no database, cache or`,
            `add-on they are not derived from: ${sim.falseWaits.length} false waits` +
                (sim.classes.database + sim.classes.cache === 0
                    ? " (this stack has no database or cache yet: the check holds trivially and applies as soon as one lands)."
                    : "."),
            ...sim.falseWaits.map((w) => `- ✘ ${shortType(w.resource.type)} \`${w.resource.name}\` waits for ${shortType(w.waitsFor.type)} \`${w.waitsFor.name}\`: ${w.rule}`),
            ...(sim.unknownTypes.length === 0 ? [] : ["", `Types with no row in the table (counted ${UNKNOWN_SECONDS} s): ${sim.unknownTypes.map((t) => `\`${t}\``).join(", ")}.`]),
            "",
        );
    }
    return { lines, pass };
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
        "## 3. Rotation blast radius",
        "",
        "For each secret a `rotations` bump can rotate, the stack is evaluated again with its generation + 1 and",
        "compared, resource by resource (by URN), with the unrotated evaluation: resources whose inputs change,",
        "appear or disappear. None may be a database (`gcp:sql` DatabaseInstance or Database), a cache (`gcp:redis`",
        "Instance) or a cluster add-on (the External Secrets Helm release).",
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

function driftSection(r: BenchResults): { lines: string[]; pass: boolean } {
    const pass = r.drift.every((d) => changeCount(d.changes) === 0);
    return {
        pass,
        lines: [
            "## 4. Re-run drift",
            "",
            "Each stack evaluated twice with the same config and mock state; resources whose inputs change, appear or",
            "disappear on the second run (must be 0):",
            "",
            ...table(
                ["stack", "resources", "changed", "added", "removed", ""],
                r.drift.map((d) => [
                    `\`${d.stack}\``,
                    String(d.resources),
                    String(d.changes.changed.length),
                    String(d.changes.added.length),
                    String(d.changes.removed.length),
                    ok(changeCount(d.changes) === 0),
                ]),
            ),
            "",
        ],
    };
}

/** The results file, and whether every invariant held. */
export function renderResults(r: BenchResults): { markdown: string; pass: boolean; linear: boolean } {
    const cost = costSection(r);
    const sim = simulationSection(r);
    const rot = rotationSection(r);
    const drift = driftSection(r);
    const m = r.machine;
    const markdown = [
        "# Benchmark results",
        "",
        `Written by \`${r.command}\` (\`scripts/bench.ts\`) in ${minutes(Math.round(r.elapsedSeconds))}; figures move with machine load,`,
        "so compare ratios and CPU time rather than wall time.",
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
        `- ${ok(cost.linear)} plan-evaluation cost grows linearly with the contract (see the growth exponents);`,
        `- ${ok(sim.pass)} no false serialisation between databases, caches and secrets in the simulated first deploy;`,
        `- ${ok(rot.pass)} no rotation touches a database, a cache or a cluster add-on;`,
        `- ${ok(drift.pass)} no drift on a second evaluation.`,
        "",
        ...cost.lines,
        ...sim.lines,
        ...rot.lines,
        ...drift.lines,
        "## Reproduce",
        "",
        "```sh",
        "npm ci",
        "npm run bench                                    # every committed stack at 1×, 10× and 50×",
        "npm run bench -- --stacks dev --scales 1,10 --repeat 1   # quicker",
        "```",
        "",
    ].join("\n");
    return { markdown, pass: sim.pass && rot.pass && drift.pass, linear: cost.linear };
}

/**
 * A README section quoting the headline figures, with links to the generated docs, written beside
 * the results so the two never disagree. Paths are relative to the project root.
 */
export function renderReadmeSection(r: BenchResults): string {
    const stacks = [...new Set(r.pairs.map((p) => p.stack))];
    const pair = (stack: string, pick: "min" | "max"): Pair | undefined => {
        const mine = r.pairs.filter((p) => p.stack === stack).sort((a, b) => a.scale - b.scale);
        return pick === "min" ? mine[0] : mine[mine.length - 1];
    };
    const cell = (stack: string, f: (p: Pair) => string, pick: "min" | "max"): string => {
        const p = pair(stack, pick);
        return p === undefined ? "-" : f(p);
    };
    const perResource = (stack: string): string =>
        r.pairs
            .filter((p) => p.stack === stack)
            .sort((a, b) => a.scale - b.scale)
            .map((p) => `${(p.program.cpuMs / p.program.resources).toFixed(1)} (${p.scale}×)`)
            .join(", ");
    const exponent = (stack: string): string => {
        const mine = r.pairs.filter((p) => p.stack === stack).sort((a, b) => a.scale - b.scale);
        if (mine.length < 2) {
            return "-";
        }
        const [a, b] = [mine[mine.length - 2], mine[mine.length - 1]];
        return `${growthExponent(a.program.resources, a.program.cpuMs, b.program.resources, b.program.cpuMs).toFixed(2)} (${a.scale}× → ${b.scale}×)`;
    };
    const sim = (stack: string): string => {
        const s = r.simulations.find((x) => x.stack === stack);
        return s === undefined ? "-" : `${minutes(s.recorded.makespan)} (data bound ${minutes(s.dataOnly.makespan)}), ${s.falseWaits.length} false waits`;
    };
    const blast = (stack: string): string => {
        const rot = r.rotations.find((x) => x.stack === stack)?.rotations ?? [];
        const sizes = rot.filter((x) => x.changes !== undefined).map((x) => changeCount(x.changes as Changes));
        const forbidden = rot.flatMap((x) => x.forbidden).length;
        if (sizes.length === 0) {
            return "no secret rotates by a generation bump";
        }
        return `${Math.min(...sizes)}-${Math.max(...sizes)} resources over ${sizes.length} secrets; ${forbidden} database, cache or add-on`;
    };
    const drift = (stack: string): string => {
        const d = r.drift.find((x) => x.stack === stack);
        return d === undefined ? "-" : String(changeCount(d.changes));
    };
    const row = (label: string, f: (stack: string) => string): string[] => [label, ...stacks.map(f)];
    const m = r.machine;
    return [
        "## Operator docs and measured performance",
        "",
        "Generated from the secret contract by `npm run docs` (the test run fails when they are stale):",
        "",
        "- [docs/secret-contract.md](docs/secret-contract.md): per stack, every secret with its source, when it is",
        "  needed, its backend id and its consumers; and what an operator must provide per feature set;",
        "- [docs/delivery-flow.svg](docs/delivery-flow.svg) (source [docs/delivery-flow.dot](docs/delivery-flow.dot)):",
        "  values → backend → read grants → Kubernetes Secrets and Cloud Run env → workloads;",
        "- [.env.example](.env.example): the variables a workload reads, for local development (no values).",
        "",
        "![Delivery flow of every secret](docs/delivery-flow.svg)",
        "",
        `\`npm run bench\` measured on ${m.date} (${m.cpu}, ${m.cores} cores, Node.js ${m.node}, load average ${m.loadAverage.split(",")[0]});`,
        "full tables and method in [bench/results.md](bench/results.md):",
        "",
        ...table(
            ["", ...stacks.map((s) => `\`${s}\``)],
            [
                row("plan evaluation, committed stack (CPU, × floor)", (s) =>
                    cell(s, (p) => `${s1(p.program.cpuMs)} s for ${p.program.resources} resources, ${ratio(p.program.cpuMs, p.floor.cpuMs)}`, "min"),
                ),
                row("plan evaluation, largest synthetic contract", (s) =>
                    cell(
                        s,
                        (p) =>
                            `${p.scale}×: ${s1(p.program.cpuMs)} s for ${p.program.resources} resources, ${ratio(p.program.cpuMs, p.floor.cpuMs)}; ` +
                            `peak RSS ${mb(p.program.peakRssBytes)} MB`,
                        "max",
                    ),
                ),
                row("CPU ms per resource", perResource),
                row("growth exponent (1.00 = linear)", exponent),
                row("simulated first `pulumi up`", sim),
                row("rotation blast radius", blast),
                row("re-run drift (resources)", drift),
            ],
        ),
        "",
        `Reproduce with \`npm ci && npm run bench\` (every committed stack at 1×, 10× and 50×; this run took`,
        `${minutes(Math.round(r.elapsedSeconds))}), or \`npm run bench -- --stacks dev --scales 1,10 --repeat 1\` for a quick run. The bench`,
        "writes `bench/results.md` and this section (`docs/README-bench-section.md`).",
        "",
    ].join("\n");
}
