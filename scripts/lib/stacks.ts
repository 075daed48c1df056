/** The committed stacks and their validated settings, read the way the CLI would assemble them. */
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { ParseResult, parseConfig } from "../../components/config";
import { SECRET_CONTRACT, providedRows, providedSecrets } from "../../components/contract";
import { Feature, SecretSpec } from "../../components/contract/types";
import { PROJECT, PROJECT_DIR, stackConfig } from "../../test/support/evaluate";

/** Stacks with a `Pulumi.<stack>.yaml` in the project, sorted. */
export function committedStacks(dir: string = PROJECT_DIR): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * A stack's config as the program reads it: the project's keys, bare, with `set` over them
 * (objects and lists JSON-encoded), and the `gcp:project` fallback.
 */
export function bareStackConfig(
    stack: string,
    set: Readonly<Record<string, unknown>> = {},
): { bare: Record<string, string>; gcpProjectFallback?: string } {
    const { values } = stackConfig(stack);
    const bare: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (k.startsWith(`${PROJECT}:`)) {
            bare[k.slice(PROJECT.length + 1)] = v;
        }
    }
    for (const [k, v] of Object.entries(set)) {
        bare[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return { bare, gcpProjectFallback: values["gcp:project"] };
}

/** A stack's config, validated (secure values are placeholders), with `set` over it. */
export function stackSettings(stack: string, set: Readonly<Record<string, unknown>> = {}): ParseResult {
    const { bare, gcpProjectFallback } = bareStackConfig(stack, set);
    return parseConfig(bare, { stack, gcpProjectFallback });
}

/** `--set key=value` flags as config: a value that parses as JSON is that value, else the text. */
export function parseSetFlags(flags: readonly string[]): Record<string, unknown> {
    const set: Record<string, unknown> = {};
    for (const kv of flags) {
        const i = kv.indexOf("=");
        const raw = kv.slice(i + 1);
        try {
            set[kv.slice(0, i)] = JSON.parse(raw);
        } catch {
            set[kv.slice(0, i)] = raw;
        }
    }
    return set;
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

/**
 * Whether a `secure:` ciphertext can decrypt at all. The passphrase provider writes
 * `v1:<base64 12-byte nonce>:<base64 AES-256-GCM ciphertext>` and refuses anything else ("bad
 * value", "nonce size is incorrect": pulumi/pulumi sdk/go/common/resource/config/crypt.go,
 * `symmetricCrypter.DecryptValue`); the service and cloud KMS providers write one base64 string.
 * A committed placeholder such as `v1:placeholder:set-with-pulumi-config-set-secret` is neither.
 */
export function ciphertextCanDecrypt(ciphertext: string): boolean {
    const base64 = (s: string): Buffer | undefined =>
        s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s) ? Buffer.from(s, "base64") : undefined;
    if (ciphertext.startsWith("v1:")) {
        const parts = ciphertext.split(":");
        return parts.length === 3 && base64(parts[1])?.length === 12 && base64(parts[2]) !== undefined;
    }
    return base64(ciphertext) !== undefined;
}

/** Bare config keys whose `secure:` value in `Pulumi.<stack>.yaml` cannot decrypt. */
export function undecryptableSecureKeys(stack: string): string[] {
    const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    const parsed = fs.existsSync(file) ? (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) : {};
    const out: string[] = [];
    for (const [k, v] of Object.entries<any>(parsed.config ?? {})) {
        if (v !== null && typeof v === "object" && "secure" in v && !ciphertextCanDecrypt(String(v.secure))) {
            out.push(k.startsWith(`${PROJECT}:`) ? k.slice(PROJECT.length + 1) : k);
        }
    }
    return out.sort();
}

/**
 * The provided secrets `features` need that the stack does not really have: absent from `config`
 * (bare keys), or a `secure:` entry that cannot decrypt (a committed placeholder).
 */
export function missingProvidedSecrets(
    features: ReadonlySet<Feature>,
    config: Readonly<Record<string, string>>,
    undecryptable: readonly string[],
    contract: readonly SecretSpec[] = SECRET_CONTRACT,
): SecretSpec[] {
    return providedRows(providedSecrets(contract, features))
        .filter(({ source }) => config[source.configKey] === undefined || undecryptable.includes(source.configKey))
        .map(({ spec }) => spec);
}
