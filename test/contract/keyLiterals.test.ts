/**
 * No contract key is named outside the contract (issue 13): code that needs a particular secret
 * refers to its row (`LITELLM_KEYS`, `PROVIDER_KEYS`, `APP_KEYS`) or asks a query, so renaming a
 * key is one edit in components/contract/. The keys come from the guides' transcriptions and the
 * hand-kept additions (seedExpectations.ts), never from the table; string literals are found with
 * TypeScript's own parser, so comments may still name a key.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as ts from "typescript";

import { SECRET_CONTRACT } from "../../components/contract";
import {
    CLOUD_RUN_ADDITIONS,
    GUIDE_SEEDED_KEYS,
    SECRET_ADDITIONS,
    cloudRunSecretRows,
    guideSecretRows,
    llmtraceRows,
} from "./seedExpectations";

const COMPONENTS = path.resolve(__dirname, "..", "..", "components");

/** Keys of rows that no guide's table names, kept by hand with the reason. */
const UNLISTED_KEYS = [
    // Stored for clients that take one Redis URL; no consumer reads it through the contract.
    "redis-url",
];

/** Every backend key the guides and the hand-kept additions name. */
const KNOWN_KEYS = new Set([
    ...guideSecretRows().map((r) => r.backendKey),
    ...cloudRunSecretRows().map((r) => r.backendKey),
    ...llmtraceRows().map((r) => r.backendKey),
    ...SECRET_ADDITIONS.map((a) => a.row.backendKey),
    ...CLOUD_RUN_ADDITIONS.map((a) => a.row.backendKey),
    ...GUIDE_SEEDED_KEYS,
    ...UNLISTED_KEYS,
]);

/**
 * Where a key may be written out: the contract itself, and the agents' guide, whose table names
 * an agent's Secret keys and Secret Manager names as that guide spells them (seed 003).
 */
const ALLOWED = [path.join(COMPONENTS, "contract"), path.join(COMPONENTS, "agents", "guide.ts")];

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? sourceFiles(p) : e.name.endsWith(".ts") ? [p] : [];
    });
}

/** `file:line: "key"` for every string literal (or template text) of a file that is a known key. */
function keyLiterals(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
            for (const key of KNOWN_KEYS) {
                const exact = ts.isStringLiteralLike(node) && node.text === key;
                const inTemplate = ts.isTemplateLiteralToken(node) && new RegExp(`(^|[^a-z0-9-])${key}($|[^a-z0-9-])`).test(node.text);
                if (exact || inTemplate) {
                    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
                    found.push(`${path.relative(COMPONENTS, file)}:${line}: "${key}"`);
                }
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

describe("contract keys in components/", () => {
    it("the scanned keys cover the table: a row's key no guide names is listed in UNLISTED_KEYS", () => {
        // The list is the expectation; the table is only checked against it, so a new row cannot
        // slip past the scan.
        assert.deepStrictEqual(
            SECRET_CONTRACT.map((s) => s.key).filter((k) => !KNOWN_KEYS.has(k)),
            [],
        );
    });

    it("the scan finds keys where they are written: in the contract's rows", () => {
        const inRows = new Set(
            sourceFiles(path.join(COMPONENTS, "contract"))
                .flatMap(keyLiterals)
                .map((f) => f.split(": ")[1]),
        );
        // Rows named through their area's key object or built by a helper (the Dex clients) are
        // not literals; the rest are.
        for (const key of ["litellm-salt-key", "n8n-encryption-key", "hf-token", "llmtrace-redis-password", "litellm-master-key"]) {
            assert.ok(inRows.has(`"${key}"`), `${key} not found in components/contract/`);
        }
    });

    it("are named nowhere outside components/contract/ (refer to the row's key object or a query)", () => {
        const outside = sourceFiles(COMPONENTS).filter((f) => !ALLOWED.some((a) => f === a || f.startsWith(a + path.sep)));
        assert.deepStrictEqual(outside.flatMap(keyLiterals), []);
    });
});
