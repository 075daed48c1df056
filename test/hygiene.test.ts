import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

import { PROJECT_DIR } from "./support/evaluate";

/**
 * Shapes of real credentials. Each pattern needs key characters right after its marker, so the
 * patterns' own source text (a `[` follows each marker) never matches itself.
 */
const KEY_SHAPES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "an sk- API key", pattern: /\bsk-[A-Za-z0-9_-]{20,}/ },
    { what: "an AWS access key id", pattern: /\bAKIA[0-9A-Z]{16}\b/ },
    { what: "a PEM private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "a GCP service-account key", pattern: /"type"\s*:\s*"service_account"[\s\S]*"private_key"\s*:\s*"-----BEGIN/ },
];

/** Folders whose files are test data by definition. */
const FIXTURE_DIRS = /(^|\/)fixtures\//;

const git = (...args: string[]): string => execFileSync("git", args, { cwd: PROJECT_DIR, encoding: "utf8" });

function findKeys(text: string): string[] {
    return KEY_SHAPES.filter(({ pattern }) => pattern.test(text)).map(({ what }) => what);
}

describe("secret hygiene of the repository", () => {
    const tracked = git("ls-files", "-z")
        .split("\0")
        .filter((f) => f !== "");

    it("finds each key shape it looks for (built at run time, so none sits in this file)", () => {
        const samples = [
            ["sk", "proj", "Ab3".repeat(10)].join("-"),
            "AKIA" + "ABCDEFGH23456789",
            ["-----BEGIN", "RSA PRIVATE KEY-----\nMIIB\n-----END RSA", "PRIVATE KEY-----"].join(" "),
            JSON.stringify({ type: "service_account", private_key_id: "1", private_key: ["-----BEGIN", "PRIVATE KEY-----"].join(" ") }),
        ];
        // A service-account key file holds a PEM block, so it is found twice.
        assert.deepStrictEqual(samples.map(findKeys), [
            ["an sk- API key"],
            ["an AWS access key id"],
            ["a PEM private key"],
            ["a PEM private key", "a GCP service-account key"],
        ]);
        assert.deepStrictEqual(findKeys(fs.readFileSync(__filename, "utf8")), [], "the scanner flags its own patterns");
    });

    it("tracks no file holding something that looks like a real key (fixtures aside)", () => {
        assert.ok(tracked.length > 20, "git ls-files returned too little");
        const found: string[] = [];
        for (const file of tracked.filter((f) => !FIXTURE_DIRS.test(f))) {
            const full = path.join(PROJECT_DIR, file);
            if (!fs.existsSync(full) || !fs.statSync(full).isFile()) {
                continue;
            }
            for (const what of findKeys(fs.readFileSync(full, "utf8"))) {
                found.push(`${file}: ${what}`);
            }
        }
        assert.deepStrictEqual(found, []);
    });

    it("ignores local env files and key files, and tracks none", () => {
        const candidates = [".env", ".env.local", "policy/.env", "gcp-sa-key.json", "tls.pem", "id.key", "credentials.json"];
        const ignored = git("check-ignore", "--no-index", ...candidates)
            .split("\n")
            .filter((l) => l !== "");
        assert.deepStrictEqual(ignored, candidates);
        assert.deepStrictEqual(
            tracked.filter((f) => /(^|\/)\.env(\.|$)/.test(f) && !f.endsWith(".env.example")),
            [],
        );
        assert.deepStrictEqual(
            tracked.filter((f) => /\.(pem|key)$|-key\.json$|(^|\/)credentials\.json$/.test(f)),
            [],
        );
    });

    it("keeps .env.example free of values", () => {
        const lines = fs.readFileSync(path.join(PROJECT_DIR, ".env.example"), "utf8").split("\n");
        const assignments = lines.filter((l) => l.trim() !== "" && !l.startsWith("#"));
        assert.ok(assignments.length > 0);
        for (const line of assignments) {
            assert.match(line, /^[A-Z][A-Z0-9_]*=$/, `.env.example sets a value: ${line.split("=")[0]}`);
        }
        // check-ignore exits 1 for a path that is not ignored.
        assert.strictEqual(spawnSync("git", ["check-ignore", "-q", "--no-index", ".env.example"], { cwd: PROJECT_DIR }).status, 1);
    });
});
