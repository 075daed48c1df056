/**
 * The offline plan: evaluates the real program for one stack under Pulumi's mock runtime and
 * prints what it would create: each secret with its source, backend id and consumers, the
 * Kubernetes Secrets by namespace, the read grants, missing provided secrets, and every resource
 * by component. Calls no cloud.
 *
 *   npm run plan -- --stack dev [--set key=value]... [--json]
 */
import { parseArgs } from "util";

import * as pulumi from "@pulumi/pulumi";

import { formatProblem, parseConfig } from "../components/config";
import { describeConsumer, describeRequires, describeSource } from "../components/contract";
import { KubernetesSecretConsumer } from "../components/contract/types";
import { describeAdoption } from "../components/adoption";
import { grantsByPrincipal } from "../components/platform";
import { Evaluation, PROJECT, RecordedResource, evaluate, promiseOf, stackConfig } from "./lib/evaluate";
import { rotationReportLines } from "./lib/rotationReport";
import { runMain } from "./lib/exit";
import { missingProvidedSecrets, undecryptableSecureKeys } from "./lib/stacks";

const MISSING = "<not set: placeholder for this plan>";

const shortType = (type: string): string => type.replace(/^([^:]+):([^/:]+)\/[^:]+:/, "$1:$2:");

function table(rows: string[][], indent = "  "): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd());
}

function resourceTree(resources: readonly RecordedResource[]): string[] {
    const children = new Map<string | null, RecordedResource[]>();
    for (const r of resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const roots = resources.filter((r) => r.parent === null || !resources.some((p) => p.urn === r.parent));
    const lines: string[] = [];
    const walk = (r: RecordedResource, depth: number): void => {
        const flags = [r.importId ? `import ${r.importId}` : "", r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : ""].filter(Boolean);
        lines.push(`${"  ".repeat(depth + 1)}${shortType(r.type)}  ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
        for (const c of children.get(r.urn) ?? []) {
            walk(c, depth + 1);
        }
    };
    roots.forEach((r) => walk(r, 0));
    return lines;
}

async function main(): Promise<number> {
    const { values: args } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            set: { type: "string", multiple: true, default: [] },
            json: { type: "boolean", default: false },
        },
    });
    const stack = args.stack as string;
    const set: Record<string, unknown> = {};
    for (const kv of args.set as string[]) {
        const i = kv.indexOf("=");
        const raw = kv.slice(i + 1);
        try {
            set[kv.slice(0, i)] = JSON.parse(raw);
        } catch {
            set[kv.slice(0, i)] = raw;
        }
    }

    // Which provided secrets the stack still lacks: listed, and given placeholders so the rest
    // of the plan can still be shown.
    const base = stackConfig(stack);
    const bare: Record<string, string> = {};
    for (const [k, v] of Object.entries(base.values)) {
        if (k.startsWith(`${PROJECT}:`)) {
            bare[k.slice(PROJECT.length + 1)] = v;
        }
    }
    for (const [k, v] of Object.entries(set)) {
        bare[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    const parsed = parseConfig(bare, { stack, gcpProjectFallback: base.values["gcp:project"] });
    // A `secure:` placeholder that cannot decrypt is as missing as an absent key (a real preview
    // would stop on it); a value given with --set replaces it.
    const undecryptable = undecryptableSecureKeys(stack).filter((k) => !(k in set));
    const missing = missingProvidedSecrets(parsed.settings.features, bare, undecryptable);
    const placeholders: Record<string, string> = {};
    for (const s of missing) {
        if (s.source.kind === "provided") {
            placeholders[s.source.configKey] = MISSING;
        }
    }

    const e = await evaluate({ stack, set, secrets: placeholders });
    if (e.error) {
        console.error(`The program fails for stack "${stack}":\n${e.error.message}`);
        if (parsed.problems.length > 0 && e.error.name !== "ConfigError") {
            console.error(parsed.problems.map(formatProblem).join("\n"));
        }
        return 1;
    }
    if (args.json) {
        process.stdout.write(`${JSON.stringify({ stack, resources: e.resources, outputs: e.outputs }, null, 2)}\n`);
        return 0;
    }
    console.log((await render(e, missing.map((s) => s.key))).join("\n"));
    return 0;
}

async function render(e: Evaluation, missingKeys: readonly string[]): Promise<string[]> {
    const p = e.platform!;
    const c = p.config;
    const out: string[] = [];
    out.push(`Plan for stack "${e.stack}": the real program, evaluated offline under Pulumi's mock runtime. No cloud was called.`);
    out.push(`  environment ${c.environment} · backend ${c.backend} · GCP project ${c.gcp.project} (${c.gcp.region})`);
    out.push(`  targets: ${[...c.targets].join(", ") || "none"} · features: ${[...c.features].join(", ") || "none"}`);
    out.push(`  data protection: ${c.dataProtection ? "on (protected secrets, deletion protection, old versions disabled)" : "off (disposable stack)"}`);
    out.push("");

    out.push(`Secrets (${p.active.length})`);
    const adopting = Object.keys(p.adoption).length > 0;
    // An adopting stack says, per secret, whether the first up imports it or creates it.
    const rows = [["KEY", "SOURCE", "NEEDED", "BACKEND ID", ...(adopting ? ["ADOPTION"] : []), "CONSUMERS"]];
    for (const { spec, consumers } of p.active) {
        const id = await promiseOf(p.stored[spec.key].backendId);
        rows.push([
            spec.key,
            describeSource(spec.source),
            describeRequires(spec),
            id,
            ...(adopting ? [describeAdoption(p.adoption[spec.key], id)] : []),
            consumers.map(describeConsumer).join("; ") || "(none: read from the backend by people)",
        ]);
    }
    out.push(...table(rows));
    out.push("");

    const k8s = p.active.flatMap(({ spec, consumers }) =>
        consumers.filter((x): x is KubernetesSecretConsumer => x.kind === "kubernetesSecret").map((x) => ({ key: spec.key, x })),
    );
    if (k8s.length > 0) {
        out.push("Kubernetes Secrets, by namespace (projected from the backend by External Secrets)");
        const byNamespace = new Map<string, Map<string, string[]>>();
        for (const { key, x } of k8s) {
            const secrets = byNamespace.get(x.namespace) ?? new Map<string, string[]>();
            secrets.set(x.secretName, [...(secrets.get(x.secretName) ?? []), `${x.key} ← ${key}`]);
            byNamespace.set(x.namespace, secrets);
        }
        for (const [ns, secrets] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
            out.push(`  ${ns}/`);
            for (const [name, keys] of secrets) {
                out.push(`    ${name}: ${keys.join(", ")}`);
            }
        }
        out.push("");
    }

    out.push("Read grants (one per secret and principal)");
    for (const [principal, keys] of grantsByPrincipal(p.active)) {
        const member = await promiseOf(pulumi.output(p.principals[principal].member));
        out.push(`  ${principal} (${member}): ${keys.length} secrets`);
        out.push(`    ${keys.join(", ")}`);
    }
    out.push("");

    out.push("Provided secrets");
    const provided = p.active.filter((a) => a.spec.source.kind === "provided");
    if (provided.length === 0) {
        out.push("  none needed: every secret of this feature set is generated or derived here.");
    }
    for (const { spec } of provided) {
        if (spec.source.kind !== "provided") {
            continue;
        }
        const state = missingKeys.includes(spec.key)
            ? `MISSING: pulumi config set --secret ${spec.source.configKey} <value from ${spec.source.issuer}>`
            : "set";
        out.push(`  ${spec.key} (config ${spec.source.configKey}): ${state}`);
    }
    out.push("");

    out.push(...(await rotationReportLines(p)), "");

    const custom = e.resources.filter((r) => r.custom).length;
    out.push(`Resources by component (${e.resources.length} registrations, ${custom} cloud resources)`);
    out.push(...resourceTree(e.resources));
    out.push("");
    out.push("Stack outputs (names, ids and versions; never values)");
    for (const [k, v] of Object.entries(e.outputs)) {
        out.push(`  ${k}: ${JSON.stringify(v.value)}`);
    }
    return out;
}

runMain(main);
