/**
 * Reads raw stack config (the strings Pulumi hands a program) into typed values, collecting every
 * problem instead of stopping at the first, so an operator sees all of them in one run.
 */
import { isObject, isOneOf, isWholeNumber } from "./patterns";

/** One thing wrong with a stack's config: the key, what is wrong, and how to fix it. */
export interface ConfigProblem {
    readonly key: string;
    readonly message: string;
    readonly fix: string;
}

export const formatProblem = (p: ConfigProblem): string => `${p.key}: ${p.message}. Fix: ${p.fix}`;

/** What a reader call declares about a key, recorded so tests can hold Pulumi.yaml to the code. */
export interface KeyDeclaration {
    readonly key: string;
    readonly type: "string" | "integer" | "boolean" | "array" | "object";
    readonly default?: unknown;
    readonly secret?: boolean;
    /** The area of config that reads it: its section of Pulumi.yaml and of the README's reference. */
    readonly area: string;
}

/** Keys that would reach an object's prototype instead of an entry when assigned. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const setCommand = (key: string, example: string): string =>
    `pulumi config set ${key} ${example.includes(" ") || example.startsWith("[") || example.startsWith("{") ? `'${example}'` : example}`;

export class ConfigReader {
    readonly problems: ConfigProblem[];
    readonly declared: Map<string, KeyDeclaration>;

    /**
     * @param values the project's config, keys without the project namespace, values as strings
     *   (structured values are JSON, as Pulumi passes them)
     * @param area the area the keys read here belong to (see `inArea`)
     * @param shared the reader whose problems and declarations this one adds to
     */
    constructor(
        private readonly values: Readonly<Record<string, string>>,
        private readonly area: string = "",
        shared?: ConfigReader,
    ) {
        this.problems = shared?.problems ?? [];
        this.declared = shared?.declared ?? new Map();
    }

    /**
     * The same config, problems and declarations, with every key read through it declared as part
     * of `area` (a section title of Pulumi.yaml; a test holds the two to each other).
     */
    inArea(area: string): ConfigReader {
        return new ConfigReader(this.values, area, this);
    }

    isSet(key: string): boolean {
        return this.values[key] !== undefined;
    }

    /** Set to an empty or blank value (a value is still never read beyond that). */
    isBlank(key: string): boolean {
        return this.values[key] !== undefined && this.values[key].trim() === "";
    }

    problem(key: string, message: string, fix: string): void {
        this.problems.push({ key, message, fix });
    }

    /** Keys present in config that no reader call declared: most often a typo. */
    unknownKeys(): string[] {
        return Object.keys(this.values).filter((k) => !this.declared.has(k) && !k.startsWith("__"));
    }

    string(key: string, dflt: string, check?: { pattern: RegExp; rule: string; example: string }): string {
        const raw = this.scalar(key, "string", dflt);
        if (raw === undefined) {
            return dflt;
        }
        if (check && !check.pattern.test(raw)) {
            this.problem(key, `"${raw}" is not valid: ${check.rule}`, setCommand(key, check.example));
            return dflt;
        }
        return raw;
    }

    /** A string that must be one of `choices`. */
    choice<T extends string>(key: string, dflt: T, choices: readonly T[]): T {
        const raw = this.scalar(key, "string", dflt);
        if (raw === undefined) {
            return dflt;
        }
        if (!isOneOf(raw, choices)) {
            this.problem(key, `unknown value "${raw}"; expected one of ${choices.join(", ")}`, setCommand(key, dflt));
            return dflt;
        }
        return raw;
    }

    boolean(key: string, dflt: boolean): boolean {
        const raw = this.scalar(key, "boolean", dflt);
        if (raw === undefined) {
            return dflt;
        }
        if (raw !== "true" && raw !== "false") {
            this.problem(key, `"${raw}" is not a boolean`, setCommand(key, String(dflt)));
            return dflt;
        }
        return raw === "true";
    }

    integer(key: string, dflt: number, range: { min: number; max: number }): number {
        const raw = this.scalar(key, "integer", dflt);
        if (raw === undefined) {
            return dflt;
        }
        // Decimal digits only: Number() would read "" as 0, "0x10" as 16 and "1e3" as 1000.
        const n = /^-?[0-9]+$/.test(raw.trim()) ? Number(raw) : NaN;
        if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
            this.problem(key, `"${raw}" is not a whole number from ${range.min} to ${range.max}`, setCommand(key, String(dflt)));
            return dflt;
        }
        return n;
    }

    /** A list of strings, each optionally one of `choices` or matching `pattern`. */
    stringList<T extends string = string>(
        key: string,
        dflt: readonly T[],
        check: { choices?: readonly T[]; pattern?: RegExp; rule?: string; example: string },
    ): T[] {
        this.declare({ key, type: "array", default: dflt });
        const parsed = this.json(key);
        if (parsed === undefined) {
            return [...dflt];
        }
        if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== "string")) {
            this.problem(key, "must be a list of strings", `${setCommand(key, check.example)} (or a YAML list in the stack file)`);
            return [...dflt];
        }
        const bad = (parsed as string[]).filter(
            (x) => (check.choices && !isOneOf(x, check.choices)) || (check.pattern && !check.pattern.test(x)),
        );
        if (bad.length > 0) {
            const expected = check.choices ? `expected any of ${check.choices.join(", ")}` : (check.rule ?? "");
            this.problem(
                key,
                `unknown ${bad.length === 1 ? "entry" : "entries"} ${bad.map((b) => `"${b}"`).join(", ")}; ${expected}`,
                `remove or correct ${bad.length === 1 ? "it" : "them"} in Pulumi.<stack>.yaml`,
            );
        }
        const duplicates = (parsed as string[]).filter((x, i, all) => all.indexOf(x) !== i);
        if (duplicates.length > 0) {
            this.problem(key, `lists ${duplicates.join(", ")} more than once`, "list each entry once");
        }
        return (parsed as T[]).filter((x) => !bad.includes(x));
    }

    /** A map of string keys to whole numbers (e.g. secret name → rotation generation). */
    integerMap(key: string, example: string): Record<string, number> {
        const result: Record<string, number> = {};
        for (const [k, v] of this.entries(key, example, "a map of names to whole numbers")) {
            if (this.reservedName(key, k)) {
                continue;
            }
            if (!isWholeNumber(v, Infinity)) {
                this.problem(`${key}.${k}`, `${JSON.stringify(v)} is not a whole number ≥ 0`, `in Pulumi.<stack>.yaml: ${example}`);
            } else if (!Number.isSafeInteger(v)) {
                // Beyond 2^53 a number no longer counts by one: a bump could change nothing.
                this.problem(
                    `${key}.${k}`,
                    `${v} is beyond 2^53 - 1, where whole numbers lose precision`,
                    `in Pulumi.<stack>.yaml: ${example}`,
                );
            } else {
                result[k] = v;
            }
        }
        return result;
    }

    /** A map of string keys to strings (e.g. tag name → tag value), each checked by `check`. */
    stringMap(key: string, example: string, check?: { key?: RegExp; value?: RegExp; rule: string }): Record<string, string> {
        const result: Record<string, string> = {};
        for (const [k, v] of this.entries(key, example, "a map of names to strings")) {
            if (this.reservedName(key, k)) {
                continue;
            }
            if (typeof v !== "string") {
                this.problem(`${key}.${k}`, `${JSON.stringify(v)} is not a string`, `in Pulumi.<stack>.yaml: ${example}`);
            } else if (check && ((check.key && !check.key.test(k)) || (check.value && !check.value.test(v)))) {
                this.problem(`${key}.${k}`, `"${k}: ${v}" is not valid: ${check.rule}`, `in Pulumi.<stack>.yaml: ${example}`);
            } else {
                result[k] = v;
            }
        }
        return result;
    }

    /** A map of string keys to structured values, each checked by the caller. */
    object(key: string, example: string): Record<string, unknown> {
        return this.map(key, example, "a map") ?? {};
    }

    /** A list of structured entries (objects), for the caller to check field by field. */
    list(key: string, example: string): unknown[] {
        this.declare({ key, type: "array", default: [] });
        const parsed = this.json(key);
        if (parsed === undefined) {
            return [];
        }
        if (!Array.isArray(parsed)) {
            this.problem(key, "must be a list", `in Pulumi.<stack>.yaml: ${example}`);
            return [];
        }
        return parsed;
    }

    /** Declares a secret key: its value is never read here, only whether it is set. */
    secretIsSet(key: string): boolean {
        this.declare({ key, type: "string", secret: true });
        return this.isSet(key);
    }

    /** The map at `key` (declared as an object), or undefined, with a problem, when it is something else. */
    private map(key: string, example: string, what: string): Record<string, unknown> | undefined {
        this.declare({ key, type: "object", default: {} });
        const parsed = this.json(key);
        if (parsed === undefined) {
            return undefined;
        }
        if (!isObject(parsed)) {
            this.problem(key, `must be ${what}`, `in Pulumi.<stack>.yaml: ${example}`);
            return undefined;
        }
        return parsed;
    }

    /** The entries of the map at `key`; none when it is unset or not a map. */
    private entries(key: string, example: string, what: string): [string, unknown][] {
        return Object.entries(this.map(key, example, what) ?? {});
    }

    /** Whether `name` would reach an object's prototype instead of an entry (then a problem). */
    private reservedName(key: string, name: string): boolean {
        if (RESERVED_NAMES.has(name)) {
            this.problem(`${key}.${name}`, `"${name}" is not a name this map accepts`, `remove the entry from Pulumi.<stack>.yaml`);
        }
        return RESERVED_NAMES.has(name);
    }

    /** Declares a scalar key; its raw value, or undefined when unset (the default applies). */
    private scalar(key: string, type: "string" | "integer" | "boolean", dflt: unknown): string | undefined {
        this.declare({ key, type, default: dflt });
        return this.values[key];
    }

    private json(key: string): unknown {
        const raw = this.values[key];
        if (raw === undefined) {
            return undefined;
        }
        try {
            return JSON.parse(raw);
        } catch {
            // A bare word where a list or map was expected.
            return raw;
        }
    }

    private declare(d: Omit<KeyDeclaration, "area">): void {
        this.declared.set(d.key, { ...d, area: this.area });
    }
}
