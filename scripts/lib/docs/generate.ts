/**
 * The generated docs as files: rendered in memory from the contract and each committed stack's
 * evaluation, so `npm run docs` writes them and the tests compare them with what is committed.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";

import { mergeContracts } from "../../../components/agents/contract";
import { SECRET_CONTRACT } from "../../../components/contract/contract";
import { SecretSpec } from "../../../components/contract/types";
import { renderContractDoc } from "./contractDoc";
import { renderEnvExample } from "./envExample";
import { renderFlowDot } from "./flow";
import { StackModel, stackModels } from "./model";
import { committedStacks } from "../stacks";

/** Project-relative paths of the generated text files. */
export const DOC_FILES = {
    contract: "docs/secret-contract.md",
    flowDot: "docs/delivery-flow.dot",
    flowSvg: "docs/delivery-flow.svg",
    envExample: ".env.example",
} as const;

/** The text files, by project-relative path (the SVG is rendered from the .dot separately). */
export function renderDocs(contract: readonly SecretSpec[], models: readonly StackModel[]): Record<string, string> {
    return {
        [DOC_FILES.contract]: renderContractDoc(contract, models),
        [DOC_FILES.flowDot]: renderFlowDot(models),
        [DOC_FILES.envExample]: renderEnvExample(contract),
    };
}

/** Evaluates every committed stack and renders the text files. */
export async function generateDocs(stacks: readonly string[] = committedStacks()): Promise<Record<string, string>> {
    const models = await stackModels(stacks);
    return renderDocs(mergeContracts([SECRET_CONTRACT, ...models.map((m) => m.contract)]), models);
}

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** The comment that ties an SVG to the exact .dot source it was rendered from. */
export const svgSourceMarker = (dot: string): string => `<!-- rendered from ${DOC_FILES.flowDot} sha256:${sha256(dot)} -->`;

/** Renders the .dot with Graphviz and stamps the SVG with the source's hash. */
export function renderSvg(dot: string): string {
    const run = spawnSync("dot", ["-Tsvg"], { input: dot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error !== undefined) {
        throw new Error(`cannot run Graphviz dot (Debian package graphviz): ${run.error.message}`);
    }
    if (run.status !== 0) {
        throw new Error(`dot failed (${run.status}): ${run.stderr}`);
    }
    const svg = run.stdout;
    const at = svg.indexOf("<svg");
    if (at < 0) {
        throw new Error("dot produced no <svg> element");
    }
    return `${svg.slice(0, at)}${svgSourceMarker(dot)}\n${svg.slice(at)}`;
}
