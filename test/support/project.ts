/**
 * The project as the Pulumi CLI sees it: where it lives, its name, and the config it would hand
 * the program for a stack (project defaults, then the stack file).
 */
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

/**
 * The project root: the nearest folder up with a `Pulumi.yaml`. Found rather than fixed, because
 * this module runs both from test/support (tests, under ts-node) and from build/test/support (the
 * commands, compiled by scripts/run.js).
 */
export const PROJECT_DIR = ((): string => {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no Pulumi.yaml above ${__dirname}`);
        }
    }
})();
export const PROJECT = "llm-platform-secrets";

/** A config key as the CLI stores it: bare keys are the project's. */
export const fullKey = (k: string): string => (k.includes(":") ? k : `${PROJECT}:${k}`);
/** A config value as the CLI hands it over: objects and lists JSON-encoded. */
export const asConfigString = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** The config the CLI would hand the program: project defaults, then the stack file. */
export function stackConfig(
    stack: string,
    secureValue: (key: string) => string = (k) => `secure-value-of-${k}`,
): { values: Record<string, string>; secretKeys: string[] } {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
    for (const [k, decl] of Object.entries<any>(project.config ?? {})) {
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl) && "default" in decl) {
            values[fullKey(k)] = asConfigString(decl.default);
        }
    }
    const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) {
        const parsed = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
        for (const [k, v] of Object.entries<any>(parsed.config ?? {})) {
            if (v !== null && typeof v === "object" && "secure" in v) {
                values[fullKey(k)] = secureValue(k.split(":").pop() as string);
                secretKeys.push(fullKey(k));
            } else {
                values[fullKey(k)] = asConfigString(v);
            }
        }
    }
    return { values, secretKeys };
}
