import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import { SECRET_CONTRACT } from "../../components/contract";
import { PROJECT_DIR } from "../support/evaluate";
import { UsageError, rotationRunbook } from "../../scripts/lib/rotate";
import { RUNBOOK_PATH, renderRunbook } from "../../scripts/lib/runbook";
import { AGENT_ROWS } from "../support/agents";

describe("runbook (docs/runbook.md)", () => {
    let text: string;
    before(() => {
        text = renderRunbook();
    });

    it("is current: the committed file is what npm run runbook writes", () => {
        const committed = fs.readFileSync(path.join(PROJECT_DIR, RUNBOOK_PATH), "utf8");
        assert.ok(committed === text, `${RUNBOOK_PATH} is stale: run npm run runbook and commit it`);
    });

    it("is deterministic", () => {
        assert.strictEqual(renderRunbook(), text);
    });

    it("has a section for every secret of the contract, with how to rotate it and who must be told", () => {
        const sections = text.split(/^### /m).slice(1);
        assert.deepStrictEqual(
            sections.map((s) => s.split("\n")[0]),
            [...SECRET_CONTRACT.map((s) => s.key), ...AGENT_ROWS.prod].map((k) => `\`${k}\``),
        );
        for (const s of sections) {
            assert.match(s, /\*\*Who must be told:\*\* \S/);
            assert.match(s, /To rotate it now \(compromised\):\n\n1\. /);
        }
    });

    it("sends provided secrets to their issuer first, and keeps the never-rotated ones manual", () => {
        const section = (key: string) => text.split(/^### /m).find((s) => s.startsWith(`\`${key}\``))!;
        const anthropic = section("anthropic-api-key");
        assert.match(anthropic, /1\. At Anthropic \(console\.anthropic\.com, API keys\): create a new key/);
        assert.match(anthropic, /2\. `pulumi config set --secret --stack <stack> anthropicApiKey`/);
        assert.match(anthropic, /Revoke the old key at Anthropic/);
        const salt = section("litellm-salt-key");
        assert.match(salt, /\*\*Rotates:\*\* never: LiteLLM encrypts stored credentials/);
        assert.match(salt, /--replace '<URN>'/);
        assert.ok(!/raise `rotations\.litellm-salt-key`/.test(salt));
        const db = section("litellm-db-password");
        assert.match(db, /bump once more and run a second up/);
        assert.match(section("ui-password"), /the admins who sign in to LiteLLM's UI/);
        const llmtrace = section("llmtrace-redis-password");
        assert.match(llmtrace, /\*\*Rotates:\*\* by hand only \(a `rotations` bump\), no schedule: the store that checks it runs outside/);
        assert.match(llmtrace, /raise `rotations\.llmtrace-redis-password` by one/);
        assert.match(llmtrace, /\d\. Alongside: the store that checks it runs outside this program/);
    });
});

describe("npm run rotate", () => {
    it("prints the config change with the next generation read from the stack file, preview, up, and what will roll", async () => {
        const lines = await rotationRunbook("dev", "litellm-master-key");
        const text = lines.join("\n");
        // Pulumi.dev.yaml holds litellm-master-key: 0, so the next generation is 1.
        assert.match(text, /generation 0 → 1/);
        assert.ok(text.includes("       llm-platform-secrets:rotations:\n         litellm-master-key: 1\n"), text);
        assert.ok(
            lines.includes("  2. pulumi preview --refresh --stack dev     # reads the clocks first; expect exactly the changes below"),
        );
        assert.ok(lines.includes("  3. pulumi up --refresh --stack dev"));
        const changes = lines.slice(
            lines.indexOf("What will change (the program evaluated offline, as committed and with the change):") + 1,
        );
        assert.deepStrictEqual(changes, [
            "  clock restarted  time:index/rotating:Rotating litellm-master-key-rotation",
            "  new value        random:index/randomPassword:RandomPassword litellm-master-key",
            "  new version      gcp:secretmanager/secretVersion:SecretVersion litellm-master-key-version",
            "  rolls            gcp:cloudrunv2/service:Service litellm (reads a new version)",
            "  rolls            kubernetes:external-secrets.io/v1:ExternalSecret experience/key-portal (reads a new version)",
            "  rolls            kubernetes:external-secrets.io/v1:ExternalSecret litellm/litellm-secrets (reads a new version)",
            "  rolls            kubernetes:helm.sh/v3:Release litellm (reads a new version)",
            "Kubernetes Secrets External Secrets refreshes (their workloads roll):",
            "  litellm/litellm-secrets[master] (litellm)",
            // The platform guide's key portal copy.
            "  experience/key-portal[LITELLM_MASTER_KEY] (key-portal)",
        ]);
    });

    it("rotates a provided secret at its issuer first, then config set --secret", async () => {
        const lines = await rotationRunbook("prod", "hf-token");
        assert.ok(lines.includes("  1. At Hugging Face (Settings, Access Tokens): create a new key; keep the old one until step 5."));
        assert.ok(
            lines.includes("  2. pulumi config set --secret --stack prod hfToken     # prompts: the value stays out of the shell history"),
        );
        assert.ok(lines.includes("  new version      gcp:secretmanager/secretVersion:SecretVersion hf-token-version"));
        assert.ok(lines.includes("  kserve/hf-token[token] (kserve)"), lines.join("\n"));
    });

    it("gives the salt key's reason and a manual procedure with its real URN, never a config bump", async () => {
        const text = (await rotationRunbook("prod", "litellm-salt-key")).join("\n");
        assert.match(text, /It never rotates silently: LiteLLM encrypts stored credentials/);
        const urn =
            "urn:pulumi:prod::llm-platform-secrets::llm-platform-secrets:secrets:SecretValues$llm-platform-secrets:secrets:GeneratedSecret$random:index/randomPassword:RandomPassword::litellm-salt-key";
        assert.ok(text.includes(`pulumi state unprotect --stack prod '${urn}'`), text);
        assert.ok(text.includes(`pulumi up --stack prod --replace '${urn}'`), text);
        assert.ok(!text.includes("rotations:"), "no generation to bump");
    });

    it("sends a value that follows another to the one it follows", async () => {
        const text = (await rotationRunbook("prod", "dex-admin-hash")).join("\n");
        assert.match(text, /It follows dex-admin-password: rotating that rotates it\./);
        assert.match(text, /Rotate dex-admin-password in stack prod/);
    });

    it("refuses an unknown secret, listing the stack's keys", async () => {
        await assert.rejects(
            rotationRunbook("prod", "nope"),
            (e: Error) => e instanceof UsageError && /no secret nope; stack prod has: litellm-master-key,/.test(e.message),
        );
    });
});
