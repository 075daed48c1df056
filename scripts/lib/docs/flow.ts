/**
 * Renders `docs/delivery-flow.dot`: how each value travels, for every committed stack at once.
 * values → backend → read grants → Kubernetes Secrets (through ExternalSecrets) and Cloud Run env
 * → workloads. A node or edge present in only some stacks says which.
 */
import { Consumer, SecretSource } from "../../../components/contract/types";
import { principalOf } from "../../../components/platform";
import { StackModel, shortType } from "./model";

interface Line {
    readonly text: string;
    readonly stacks: Set<string>;
}

interface Node {
    readonly id: string;
    readonly cluster: string;
    readonly title: string;
    readonly shape: string;
    readonly lines: Line[];
    readonly stacks: Set<string>;
}

interface Edge {
    readonly from: string;
    readonly to: string;
    readonly label?: string;
    readonly style?: string;
    /** false: drawn, but does not push its head a rank further (keeps all values in one column). */
    readonly constraint?: boolean;
    readonly stacks: Set<string>;
}

interface Cluster {
    readonly id: string;
    readonly label: string[];
    readonly parent?: string;
    readonly color: string;
}

function sourceLine(source: SecretSource): string {
    switch (source.kind) {
        case "generated":
            return `RandomPassword ${source.length}${source.prefix === undefined ? "" : `, prefix ${source.prefix}`}`;
        case "randomBytes":
            return `RandomBytes ${source.bytes}, ${source.encoding}`;
        case "provided":
            return `provided: config ${source.configKey}`;
        case "setting":
            return `setting: config ${source.configKey}`;
        case "bcrypt":
            return `bcrypt of ${source.of}`;
        case "derived":
            return `derived: ${source.from}`;
        default:
            return (source as unknown as { kind: string }).kind;
    }
}

/** The delivery node a consumer reads from, and the workload behind it. */
function delivery(c: Consumer): { node: string; title: string; line: string; cluster: string; workload: string; workloadKind: string } {
    switch (c.kind) {
        case "cloudRunEnv":
            return {
                node: `run:${c.service}`,
                title: `service ${c.service}`,
                line: `${c.env}`,
                cluster: "run",
                workload: `workload:run:${c.service}`,
                workloadKind: "Cloud Run service",
            };
        case "kubernetesSecret":
            return {
                node: `k8s:${c.namespace}/${c.secretName}`,
                title: `${c.namespace}/${c.secretName}`,
                line: c.key,
                cluster: `ns:${c.namespace}`,
                workload: `workload:k8s:${c.workload}`,
                // A reader that names its variables (an agent) is a Deployment reading secretKeyRefs.
                workloadKind: c.env === undefined ? "Helm release" : "Deployment (secretKeyRef env)",
            };
        default: {
            // A consumer kind with no drawing of its own still shows, with its fields.
            const other = c as unknown as Record<string, unknown> & { kind: string };
            const fields = Object.entries(other)
                .filter(([k]) => k !== "kind")
                .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
            const workload = typeof other.workload === "string" ? other.workload : typeof other.service === "string" ? other.service : other.kind;
            return {
                node: `consumer:${other.kind}:${fields.join(",")}`,
                title: other.kind,
                line: fields.join(", "),
                cluster: "delivery",
                workload: `workload:${other.kind}:${workload}`,
                workloadKind: other.kind,
            };
        }
    }
}

const quote = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

class Graph {
    readonly nodes = new Map<string, Node>();
    readonly edges = new Map<string, Edge>();
    readonly clusters = new Map<string, Cluster>();

    cluster(id: string, label: string[], color: string, parent?: string): void {
        if (!this.clusters.has(id)) {
            this.clusters.set(id, { id, label, color, parent });
        }
    }

    node(id: string, cluster: string, title: string, stack: string, shape = "box"): Node {
        const n = this.nodes.get(id) ?? { id, cluster, title, shape, lines: [], stacks: new Set<string>() };
        this.nodes.set(id, n);
        n.stacks.add(stack);
        return n;
    }

    line(id: string, text: string, stack: string): void {
        const n = this.nodes.get(id);
        if (n === undefined) {
            throw new Error(`no node ${id}`);
        }
        const l = n.lines.find((x) => x.text === text) ?? { text, stacks: new Set<string>() };
        if (!n.lines.includes(l)) {
            n.lines.push(l);
        }
        l.stacks.add(stack);
    }

    edge(from: string, to: string, stack: string, extra: { label?: string; style?: string; constraint?: boolean } = {}): void {
        const key = `${from}\u0000${to}`;
        const e = this.edges.get(key) ?? { from, to, ...extra, stacks: new Set<string>() };
        this.edges.set(key, e);
        e.stacks.add(stack);
    }
}

/** The stacks of a set, or "" when it holds every stack. */
const only = (stacks: ReadonlySet<string>, all: readonly string[]): string =>
    stacks.size === all.length ? "" : all.filter((s) => stacks.has(s)).join(", ");

export function renderFlowDot(models: readonly StackModel[]): string {
    const all = models.map((m) => m.stack);
    const g = new Graph();
    g.cluster("values", ["1. values"], "#4a7ab5");
    g.cluster("derived-from", ["resources values are derived from"], "#8a6d3b");
    g.cluster("grants", ["3. read grants (one per secret and principal)"], "#3b7a57");
    g.cluster("delivery", ["4. delivery"], "#7a4a9a");
    g.cluster("k8s", ["Kubernetes Secrets, each projected by an ExternalSecret"], "#7a4a9a", "delivery");
    g.cluster("run", ["Cloud Run env vars, secretKeyRef to a pinned version"], "#7a4a9a", "delivery");
    g.cluster("workloads", ["5. workloads"], "#555555");

    for (const m of models) {
        const s = m.stack;
        const backendCluster = `backend:${m.backend}`;
        g.cluster(backendCluster, [`2. backend: ${m.backend}`], "#b5651d");
        // Where every id is one prefix plus the key, say so once instead of on every secret.
        const prefixes = new Set(m.secrets.map((v) => (v.backendId.endsWith(v.spec.key) ? v.backendId.slice(0, -v.spec.key.length) : "\u0000")));
        const idPrefix = prefixes.size === 1 && !prefixes.has("\u0000") ? [...prefixes][0] : undefined;
        if (idPrefix !== undefined) {
            g.clusters.get(backendCluster)?.label.push(`${m.stack}: id ${idPrefix}<key>`);
        }
        // A value made by exactly one generator resource is drawn as that value.
        const valueOfResource = new Map<string, string>();
        for (const v of m.secrets) {
            if ((v.spec.source.kind === "generated" || v.spec.source.kind === "randomBytes") && v.madeBy.length === 1) {
                valueOfResource.set(`${v.madeBy[0].type}/${v.madeBy[0].name}`, v.spec.key);
            }
        }
        const principalIds = new Set(m.principals.map((p) => `principal:${p.name}`));

        for (const v of m.secrets) {
            const key = v.spec.key;
            const value = `value:${key}`;
            g.node(value, "values", key, s);
            g.line(value, sourceLine(v.spec.source), s);
            if (v.spec.source.kind === "bcrypt") {
                g.edge(`value:${v.spec.source.of}`, value, s, { label: "bcrypt", style: "dashed", constraint: false });
            } else if (v.spec.source.kind !== "generated" && v.spec.source.kind !== "randomBytes") {
                for (const r of v.madeBy) {
                    const from = valueOfResource.get(`${r.type}/${r.name}`);
                    if (from !== undefined) {
                        g.edge(`value:${from}`, value, s, { style: "dashed", constraint: false });
                    } else {
                        const id = `resource:${r.type}/${r.name}`;
                        g.node(id, "derived-from", shortType(r.type), s, "component");
                        g.line(id, r.name, s);
                        g.edge(id, value, s, { style: "dashed" });
                    }
                }
            }

            const stored = `backend:${m.backend}:${key}`;
            g.node(stored, backendCluster, key, s, "cylinder");
            if (idPrefix === undefined) {
                g.line(stored, v.backendId, s);
            }
            g.edge(value, stored, s);

            for (const c of v.consumers) {
                const d = delivery(c);
                if (d.cluster.startsWith("ns:")) {
                    g.cluster(d.cluster, [`namespace ${d.cluster.slice(3)}`], "#7a4a9a", "k8s");
                }
                g.node(d.node, d.cluster, d.title, s, "note");
                g.line(d.node, `${d.line} ← ${key}`, s);
                const principal = `principal:${principalOf(c)}`;
                g.edge(principalIds.has(principal) ? principal : stored, d.node, s);
                g.node(d.workload, "workloads", d.workload.split(":").pop() as string, s, "box3d");
                g.line(d.workload, d.workloadKind, s);
                g.edge(d.node, d.workload, s);
            }
        }

        for (const p of m.principals) {
            const id = `principal:${p.name}`;
            g.node(id, "grants", p.name, s, "hexagon");
            for (const [type, n] of p.grantResources) {
                g.line(id, `${n} × ${shortType(type)}`, s);
            }
            for (const key of p.keys) {
                g.edge(`backend:${m.backend}:${key}`, id, s);
            }
        }
    }

    return render(g, all);
}

function render(g: Graph, all: readonly string[]): string {
    // Text goes in escaped; `\n` centres a line, `\l` left-aligns the one before it.
    const text = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const label = (n: Node): string => {
        const where = only(n.stacks, all);
        const head = [n.title, where === "" ? "" : `only in ${where}`].filter((x) => x !== "").map(text).join("\\n");
        const lines = n.lines.map((l) => text(l.stacks.size === n.stacks.size ? l.text : `${l.text} (${only(l.stacks, all)})`));
        return lines.length === 0 ? `"${head}"` : `"${head}\\n${lines.map((l) => `${l}\\l`).join("")}"`;
    };

    const out: string[] = [
        "// Generated by `npm run docs` from the secret contract and a mock evaluation of each committed stack.",
        "// Render: dot -Tsvg docs/delivery-flow.dot -o docs/delivery-flow.svg (npm run docs does both).",
        "digraph delivery {",
        `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.15, ranksep=0.9, newrank=true, labelloc=t,`,
        `         label=${quote(`Delivery flow of every secret: stacks ${all.join(", ")} (npm run docs)`)}];`,
        `  node [fontname="Helvetica", fontsize=10, style=filled, fillcolor="#ffffff"];`,
        `  edge [color="#777777", arrowsize=0.6];`,
    ];

    const emit = (parent: string | undefined, indent: string): void => {
        for (const c of g.clusters.values()) {
            if (c.parent !== parent) {
                continue;
            }
            const nodes = [...g.nodes.values()].filter((n) => n.cluster === c.id);
            const children = [...g.clusters.values()].some((x) => x.parent === c.id);
            if (nodes.length === 0 && !children) {
                continue;
            }
            out.push(`${indent}subgraph ${quote(`cluster_${c.id}`)} {`);
            out.push(`${indent}  label="${c.label.map(text).join("\\n")}"; color=${quote(c.color)}; fontcolor=${quote(c.color)};`);
            for (const n of nodes) {
                out.push(`${indent}  ${quote(n.id)} [shape=${n.shape}, label=${label(n)}];`);
            }
            emit(c.id, `${indent}  `);
            out.push(`${indent}}`);
        }
    };
    emit(undefined, "  ");

    for (const e of g.edges.values()) {
        const from = g.nodes.get(e.from);
        const to = g.nodes.get(e.to);
        if (from === undefined || to === undefined) {
            throw new Error(`edge ${e.from} -> ${e.to} names a node that was never drawn`);
        }
        const both = new Set([...from.stacks].filter((x) => to.stacks.has(x)));
        const attrs: string[] = [];
        const labels = [e.label, e.stacks.size === both.size ? undefined : `only ${only(e.stacks, all)}`].filter((x) => x !== undefined);
        if (labels.length > 0) {
            attrs.push(`label=${quote(labels.join(", "))}`, "fontsize=8");
        }
        if (e.style !== undefined) {
            attrs.push(`style=${e.style}`);
        }
        if (e.constraint === false) {
            attrs.push("constraint=false");
        }
        out.push(`  ${quote(e.from)} -> ${quote(e.to)}${attrs.length === 0 ? "" : ` [${attrs.join(", ")}]`};`);
    }
    out.push("}");
    return `${out.join("\n")}\n`;
}
