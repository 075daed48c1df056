/** Human descriptions of contract rows, shared by the plan, the docs and the runbook. */
import { Consumer, SecretSource, SecretSpec } from "./types";

export function describeSource(source: SecretSource): string {
    switch (source.kind) {
        case "generated":
            return `generated: ${source.prefix ? `"${source.prefix}" + ` : ""}${source.length} ${source.charset} chars`;
        case "randomBytes":
            return `generated: ${source.bytes} random bytes, ${source.encoding}`;
        case "provided":
            return `provided: config ${source.configKey} (from ${source.issuer})`;
        case "setting":
            return `setting: config ${source.configKey} (default "${source.default}")`;
        case "bcrypt":
            return `bcrypt of ${source.of}`;
        case "activeUser":
            return `active user of ${source.of} (two users alternate)`;
        case "derived":
            return `derived: ${source.description}`;
    }
}

export function describeConsumer(consumer: Consumer): string {
    return consumer.kind === "cloudRunEnv"
        ? `Cloud Run ${consumer.service} env ${consumer.env}`
        : `${consumer.namespace}/${consumer.secretName}[${consumer.key}] (${consumer.workload}${
              (consumer.requires ?? []).length === 0 ? "" : `, with ${(consumer.requires ?? []).join(" + ")}`
          })`;
}

export const describeRequires = (spec: SecretSpec): string =>
    spec.requires.length === 0 ? "always" : spec.requires.map((f) => `feature ${f}`).join(" + ");
