/**
 * `npm run dex-admin-password`: the command read per backend (hand-written here from each CLI's
 * documented form and the names the stack files give), the file it leaves (0600 under a 0700
 * `secrets/`), `secrets/` ignored by git, and one run end to end through a stand-in CLI.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { backendRead, writeOperatorCopy } from "../../scripts/lib/backendRead";
import { dexStackSettings } from "../../scripts/dex-admin-password";
import { PROJECT_DIR } from "../support/evaluate";

// The committed stacks' agents need Cloud Run or the GCP runtime: a cluster-only stack has none.
const KUBERNETES_ONLY = ['targets=["kubernetes"]', "gcpRuntime=false", "litellmDbEndpoint=10.20.0.3", "agents=[]", "alertEmail="];

/** Stack, overrides, and the exact command an operator would type for that backend. */
const COMMANDS: [string, string, string[], string][] = [
    ["Secret Manager", "dev", [], "gcloud secrets versions access latest --secret=llm-dev-dex-admin-password --project=llm-platform-dev"],
    [
        "Secret Manager",
        "prod",
        [],
        "gcloud secrets versions access latest --secret=llm-prod-dex-admin-password --project=llm-platform-prod",
    ],
    [
        "Secrets Manager",
        "prod",
        ["backend=aws-secrets-manager", "awsRegion=eu-west-1", "backendAccess=static-credentials", ...KUBERNETES_ONLY],
        "aws secretsmanager get-secret-value --secret-id app/prod/llm/dex-admin-password --region eu-west-1 --query SecretString --output text",
    ],
    [
        "Vault",
        "prod",
        ["backend=vault", "vaultAddress=https://vault.example.com:8200", ...KUBERNETES_ONLY],
        "vault kv get -address=https://vault.example.com:8200 -mount=secret -field=value prod/dex-admin-password",
    ],
    [
        "Kubernetes source",
        "dev",
        ["backend=kubernetes", ...KUBERNETES_ONLY],
        "kubectl --context gke_llm-platform-dev_us-central1_llm-dev --namespace secret-source get secret dex-admin-password --output jsonpath={.data.value}",
    ],
];

const settingsOf = (stack: string, set: readonly string[]) => {
    const s = dexStackSettings(stack, set);
    assert.ok(!("problems" in s), JSON.stringify(s));
    return s;
};

describe("dex-admin-password: the backend read", () => {
    for (const [backend, stack, set, command] of COMMANDS) {
        it(`reads the entry the program wrote, from ${backend} (${stack})`, () => {
            const read = backendRead(settingsOf(stack, set), "dex-admin-password");
            assert.strictEqual([read.command, ...read.args].join(" "), command);
        });
    }

    it("takes the value out of what each CLI prints", () => {
        const value = 'pa$s wörd:"x"';
        const read = (set: string[], stack = "prod") => backendRead(settingsOf(stack, set), "dex-admin-password");
        assert.strictEqual(read([]).decode(value), value, "gcloud prints the payload as stored");
        assert.strictEqual(read(COMMANDS[2][2]).decode(`${JSON.stringify({ value })}\n`), value, "aws prints the JSON entry");
        assert.strictEqual(read(COMMANDS[3][2]).decode(`${value}\n`), value, "vault prints the field and a line end");
        assert.strictEqual(read(COMMANDS[4][2], "dev").decode(Buffer.from(value).toString("base64")), value, "kubectl prints base64");
        assert.throws(() => read(COMMANDS[2][2]).decode('{"other":"x"}'), /no "value" string/);
    });
});

describe("dex-admin-password: the operator's copy", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dex-admin-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes secrets/dex-admin-password readable by its owner only, also over a wider existing file", () => {
        const file = writeOperatorCopy(dir, "dex-admin-password", "first");
        assert.strictEqual(file, path.join(dir, "secrets", "dex-admin-password"));
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
        assert.strictEqual(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
        fs.chmodSync(file, 0o644);
        writeOperatorCopy(dir, "dex-admin-password", "second");
        assert.strictEqual(fs.readFileSync(file, "utf8"), "second");
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
    });

    it("keeps secrets/ out of git", () => {
        const lines = fs.readFileSync(path.join(PROJECT_DIR, ".gitignore"), "utf8").split("\n");
        assert.ok(lines.includes("secrets/"), ".gitignore lists secrets/");
        const ignored = spawnSync("git", ["check-ignore", "--no-index", "-q", "secrets/dex-admin-password"], { cwd: PROJECT_DIR });
        assert.strictEqual(ignored.status, 0, "git does not ignore secrets/dex-admin-password");
    });

    it("runs the CLI it prints and writes exactly the value (a stand-in gcloud on PATH)", () => {
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        const seen = path.join(dir, "args");
        // Prints a value only when called with the expected arguments, as the real CLI would.
        fs.writeFileSync(path.join(bin, "gcloud"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\nprintf 'Zx9-value'\n`, { mode: 0o755 });
        const out = path.join(dir, "root");
        execFileSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                path.join(PROJECT_DIR, "scripts", "dex-admin-password.ts"),
                "--stack",
                "dev",
                "--out",
                out,
            ],
            { cwd: PROJECT_DIR, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: "pipe" },
        );
        assert.strictEqual(fs.readFileSync(seen, "utf8").trim().split("\n").join(" "), COMMANDS[0][3].replace(/^gcloud /, ""));
        const file = path.join(out, "secrets", "dex-admin-password");
        assert.strictEqual(fs.readFileSync(file, "utf8"), "Zx9-value");
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
    });

    it("refuses a stack without Dex", () => {
        const run = spawnSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                "scripts/dex-admin-password.ts",
                "--stack",
                "dev",
                "--set",
                "features=[]",
                "--print-command",
            ],
            { cwd: PROJECT_DIR, encoding: "utf8" },
        );
        assert.strictEqual(run.status, 1);
        assert.match(run.stderr, /keeps no dex-admin-password: its feature \(dex\) is off/);
    });
});
