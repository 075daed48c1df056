/**
 * A first `pulumi up`, simulated on the recorded resource graph. The engine creates a resource as
 * soon as everything it waits for exists, with unbounded parallelism (the CLI's `--parallel`
 * default). A resource waits for:
 *   - its dependencies (explicit `dependsOn` and the resources its input Outputs come from),
 *   - its parent: a child's registration needs the parent's URN, which the engine returns only
 *     once a custom parent is created (a component parent takes no time but carries its own waits).
 * `dataOnly` keeps only `propertyDependencies`, which the false-wait check compares against; the
 * bench's data bound is computed apart from this graph (bound.ts).
 */
import { RecordedResource } from "../../../test/support/evaluate";
import { resourceSeconds } from "./timeTable";

export type EdgeKind = "data" | "dependsOn" | "parent";

export interface Wait {
    readonly on: string;
    readonly kind: EdgeKind;
}

export interface Timed {
    readonly resource: RecordedResource;
    readonly seconds: number;
    readonly start: number;
    readonly finish: number;
    /** The wait that set the start (undefined: starts at once). */
    readonly binding?: Wait;
}

export interface Schedule {
    readonly byUrn: ReadonlyMap<string, Timed>;
    readonly makespan: number;
    /** From the first resource to the last one to finish, each waiting on the one before. */
    readonly criticalPath: readonly Timed[];
}

/** What a resource waits for, by kind; waits on resources not in the recording are dropped. */
export function waitsOf(r: RecordedResource, known: ReadonlySet<string>, dataOnly: boolean): Wait[] {
    const data = new Set(Object.values(r.propertyDependencies).flat());
    const waits: Wait[] = [...data].map((on) => ({ on, kind: "data" as const }));
    if (!dataOnly) {
        for (const on of r.dependencies) {
            if (!data.has(on)) {
                waits.push({ on, kind: "dependsOn" });
            }
        }
        if (r.parent !== null) {
            waits.push({ on: r.parent, kind: "parent" });
        }
    }
    return waits.filter((w) => known.has(w.on) && w.on !== r.urn);
}

/** Earliest start and finish of every resource, and the critical path. */
export function schedule(
    resources: readonly RecordedResource[],
    opts: { dataOnly: boolean; seconds?: (r: RecordedResource) => number },
): Schedule {
    const seconds = opts.seconds ?? resourceSeconds;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const known = new Set(byUrn.keys());
    const timed = new Map<string, Timed>();
    const visiting = new Set<string>();

    const visit = (urn: string): Timed => {
        const done = timed.get(urn);
        if (done !== undefined) {
            return done;
        }
        if (visiting.has(urn)) {
            throw new Error(`dependency cycle through ${urn}`);
        }
        visiting.add(urn);
        const r = byUrn.get(urn) as RecordedResource;
        let start = 0;
        let binding: Wait | undefined;
        for (const w of waitsOf(r, known, opts.dataOnly)) {
            const f = visit(w.on).finish;
            // Ties go to data edges: a wait that data forces anyway is not a false one.
            if (f > start || (f === start && binding !== undefined && binding.kind !== "data" && w.kind === "data")) {
                start = f;
                binding = w;
            }
        }
        const s = seconds(r);
        const t: Timed = { resource: r, seconds: s, start, finish: start + s, ...(binding === undefined ? {} : { binding }) };
        visiting.delete(urn);
        timed.set(urn, t);
        return t;
    };
    for (const r of resources) {
        visit(r.urn);
    }

    let last: Timed | undefined;
    for (const t of timed.values()) {
        if (last === undefined || t.finish > last.finish) {
            last = t;
        }
    }
    const path: Timed[] = [];
    for (let t = last; t !== undefined; t = t.binding === undefined ? undefined : timed.get(t.binding.on)) {
        path.unshift(t);
    }
    return { byUrn: timed, makespan: last?.finish ?? 0, criticalPath: path };
}

/** Kinds of resource whose creation must never wait on an unrelated one. */
export type ResourceClass = "database" | "cache" | "secret" | "cluster add-on";

/** The class of a recorded resource, by type (and chart, for Helm releases). */
export function classOf(r: Pick<RecordedResource, "type" | "name" | "inputs">): ResourceClass | undefined {
    if (/^gcp:sql\/(databaseInstance:DatabaseInstance|database:Database)$/.test(r.type) || r.type.startsWith("aws:rds/")) {
        return "database";
    }
    if (r.type === "gcp:redis/instance:Instance" || r.type.startsWith("aws:elasticache/")) {
        return "cache";
    }
    if (r.type.startsWith("kubernetes:helm.sh/") && /external-secrets/.test(`${JSON.stringify(r.inputs?.chart ?? "")} ${r.name}`)) {
        return "cluster add-on";
    }
    if (
        /^gcp:secretmanager\/(secret:Secret|secretVersion:SecretVersion)$/.test(r.type) ||
        /^aws:secretsmanager\/(secret:Secret|secretVersion:SecretVersion)$/.test(r.type) ||
        r.type.startsWith("vault:kv/") ||
        r.type === "kubernetes:core/v1:Secret"
    ) {
        return "secret";
    }
    return undefined;
}

/** Everything a resource waits for, transitively. */
export function ancestors(resources: readonly RecordedResource[], dataOnly: boolean): Map<string, Set<string>> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const known = new Set(byUrn.keys());
    const memo = new Map<string, Set<string>>();
    const visit = (urn: string): Set<string> => {
        const done = memo.get(urn);
        if (done !== undefined) {
            return done;
        }
        const out = new Set<string>();
        memo.set(urn, out);
        for (const w of waitsOf(byUrn.get(urn) as RecordedResource, known, dataOnly)) {
            out.add(w.on);
            for (const a of visit(w.on)) {
                out.add(a);
            }
        }
        return out;
    };
    for (const r of resources) {
        visit(r.urn);
    }
    return memo;
}

export interface FalseWait {
    readonly resource: RecordedResource;
    readonly waitsFor: RecordedResource;
    readonly rule: string;
}

/**
 * Waits the recorded graph adds that data does not need, between classes that must stay
 * independent: a cache waiting for a database (or the reverse), a secret waiting for a database,
 * cache or add-on it is not derived from.
 */
export function falseWaits(resources: readonly RecordedResource[]): FalseWait[] {
    const recorded = ancestors(resources, false);
    const data = ancestors(resources, true);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const out: FalseWait[] = [];
    for (const r of resources) {
        const mine = classOf(r);
        if (mine === undefined) {
            continue;
        }
        for (const a of recorded.get(r.urn) ?? []) {
            const other = byUrn.get(a) as RecordedResource;
            const theirs = classOf(other);
            if (theirs === undefined || theirs === "secret" || data.get(r.urn)?.has(a)) {
                continue;
            }
            if ((mine === "cache" && theirs === "database") || (mine === "database" && theirs === "cache")) {
                out.push({ resource: r, waitsFor: other, rule: `a ${mine} must not wait for a ${theirs}` });
            } else if (mine === "secret") {
                out.push({ resource: r, waitsFor: other, rule: `a secret must not wait for a ${theirs} it is not derived from` });
            }
        }
    }
    return out;
}
