/**
 * The offline plan of one stack: the evaluation `npm run plan` makes (missing provided secrets
 * listed and given placeholders) and its text, laid out for a terminal of `width` columns: one
 * block per secret, lists wrapped, stack outputs as YAML.
 */
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";

import { ParseResult, parseConfig } from "../../components/config";
import { describeAdoption } from "../../components/adoption";
import { describeConsumer, describeRequires, describeSource, providedRows } from "../../components/contract";
import { accessLines, operatorLines } from "./planAccess";
import { grantsByPrincipal } from "../../components/platform";
import { Evaluation, RecordedResource, evaluate, promiseOf } from "../../test/support/evaluate";
import { rotationReportLines } from "./rotationReport";
import { bareStackConfig, missingProvidedSecrets, undecryptableSecureKeys } from "./stacks";
import { TERMINAL_WIDTH, fields, fit, wrap } from "./textLayout";

const MISSING = "<not set: placeholder for this plan>";

export interface PlanEvaluation {
    readonly evaluation: Evaluation;
    /** The stack's config as validated before evaluating (its problems, when the program fails). */
    readonly parsed: ParseResult;
    /** Provided secrets the stack lacks (keys), evaluated with placeholders. */
    readonly missing: readonly string[];
}

/** Evaluates `stack` with `set` over its config, as `npm run plan` does. */
export async function planEvaluation(stack: string, set: Readonly<Record<string, unknown>> = {}): Promise<PlanEvaluation> {
    // Which provided secrets the stack still lacks: listed, and given placeholders so the rest
    // of the plan can still be shown.
    const { bare, gcpProjectFallback } = bareStackConfig(stack, set);
    const parsed = parseConfig(bare, { stack, gcpProjectFallback });
    // A `secure:` placeholder that cannot decrypt is as missing as an absent key (a real preview
    // would stop on it); a value given with --set replaces it.
    const undecryptable = undecryptableSecureKeys(stack).filter((k) => !(k in set));
    const missing = missingProvidedSecrets(parsed.settings.features, bare, undecryptable);
    const placeholders: Record<string, string> = {};
    for (const { source } of providedRows(missing)) {
        placeholders[source.configKey] = MISSING;
    }
    const evaluation = await evaluate({ stack, set, secrets: placeholders });
    return { evaluation, parsed, missing: missing.map((s) => s.key) };
}

const shortType = (type: string): string => type.replace(/^([^:]+):([^/:]+)\/[^:]+:/, "$1:$2:");

function resourceTree(resources: readonly RecordedResource[]): string[] {
    const children = new Map<string | null, RecordedResource[]>();
    for (const r of resources) {
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    }
    const roots = resources.filter((r) => r.parent === null || !resources.some((p) => p.urn === r.parent));
    const lines: string[] = [];
    const walk = (r: RecordedResource, depth: number): void => {
        const flags = [
            r.importId ? `import ${r.importId}` : "",
            r.protect ? "protect" : "",
            r.retainOnDelete ? "retainOnDelete" : "",
        ].filter(Boolean);
        lines.push(`${"  ".repeat(depth + 1)}${shortType(r.type)}  ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
        for (const c of children.get(r.urn) ?? []) {
            walk(c, depth + 1);
        }
    };
    roots.forEach((r) => walk(r, 0));
    return lines;
}

/** The plan's text for an evaluation that succeeded; no line is wider than `width`. */
export async function renderPlan(e: Evaluation, missingKeys: readonly string[], width: number = TERMINAL_WIDTH): Promise<string[]> {
    const p = e.platform!;
    const c = p.config;
    const out: string[] = [];
    out.push(`Plan for stack "${e.stack}"`);
    out.push("  the real program, evaluated offline under Pulumi's mock runtime; no cloud was called");
    out.push(`  environment ${c.environment} · backend ${c.backend} · GCP project ${c.gcp.project} (${c.gcp.region})`);
    out.push(`  targets: ${[...c.targets].join(", ") || "none"} · features: ${[...c.features].join(", ") || "none"}`);
    out.push(
        `  data protection: ${c.dataProtection ? "on (protected secrets, deletion protection, old versions disabled)" : "off (disposable stack)"}`,
    );
    out.push("");

    // One block per secret: a table of five columns does not fit a terminal.
    out.push(`Secrets (${p.active.length})`);
    // An adopting stack says, per secret, whether the first up imports it or creates it.
    const adopting = Object.keys(p.adoption).length > 0;
    for (const { spec, consumers } of p.active) {
        const id = await promiseOf(p.stored[spec.key].backendId);
        out.push(`  ${spec.key}`);
        out.push(
            ...fields(
                [
                    ["source", describeSource(spec.source)],
                    ["needed", describeRequires(spec)],
                    ["backend", id],
                    ...(adopting ? [["origin", describeAdoption(p.adoption[spec.key], id)] as [string, string]] : []),
                    ["readers", consumers.length > 0 ? consumers.map(describeConsumer) : "(none: read from the backend by people)"],
                ],
                "    ",
                width,
            ),
        );
    }
    out.push("");

    // Who can read each Kubernetes Secret, and what the operator creates by hand.
    out.push(...fit(await accessLines(p), width));
    out.push(...fit(await operatorLines(p), width));

    out.push("Read grants (one per secret and principal)");
    for (const [principal, keys] of grantsByPrincipal(p.active)) {
        const member = await promiseOf(pulumi.output(p.principals[principal].member));
        out.push(`  ${principal}: ${keys.length} secrets`);
        out.push(
            ...fields(
                [
                    ["member", member],
                    ["reads", keys.join(", ")],
                ],
                "    ",
                width,
            ),
        );
    }
    out.push("");

    out.push("Provided secrets");
    const provided = providedRows(p.active.map((a) => a.spec));
    if (provided.length === 0) {
        out.push("  none needed: every secret of this feature set is generated or derived here.");
    }
    for (const { spec, source } of provided) {
        if (missingKeys.includes(spec.key)) {
            out.push(`  ${spec.key} (config ${source.configKey}): MISSING, set it with`);
            out.push(...wrap(`pulumi config set --secret ${source.configKey} <value from ${source.issuer}>`, width, "    ", "      "));
        } else {
            out.push(`  ${spec.key} (config ${source.configKey}): set`);
        }
    }
    out.push("");

    out.push(...(await rotationReportLines(p, width)), "");

    const custom = e.resources.filter((r) => r.custom).length;
    out.push(`Resources by component (${e.resources.length} registrations, ${custom} cloud resources)`);
    out.push(...resourceTree(e.resources));
    out.push("");
    out.push("Stack outputs (names, ids and versions; never values)");
    for (const [k, v] of Object.entries(e.outputs)) {
        const yaml = YAML.stringify({ [k]: v.value }, { lineWidth: width - 2 }).trimEnd();
        out.push(...yaml.split("\n").map((l) => `  ${l}`));
    }
    // Whatever a section could not lay out (a long resource name, say) still fits.
    return fit(out, width);
}
