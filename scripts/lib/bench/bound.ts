/**
 * The data bound of a first `pulumi up`, computed apart from the recorded graph: no dependency,
 * dependsOn or parent the program declared is used. A resource needs another when one of its
 * input values exists only once the other is created: the other's id, or an output the engine
 * computed (an address, an email, a version, a generated value), not an input it echoes back.
 * Those needs come from the values alone (what the mock engine returned, found again in the
 * inputs), and the bound is the earliest each resource could finish with the table's creation
 * times and unbounded parallelism: a longest path, in topological order.
 *
 * What the bound leaves out is reported, not hidden: a resource the recorded graph starts later
 * waits for something data does not force (a dependsOn, a parent, or a reference by a value known
 * beforehand, such as a name), and the bench says which.
 */
import { CreatedResource, RecordedResource, unwrap } from "../../../test/support/evaluate";

/** Created values shorter than this are too common to tell producers apart (and are skipped). */
const MIN_LENGTH = 3;
/** Created values at least this long are also found inside longer inputs (a URL holding an address). */
const MIN_EMBEDDED = 8;
const LITERALS = new Set(["true", "false", "null"]);

/** Every string leaf of a value, with its path. */
function leaves(v: unknown, path = "", out: [string, string][] = []): [string, string][] {
    if (typeof v === "string") {
        out.push([path, v]);
    } else if (Array.isArray(v)) {
        v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
    } else if (typeof v === "object" && v !== null) {
        for (const [k, x] of Object.entries(v)) {
            leaves(x, `${path}.${k}`, out);
        }
    }
    return out;
}

/** Values that exist only once `r` is created: its id, and outputs that are not inputs echoed back. */
export function createdValues(r: Pick<RecordedResource, "inputs">, created: CreatedResource): string[] {
    const inputs = leaves(unwrap(r.inputs));
    const inputValues = new Set(inputs.map(([, v]) => v));
    const out = new Set<string>([created.id]);
    for (const [, v] of leaves(created.state)) {
        out.add(v);
    }
    return [...out].filter((v) => v.length >= MIN_LENGTH && !LITERALS.has(v) && !inputValues.has(v));
}

/** For each resource (by URN), the resources whose created values its inputs use. */
export function valueNeeds(
    resources: readonly RecordedResource[],
    created: ReadonlyMap<string, CreatedResource>,
): Map<string, Set<string>> {
    const producers = new Map<string, Set<string>>();
    for (const r of resources) {
        const c = created.get(r.urn);
        for (const v of c === undefined ? [] : createdValues(r, c)) {
            // A URL carries a value percent-encoded (a connection name's colons, say).
            for (const form of new Set([v, encodeURIComponent(v)])) {
                producers.set(form, (producers.get(form) ?? new Set()).add(r.urn));
            }
        }
    }
    const embedded = [...producers.keys()].filter((v) => v.length >= MIN_EMBEDDED);
    const needs = new Map<string, Set<string>>();
    for (const r of resources) {
        const mine = new Set<string>();
        for (const [, v] of leaves(unwrap(r.inputs))) {
            for (const p of producers.get(v) ?? []) {
                mine.add(p);
            }
            for (const token of embedded) {
                if (v !== token && v.includes(token)) {
                    for (const p of producers.get(token) ?? []) {
                        mine.add(p);
                    }
                }
            }
        }
        mine.delete(r.urn);
        needs.set(r.urn, mine);
    }
    return needs;
}

export interface BoundTime {
    readonly start: number;
    readonly finish: number;
    /** The need that sets the start (none: starts at once). */
    readonly after?: string;
}

export interface DataBound {
    readonly byUrn: ReadonlyMap<string, BoundTime>;
    readonly makespan: number;
    readonly needs: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Earliest start and finish of every resource on its value needs alone (Kahn's topological order). */
export function dataBound(
    resources: readonly RecordedResource[],
    needs: ReadonlyMap<string, ReadonlySet<string>>,
    seconds: (r: RecordedResource) => number,
): DataBound {
    const waiting = new Map(resources.map((r) => [r.urn, needs.get(r.urn)?.size ?? 0]));
    const users = new Map<string, string[]>();
    for (const [urn, ns] of needs) {
        for (const n of ns) {
            users.set(n, [...(users.get(n) ?? []), urn]);
        }
    }
    const byResource = new Map(resources.map((r) => [r.urn, r]));
    const times = new Map<string, BoundTime>();
    const ready = resources.filter((r) => waiting.get(r.urn) === 0).map((r) => r.urn);
    while (ready.length > 0) {
        const urn = ready.pop() as string;
        let start = 0;
        let after: string | undefined;
        for (const n of needs.get(urn) ?? []) {
            const f = (times.get(n) as BoundTime).finish;
            if (f > start) {
                start = f;
                after = n;
            }
        }
        const finish = start + seconds(byResource.get(urn) as RecordedResource);
        times.set(urn, { start, finish, ...(after === undefined ? {} : { after }) });
        for (const u of users.get(urn) ?? []) {
            const left = (waiting.get(u) as number) - 1;
            waiting.set(u, left);
            if (left === 0) {
                ready.push(u);
            }
        }
    }
    const stuck = resources.filter((r) => !times.has(r.urn));
    if (stuck.length > 0) {
        throw new Error(`value needs form a cycle through ${stuck.map((r) => r.name).join(", ")}`);
    }
    return { byUrn: times, makespan: Math.max(0, ...[...times.values()].map((t) => t.finish)), needs };
}
