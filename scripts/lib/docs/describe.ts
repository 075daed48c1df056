/**
 * Markdown wording for contract rows, shared by the generated docs. Every kind of source and
 * consumer has a sentence; a kind added later without one is still shown, field by field, so
 * the docs never silently drop a row.
 */
import { isRotatable } from "../../../components/contract/resolve";
import { Consumer, Feature, SecretSource, SecretSpec } from "../../../components/contract/types";

/** Inline code, safe inside a Markdown table cell. */
export const code = (s: string): string => `\`${s.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;

/** Plain text, safe inside a Markdown table cell. */
export const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

const fields = (o: object): string =>
    Object.entries(o)
        .filter(([k]) => k !== "kind")
        .map(([k, v]) => `${k} ${code(typeof v === "string" ? v : JSON.stringify(v))}`)
        .join(", ");

export function describeSource(source: SecretSource): string {
    switch (source.kind) {
        case "generated":
            return `generated: ${source.length} ${source.charset === "alphanumeric" ? "letters and digits" : source.charset}${
                source.prefix === undefined ? "" : ` after ${code(source.prefix)}`
            } (${code("RandomPassword")})`;
        case "randomBytes":
            return `generated: ${source.bytes} random bytes, ${source.encoding} (${code("RandomBytes")})`;
        case "provided":
            return `provided: secret config ${code(source.configKey)}, issued by ${cell(source.issuer)}`;
        case "setting":
            return `setting: config ${code(source.configKey)} (default ${code(source.default)})`;
        case "bcrypt":
            return `bcrypt of ${code(source.of)}`;
        case "derived":
            return `derived from ${code(source.from)}: ${cell(source.description)}`;
        default: {
            const other = source as unknown as { kind: string };
            return `${cell(other.kind)}: ${fields(other)}`;
        }
    }
}

const features = (fs: readonly Feature[]): string => fs.map(code).join(" + ");

export function describeConsumer(consumer: Consumer): string {
    switch (consumer.kind) {
        case "cloudRunEnv":
            return `Cloud Run ${code(consumer.service)} env ${code(consumer.env)}`;
        case "kubernetesSecret": {
            const requires = consumer.requires ?? [];
            const needs = requires.length === 0 ? "" : `, needs ${features(requires)}`;
            const env = consumer.env === undefined ? "" : `, read as env ${code(consumer.env)}`;
            const merged = consumer.mergeInto === undefined ? "" : ", merged into the workload's own Secret";
            const extra = `${needs}${env}${merged}`;
            return `Secret ${code(`${consumer.namespace}/${consumer.secretName}`)} key ${code(consumer.key)} (workload ${code(consumer.workload)}${extra})`;
        }
        default: {
            const other = consumer as unknown as { kind: string };
            return `${cell(other.kind)}: ${fields(other)}`;
        }
    }
}

export const describeRequires = (spec: SecretSpec): string =>
    spec.requires.length === 0 ? "always" : `${features(spec.requires)} on`;

/** How a value rotates, or why it does not. */
export function describeRotation(spec: SecretSpec): string {
    if (isRotatable(spec)) {
        return `bump ${code(`rotations.${spec.key}`)}`;
    }
    if (spec.neverRotate !== undefined) {
        return `never silently: ${cell(spec.neverRotate)}`;
    }
    switch (spec.source.kind) {
        case "provided":
            return `at the issuer, then ${code(`pulumi config set --secret ${spec.source.configKey}`)}`;
        case "bcrypt":
            return `follows ${code(spec.source.of)}`;
        case "setting":
            return `change config ${code(spec.source.configKey)}`;
        case "derived":
            return `follows ${code(spec.source.from)}`;
        default:
            return "-";
    }
}

/** Consumers as Markdown cell lines. */
export const consumerLines = (consumers: readonly Consumer[]): string =>
    consumers.length === 0 ? "none" : consumers.map(describeConsumer).join("<br>");
