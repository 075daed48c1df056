/**
 * Recognising secrets in resource inputs, without knowing which values are secret.
 *
 * Pulumi's policy SDK hands a policy every input as plain JSON: secret values arrive unwrapped,
 * with nothing left to say they were secret. So a policy cannot ask "is this a Pulumi secret?"; it
 * can only look at where a value sits (the fields made to hold secrets: a secret version's data, a
 * database user's password, a Kubernetes Secret's data) and at what a value looks like.
 */

/** Fields whose whole purpose is to hold a secret value, by resource type (top-level input names). */
export const SINK_FIELDS: Readonly<Record<string, readonly string[]>> = {
    "gcp:secretmanager/secretVersion:SecretVersion": ["secretData", "secretDataWo"],
    "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion": ["secretData", "secretDataWo"],
    "gcp:sql/user:User": ["password", "passwordWo"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary", "secretStringWo"],
    "vault:kv/secretV2:SecretV2": ["dataJson"],
    "vault:generic/secret:Secret": ["dataJson"],
    "kubernetes:core/v1:Secret": ["data", "stringData"],
};

/** Shapes of credentials issued by well-known services, and of private key material. */
const KNOWN_SHAPES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "a PEM private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "a GCP service-account key", pattern: /"private_key(_id)?"\s*:\s*"/ },
    { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "an API key with an sk- prefix", pattern: /\bsk-[A-Za-z0-9_-]{20,}/ },
    { what: "a Langfuse key", pattern: /\b[ps]k-lf-[0-9a-f-]{32,}/ },
    { what: "a Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{30,}/ },
    { what: "a GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
    { what: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
    { what: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
    { what: "a bcrypt hash", pattern: /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/ },
];

/** A password written into a URL (`scheme://user:password@host`), unless it is a placeholder. */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s/@]+)@/i;
const PLACEHOLDER = /^(\$\(.+\)|\$\{.+\}|%\(.+\)s|<.+>|\*+)$/;

/** Bits per character of `s` (Shannon entropy of its character distribution). */
function entropy(s: string): number {
    const counts = new Map<string, number>();
    for (const c of s) {
        counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let bits = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}

/**
 * A cloud resource name such as `projects/my-proj-1/serviceAccounts/dev-eso-n8n`: slash-separated
 * lowercase ids and camelCase collection names. A base64 key with slashes has random segments.
 */
function isResourcePath(token: string): boolean {
    const segments = token.split("/");
    return segments.length >= 3 && segments.every((seg) => /^[a-z0-9][a-z0-9._-]*$/.test(seg) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(seg));
}

/**
 * A random token: 20 or more characters of a key alphabet, mixing upper case, lower case and digits,
 * with high entropy. Names, ids, emails, URLs, hex digests and version strings all fail at least
 * one of these tests; generated passwords and base64 keys pass them all.
 */
function isRandomToken(token: string): boolean {
    const t = token.replace(/=+$/, "");
    if (isResourcePath(t)) {
        return false;
    }
    return t.length >= 20 && /^[A-Za-z0-9+/_-]+$/.test(t) && /[A-Z]/.test(t) && /[a-z]/.test(t) && /[0-9]/.test(t) && entropy(t) >= 3.5;
}

/** Why `value` looks like a secret, or undefined when it does not. */
export function secretShape(value: string): string | undefined {
    for (const { what, pattern } of KNOWN_SHAPES) {
        if (pattern.test(value)) {
            return what;
        }
    }
    const url = URL_PASSWORD.exec(value);
    if (url && !PLACEHOLDER.test(url[1])) {
        return "a password inside a URL";
    }
    // Tokens are split on separators that never occur inside a generated key.
    if (value.split(/[\s"'`,;:=&?@()[\]{}<>|\\]+/).some(isRandomToken)) {
        return "a random token (a generated password or key)";
    }
    return undefined;
}

/**
 * Names that say their value is a credential: `password`, `clientSecret`, `API_KEY`,
 * `postgres-password`, `masterkey`. Names of references to a credential (`existingSecret`,
 * `secretName`, `passwordKey`, `TOKEN_FILE`) are not.
 */
export function isCredentialName(name: string): boolean {
    const words = name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 0);
    if (words.length === 0 || words[0] === "existing") {
        return false;
    }
    const last = words[words.length - 1];
    const lastTwo = words.slice(-2).join(" ");
    return (
        ["password", "passwd", "passphrase", "secret", "token", "apikey", "masterkey", "credential", "credentials"].includes(last) ||
        ["api key", "master key", "salt key", "private key", "encryption key", "access key", "signing key", "client secret"].includes(
            lastTwo,
        )
    );
}

/** Values that name where a credential is rather than being one (LiteLLM's `os.environ/X`, `$(VAR)`). */
export const isReference = (value: string): boolean => /^os\.environ\/[A-Za-z_][A-Za-z0-9_]*$/.test(value) || PLACEHOLDER.test(value);

/** One string somewhere in a resource's inputs. */
export interface Leaf {
    /** Dotted path from the inputs' root, e.g. `template.containers.0.envs.2.value`. */
    readonly path: string;
    /** The key the string sits under (the last non-index path segment). */
    readonly key: string;
    readonly value: string;
}

/**
 * Reads `obj[key]`, or undefined when the value is unknown: during a preview the SDK's proxy throws
 * for inputs that only exist after an update, and an unknown value cannot be judged.
 */
export function peek(obj: unknown, key: string | number): unknown {
    if (obj === null || typeof obj !== "object") {
        return undefined;
    }
    try {
        return (obj as Record<string | number, unknown>)[key];
    } catch (e) {
        if (e instanceof Error && e.constructor.name === "UnknownValueError") {
            return undefined;
        }
        throw e;
    }
}

/** Every string leaf under `root`, skipping the top-level fields in `skip`. */
export function stringLeaves(root: unknown, skip: readonly string[] = []): Leaf[] {
    const out: Leaf[] = [];
    const visit = (v: unknown, path: string[], key: string): void => {
        if (typeof v === "string") {
            out.push({ path: path.join("."), key, value: v });
        } else if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) {
                visit(peek(v, i), [...path, String(i)], key);
            }
        } else if (v !== null && typeof v === "object") {
            for (const k of Object.keys(v)) {
                if (path.length === 0 && skip.includes(k)) {
                    continue;
                }
                visit(peek(v, k), [...path, k], k);
            }
        }
    };
    visit(root, [], "");
    return out;
}

/** The value at a dotted path, or undefined. */
export function at(root: unknown, path: string): unknown {
    let v: unknown = root;
    for (const part of path.split(".")) {
        v = peek(v, part);
        if (v === undefined) {
            return undefined;
        }
    }
    return v;
}
