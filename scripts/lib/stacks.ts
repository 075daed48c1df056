/** The committed stacks and their validated settings, read the way the CLI would assemble them. */
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { ParseResult, parseConfig } from "../../components/config";
import { PROJECT, PROJECT_DIR, stackConfig } from "./evaluate";

/** Stacks with a `Pulumi.<stack>.yaml` in the project, sorted. */
export function committedStacks(dir: string = PROJECT_DIR): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** A stack's config, validated (secure values are placeholders). */
export function stackSettings(stack: string): ParseResult {
    const { values } = stackConfig(stack);
    const bare: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (k.startsWith(`${PROJECT}:`)) {
            bare[k.slice(PROJECT.length + 1)] = v;
        }
    }
    return parseConfig(bare, { stack, gcpProjectFallback: values["gcp:project"] });
}

/** The `rotations` map as written in `Pulumi.<stack>.yaml` (not the defaults): the generations to bump. */
export function stackFileRotations(stack: string): Record<string, number> {
    const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${path.basename(file)}: stacks here are ${committedStacks().join(", ")}`);
    }
    const parsed = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    const raw = parsed.config?.[`${PROJECT}:rotations`] ?? {};
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries<unknown>(raw)) {
        if (typeof v === "number" && Number.isInteger(v)) {
            out[k] = v;
        }
    }
    return out;
}
