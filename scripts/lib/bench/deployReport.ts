/** Section 3 of bench/results.md: the simulated first deploy against the data bound. */
import { shortType } from "../docs/model";
import { urnName } from "../../../test/support/evaluate";
import { minutes, ok, plural, ratio, table } from "./markdown";
import type { BenchResults, StackSimulation } from "./report";
import { EdgeKind, Timed } from "./schedule";
import { CREATION_TIMES, UNKNOWN_SECONDS } from "./timeTable";

const describeTimed = (t: Timed): string => `${shortType(t.resource.type)} \`${t.resource.name}\``;

/** Why a resource the recorded graph starts late waits for what holds it. */
function whyLate(sim: StackSimulation, t: Timed): string {
    const on = t.binding?.on;
    if (on === undefined) {
        return "-";
    }
    if (sim.bound.needs.get(t.resource.urn)?.has(on)) {
        return `needs a value \`${urnName(on)}\` creates, and that starts late itself`;
    }
    return whyKind(t.binding?.kind as EdgeKind);
}

function whyKind(kind: EdgeKind): string {
    switch (kind) {
        case "dependsOn":
            return "an explicit dependsOn";
        case "parent":
            return "its parent: registered once the parent exists";
        case "data":
            return "an input Output whose value is known beforehand (a name, a setting): the engine waits for it to exist";
    }
}

export function simulationSection(r: BenchResults): { lines: string[]; pass: boolean } {
    const lines = [
        "## 3. First `pulumi up`, simulated",
        "",
        "The recorded graph against the data bound, computed apart from it from value needs and creation times alone",
        "([method](METHOD.md#3-first-pulumi-up-simulated)). Creation times (estimates for one region, not measured",
        `here; a type no row matches counts ${UNKNOWN_SECONDS} s and is listed under its stack):`,
        "",
        ...table(
            ["type (exact, or prefix)", "seconds", "source or rationale"],
            CREATION_TIMES.map((c) => [`\`${c.match}\``, String(c.seconds), c.source]),
        ),
        "",
    ];
    let pass = true;
    for (const sim of r.simulations) {
        const late = lateStarts(sim);
        const classes = Object.entries(sim.classes)
            .map(([c, n]) => `${c}: ${n}`)
            .join(", ");
        const stackPass = sim.falseWaits.length === 0;
        pass = pass && stackPass;
        lines.push(
            `### Stack \`${sim.stack}\``,
            "",
            `${sim.resources} resources. First deploy: **${minutes(sim.recorded.makespan)}** on the recorded graph; ` +
                `data bound **${minutes(sim.bound.makespan)}** (recorded ${ratio(sim.recorded.makespan, sim.bound.makespan)}).`,
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
            late.length === 0
                ? "No resource starts later than the data bound."
                : `${plural(late.length, "resource")} start later than the data bound (by kind: ${countBy(late.map((l) => l.t.binding?.kind ?? "-"))}):`,
            ...(late.length === 0
                ? []
                : [
                      "",
                      ...table(
                          ["resource", "starts at", "bound", "late by s", "waits for (kind)", "why"],
                          late.map(({ t, bound, by }) => [
                              describeTimed(t),
                              String(t.start),
                              String(bound),
                              String(by),
                              t.binding === undefined ? "-" : `\`${urnName(t.binding.on)}\` (${t.binding.kind})`,
                              whyLate(sim, t),
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
            ...sim.falseWaits.map(
                (w) =>
                    `- ✘ ${shortType(w.resource.type)} \`${w.resource.name}\` waits for ${shortType(w.waitsFor.type)} \`${w.waitsFor.name}\`: ${w.rule}`,
            ),
            ...(sim.unknownTypes.length === 0
                ? []
                : [
                      "",
                      `Types with no row in the table (counted ${UNKNOWN_SECONDS} s): ${sim.unknownTypes.map((t) => `\`${t}\``).join(", ")}.`,
                  ]),
            "",
        );
    }
    return { lines, pass };
}

/** Resources the recorded graph starts later than the data bound, latest first. */
export function lateStarts(sim: Pick<StackSimulation, "recorded" | "bound">): { t: Timed; bound: number; by: number }[] {
    return [...sim.recorded.byUrn.values()]
        .map((t) => {
            const bound = sim.bound.byUrn.get(t.resource.urn)?.start ?? t.start;
            return { t, bound, by: t.start - bound };
        })
        .filter((x) => x.by > 0)
        .sort((a, b) => b.by - a.by || a.t.resource.urn.localeCompare(b.t.resource.urn));
}

const countBy = (xs: readonly string[]): string => {
    const counts = new Map<string, number>();
    for (const x of xs) {
        counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    return [...counts].map(([k, n]) => `${k} ${n}`).join(", ");
};
