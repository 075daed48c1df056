import * as assert from "assert";

import { SECRET_CONTRACT, activeSecrets } from "../../components/contract";
import { Feature, Target } from "../../components/contract/types";
import { defaultRotationPeriods } from "../../components/config/rotation";
import { evaluate, rotatingAt } from "../support/evaluate";
import { AT_FIRST_DEPLOY, RotationFacts, formatRotationReport, rotationFacts, rotationReport } from "../../scripts/lib/rotationReport";

const T0 = "2027-07-11T00:00:00Z";

/** A stack with Dex and vLLM on Kubernetes only, no runtime: small enough to read every row. */
function facts(over: Partial<RotationFacts> = {}): RotationFacts {
    const active = activeSecrets(SECRET_CONTRACT, new Set<Feature>(["dex", "vllm"]), new Set<Target>(["kubernetes"]));
    return {
        active,
        periods: { ...defaultRotationPeriods(), "llm-api-key": 60 },
        rotations: { "vllm-api-key": 2 },
        clocks: {},
        alternating: { "litellm-db-password": { generation: 0, activeUser: "litellm_a", idleUser: "litellm_b", periodIndex: 0 } },
        backendIds: Object.fromEntries(active.map((a) => [a.spec.key, `llm-x-${a.spec.key}`])),
        ...over,
    };
}

describe("rotation report (pure)", () => {
    it("gives each scheduled secret its class, period, last and next rotation, versions and workloads", () => {
        const rows = rotationReport(facts());
        const vllm = rows.find((r) => r.key === "vllm-api-key")!;
        assert.deepStrictEqual(vllm, {
            key: "vllm-api-key",
            generation: 2,
            versions: ["llm-x-vllm-api-key"],
            workloads: ["Kubernetes litellm/litellm", "Kubernetes serving/vllm"],
            schedule: "scheduled",
            rotationClass: "llm-api-key",
            periodDays: 60,
            lastRotation: AT_FIRST_DEPLOY,
            nextRotation: "60 days after first deploy",
            note: "",
        });
        const admin = rows.find((r) => r.key === "dex-admin-password")!;
        assert.deepStrictEqual(
            [admin.versions, admin.workloads],
            [["llm-x-dex-admin-password", "llm-x-dex-admin-hash"], ["Kubernetes dex/dex"]],
        );
    });

    it("reads the last and next rotation from the clocks once they exist", () => {
        const rows = rotationReport(facts({ clocks: { "vllm-api-key": { rotatedAt: T0, nextRotation: "2027-09-09T00:00:00Z" } } }));
        const vllm = rows.find((r) => r.key === "vllm-api-key")!;
        assert.deepStrictEqual([vllm.lastRotation, vllm.nextRotation], [T0, "2027-09-09T00:00:00Z"]);
    });

    it("explains every secret that is not on a schedule", () => {
        const rows = rotationReport(facts());
        const why = Object.fromEntries(rows.filter((r) => r.schedule !== "scheduled").map((r) => [r.key, [r.schedule, r.nextRotation]]));
        assert.deepStrictEqual(why, {
            "litellm-salt-key": ["never", "never"],
            "litellm-db-username": ["follows", "with litellm-db-password"],
            "dex-admin-hash": ["follows", "with dex-admin-password"],
            "ui-username": ["setting", "-"],
        });
        assert.match(rows.find((r) => r.key === "litellm-salt-key")!.note, /orphans every encrypted row/);
    });

    it("formats a block per scheduled secret and a line for each of the others, within 100 columns", () => {
        const lines = formatRotationReport(rotationReport(facts()));
        assert.match(lines[0], /^Rotation \(\d+ secrets on a schedule/);
        const at = lines.indexOf("  vllm-api-key: llm-api-key, every 60 d");
        assert.ok(at > 0, lines.join("\n"));
        assert.deepStrictEqual(lines.slice(at + 1, at + 6), [
            "    last          at first deploy",
            "    next          60 days after first deploy",
            "    new versions  llm-x-vllm-api-key",
            "    rolls         Kubernetes litellm/litellm",
            "                  Kubernetes serving/vllm",
        ]);
        assert.ok(lines.some((l) => l.startsWith("    litellm-salt-key: never rotates: LiteLLM encrypts stored credentials")));
        assert.ok(!lines.some((l) => l.includes("ui-username")), "settings are not rotation business");
        assert.deepStrictEqual(
            lines.filter((l) => l.length > 100),
            [],
        );
    });
});

describe("rotation report (evaluated prod stack)", () => {
    it("says 'at first deploy' offline, and shows the mocked clocks' times once deployed", async () => {
        const offline = await evaluate({ stack: "prod" });
        assert.ifError(offline.error);
        const before = rotationReport(await rotationFacts(offline.platform!));
        assert.ok(before.filter((r) => r.schedule === "scheduled").every((r) => r.lastRotation === AT_FIRST_DEPLOY));

        const deployed = await evaluate({ stack: "prod", mockState: rotatingAt({}, T0) });
        const rows = rotationReport(await rotationFacts(deployed.platform!));
        const master = rows.find((r) => r.key === "litellm-master-key")!;
        assert.deepStrictEqual([master.lastRotation, master.nextRotation], [T0, "2027-10-09T00:00:00Z"]);
        const db = rows.find((r) => r.key === "litellm-db-password")!;
        assert.deepStrictEqual(
            [db.lastRotation, db.nextRotation, db.versions],
            [
                "period from 2027-07-01T00:00:00Z",
                "first refresh after 2027-07-31T00:00:00Z",
                ["llm-prod-litellm-db-password", "llm-prod-litellm-db-username", "llm-prod-database-url"],
            ],
        );
        // Generation 700 (the calendar period) is even: the a user is active.
        assert.strictEqual(db.note, "alternating users: litellm_a active, litellm_b idle and valid (generation 700)");
    });
});
