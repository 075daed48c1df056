/**
 * Adoption of an existing setup: the committed example stack takes over the Cloud Run guide's
 * secrets and must import every one of them, create none, write no new version, and keep the
 * values given.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { parseConfig } from "../../components/config";
import { Evaluation, byType, changedResources, evaluate, unwrap } from "../support/evaluate";
import { rotationFacts, rotationReport } from "../../scripts/lib/rotationReport";
import {
    GUIDE_IDS,
    LIVE,
    LIVE_BY_ID,
    PROJECT_ID,
    SECRET,
    SECRET_IAM,
    STACK,
    adopt,
    secretById,
    secureValue,
    versionOf,
} from "./adoptionHelpers";
import { GCP_SERVICE_ACCOUNT, RANDOM_PASSWORD, ROTATING } from "../support/types";

describe("adoption: the Cloud Run guide's secrets, by their bare ids", () => {
    let e: Evaluation;
    before(async () => {
        e = await adopt();
        assert.ifError(e.error);
    });

    it("imports every guide secret the stack has, at its bare id, and creates no secret", () => {
        const ids = byType(e, SECRET)
            .map((r) => unwrap(r.inputs).secretId)
            .sort();
        // The example adopts all eleven of the guide's secrets.
        assert.strictEqual(GUIDE_IDS.length, 11);
        for (const id of GUIDE_IDS.filter((x) => !ids.includes(x))) {
            assert.fail(`the guide's secret ${id} is not adopted by the example stack`);
        }
        for (const secret of byType(e, SECRET)) {
            const id = unwrap(secret.inputs).secretId;
            assert.ok(GUIDE_IDS.includes(id), `${id} is not one of the guide's secrets: it would be created`);
            assert.strictEqual(secret.importId, `projects/${PROJECT_ID}/secrets/${id}`, id);
            assert.strictEqual(secret.retainOnDelete, true, `${id} must be retained on delete`);
        }
    });

    it("gives each import the inputs gcloud secrets create gave it: no labels, automatic replication", () => {
        for (const secret of byType(e, SECRET)) {
            const inputs = unwrap(secret.inputs);
            assert.deepStrictEqual(inputs.labels, {}, secret.name);
            assert.deepStrictEqual(inputs.replication, { auto: {} }, secret.name);
            // The example keeps its data: the provider-side flag goes on with the import.
            assert.strictEqual(inputs.deletionProtection, true, secret.name);
        }
    });

    it("imports each current version with the value it holds: nothing new is written", () => {
        for (const secret of byType(e, SECRET)) {
            const id = unwrap(secret.inputs).secretId;
            const version = versionOf(e, secret);
            assert.strictEqual(version.importId, `projects/${PROJECT_ID}/secrets/${id}/versions/1`, id);
            assert.strictEqual(version.retainOnDelete, true, id);
            assert.deepStrictEqual(version.ignoreChanges, ["deletionPolicy"], id);
            assert.strictEqual(unwrap(version.inputs.secretData), LIVE_BY_ID[id], `${id} keeps the value it has`);
            assert.strictEqual((e.outputs.secretVersions.value as Record<string, string>)[id], "1", `${id} stays at version 1`);
        }
    });

    it("keeps the salt key's given value, protected, and generates no value at all", () => {
        const salt = secretById(e, "litellm-salt-key");
        assert.ok(salt);
        assert.strictEqual(unwrap(versionOf(e, salt).inputs.secretData), "sk-live-salt-key-0001");
        assert.strictEqual(salt.protect, true);
        assert.deepStrictEqual(
            byType(e, RANDOM_PASSWORD).map((r) => r.name),
            [],
        );
        assert.deepStrictEqual(
            byType(e, ROTATING).map((r) => r.name),
            [],
        );
    });

    it("changes nothing else: besides the imports, only additive read grants to the guide's service account", () => {
        const other = e.resources.filter((r) => r.custom && r.importId === null && r.type !== SECRET_IAM);
        assert.deepStrictEqual(
            other.map((r) => `${r.type} ${r.name}`),
            [],
        );
        for (const grant of byType(e, SECRET_IAM)) {
            assert.strictEqual(unwrap(grant.inputs).member, `serviceAccount:litellm-proxy@${PROJECT_ID}.iam.gserviceaccount.com`);
            assert.strictEqual(unwrap(grant.inputs).role, "roles/secretmanager.secretAccessor");
        }
        assert.deepStrictEqual(byType(e, GCP_SERVICE_ACCOUNT), []);
    });

    it("is the same on a second up: the imports stay ordinary resources", async () => {
        const again = await adopt({ set: { __rerun: "1" } });
        assert.deepStrictEqual(
            changedResources(e, again).map((r) => r.name),
            [],
        );
    });

    it("reports the adopted values' rotation: kept until a bump, the salt key for good", async () => {
        const rows = Object.fromEntries(rotationReport(await rotationFacts(e.platform!)).map((r) => [r.key, r]));
        assert.strictEqual(rows["litellm-master-key"].lastRotation, "before adoption (version 1 kept)");
        assert.strictEqual(rows["litellm-master-key"].nextRotation, "at rotations.litellm-master-key: 1, then every 90 d");
        assert.strictEqual(rows["litellm-salt-key"].nextRotation, "never");
        assert.match(rows["litellm-salt-key"].note, /^adopted value kept for good/);
        assert.match(rows["database-url"].note, /^adopted value kept as given \(version 1 kept\)/);
    });
});

describe("adoption: after the first rotation", () => {
    it("writes a new version of exactly the rotated secret, still in the adopted secret", async () => {
        const before = await adopt();
        const after = await adopt({ set: { rotations: { "litellm-master-key": 1 } } });
        assert.ifError(after.error);
        const secret = secretById(after, "litellm-master-key")!;
        assert.strictEqual(secret.importId, `projects/${PROJECT_ID}/secrets/litellm-master-key`);
        const version = versionOf(after, secret);
        assert.strictEqual(version.importId, null, "the rotated version is new, not imported");
        const value = unwrap(version.inputs.secretData);
        assert.notStrictEqual(value, LIVE.adoptedLitellmMasterKey);
        assert.match(value, /^sk-[A-Za-z0-9]{48}$/);
        const changed = changedResources(before, after)
            .filter((r) => r.custom)
            .map((r) => r.name)
            .sort();
        assert.deepStrictEqual(changed, ["litellm-master-key-rotation", "litellm-master-key-version", "litellm-master-key"].sort());
    });

    it("refuses to regenerate the salt key, whatever the config says", async () => {
        const e = await adopt({ set: { rotations: { "litellm-salt-key": 1 } } });
        assert.match(e.error?.message ?? "", /rotations\.litellm-salt-key: litellm-salt-key never rotates silently/);
    });
});

describe("adoption: bad config", () => {
    const problems = async (set: Record<string, unknown>, unset: string[] = []): Promise<string> => {
        const e = await adopt({ set, unset });
        return e.error?.message ?? "";
    };

    it("refuses adopting anything without the salt key", async () => {
        const msg = await problems({
            adoptSecrets: { "litellm-master-key": { id: "litellm-master-key", version: 1 } },
        });
        assert.match(
            msg,
            /adoptSecrets\.litellm-salt-key: this stack adopts existing secrets but not litellm-salt-key, which would be generated anew/,
        );
    });

    it("needs the value a generated secret keeps, and says how to give it", async () => {
        const msg = await problems({}, ["adoptedUiPassword"]);
        assert.match(msg, /adoptedUiPassword: ui-password is adopted, so its current value must be given/);
        assert.match(msg, /gcloud secrets versions access 1 --secret=ui-password \| pulumi config set --secret adoptedUiPassword/);
    });

    it("refuses a kept value stored in plain text", () => {
        const values = {
            gcpProject: "my-llm-project",
            adoptSecrets: JSON.stringify({ "litellm-salt-key": { version: 1 } }),
            adoptedLitellmSaltKey: "sk-in-plain-text",
        };
        const { problems: found } = parseConfig(values, { stack: "dev", secretKeys: new Set() });
        assert.deepStrictEqual(
            found.map((p) => `${p.key}: ${p.message}`),
            ["adoptedLitellmSaltKey: is stored in plain text in the stack file"],
        );
    });

    it("names unknown keys, missing versions and stray fields", async () => {
        const base = {
            "litellm-salt-key": { id: "litellm-salt-key", version: 1 },
            "litellm-master-key": { id: "litellm-master-key", version: 1 },
        };
        const msg = await problems({
            adoptSecrets: {
                ...base,
                "no-such-key": { version: 1 },
                "ui-password": { id: "ui-password" },
                "ui-username": { version: 1, colour: "blue" },
            },
        });
        assert.match(msg, /adoptSecrets\.no-such-key: names no secret of the contract/);
        assert.match(msg, /adoptSecrets\.ui-password\.version: is required/);
        assert.match(msg, /adoptSecrets\.ui-username\.colour: is not an adoption field/);
    });
});

describe("adoption: provided values from a Pulumi ESC environment", () => {
    const dir = path.join(__dirname, "..", "..", "examples", "esc");
    const stackFile = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.adopt-esc-example.yaml"), "utf8"));
    const env = YAML.parse(fs.readFileSync(path.join(dir, "llm-platform-adopt.env.yaml"), "utf8"));
    const pulumiConfig: Record<string, string> = env.values.pulumiConfig;

    it("imports the environment the example defines, and keeps no secret in the stack file", () => {
        assert.deepStrictEqual(stackFile.environment, ["llm-platform/adopt"]);
        const secure = Object.entries<unknown>(stackFile.config).filter(([, v]) => typeof v === "object" && v !== null && "secure" in v);
        assert.deepStrictEqual(secure, []);
    });

    it("gives every value the committed adoption example sets as a secret, each read from the secret it is adopted from", () => {
        const example = YAML.parse(fs.readFileSync(path.join(__dirname, "..", "..", `Pulumi.${STACK}.yaml`), "utf8"));
        const secureKeys = Object.entries<unknown>(example.config)
            .filter(([, v]) => typeof v === "object" && v !== null && "secure" in v)
            .map(([k]) => k)
            .sort();
        assert.deepStrictEqual(Object.keys(pulumiConfig).sort(), secureKeys);
        const access = env.values.gcp.secrets["fn::open::gcp-secrets"].access;
        for (const [key, ref] of Object.entries(pulumiConfig)) {
            const m = /^\$\{gcp\.secrets\.([a-z0-9-]+)\}$/.exec(ref);
            assert.ok(m, `${key}: ${ref} is not a gcp-secrets reference`);
            assert.ok(GUIDE_IDS.includes(access[m[1]]?.name), `${key} reads ${m[1]}, which is not one of the guide's secrets`);
        }
    });

    it("evaluates with the environment's values as secret config: every guide secret imported", async () => {
        const config: Record<string, unknown> = {};
        for (const [k, v] of Object.entries<unknown>(stackFile.config)) {
            config[k] = v;
        }
        const secrets: Record<string, string> = {};
        for (const key of Object.keys(pulumiConfig)) {
            secrets[key] = secureValue(key.split(":")[1]);
        }
        const e = await evaluate({ stack: "adopt-esc", stackFiles: false, set: config, secrets });
        assert.ifError(e.error);
        const secrets_ = byType(e, SECRET);
        assert.ok(secrets_.length > 0);
        assert.ok(secrets_.every((r) => r.importId !== null));
        const salt = secretById(e, "litellm-salt-key")!;
        assert.strictEqual(unwrap(versionOf(e, salt).inputs.secretData), LIVE.adoptedLitellmSaltKey);
    });
});
