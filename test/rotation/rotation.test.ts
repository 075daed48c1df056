import * as assert from "assert";

import { SECRET_CONTRACT, activeSecrets } from "../../components/contract";
import { activeSlot, periodIndex, periodStart, rotationReach, slotUser } from "../../components/rotation";
import {
    Evaluation,
    RecordedResource,
    byType,
    evaluate,
    findResource,
    promiseOf,
    rotatingAt,
    unwrap,
    urnName,
    changedResources,
} from "../support/evaluate";
import { AGENT_GENERATED } from "../support/agents";
import {
    ROTATING,
    RANDOM_PASSWORD as PASSWORD,
    RANDOM_BYTES as BYTES,
    GCP_SECRET_VERSION as VERSION,
    GCP_SQL_USER,
} from "../support/types";

const DAY = 86_400_000;
const plusDays = (rfc: string, days: number): string => new Date(Date.parse(rfc) + days * DAY).toISOString().replace(/\.000Z$/, "Z");
/** A deployed stack: every clock last (re)created here, ten days into a 30-day calendar period. */
const T0 = plusDays(periodStart(700, 30), 10);

const changed = changedResources;
const names = (rs: RecordedResource[]): string[] => rs.map((r) => `${r.type} ${r.name}`).sort();
const data = (e: Evaluation, key: string): string => unwrap(findResource(e, VERSION, `${key}-version`).inputs.secretData);

async function run(opts: Parameters<typeof evaluate>[0]): Promise<Evaluation> {
    const e = await evaluate(opts);
    assert.ifError(e.error);
    return e;
}

/** Resources reachable from `from` through dependencies (the ones that would update after it). */
function dependsOnAny(e: Evaluation, r: RecordedResource, urns: ReadonlySet<string>): boolean {
    const byUrn = new Map(e.resources.map((x) => [x.urn, x]));
    const seen = new Set<string>();
    const stack = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
    while (stack.length > 0) {
        const urn = stack.pop()!;
        if (urns.has(urn)) {
            return true;
        }
        if (!seen.has(urn)) {
            seen.add(urn);
            const dep = byUrn.get(urn);
            stack.push(...(dep?.dependencies ?? []), ...Object.values(dep?.propertyDependencies ?? {}).flat());
        }
    }
    return false;
}

for (const stack of ["dev", "prod"]) {
    describe(`rotation schedule (${stack} stack)`, () => {
        let e: Evaluation;
        before(async () => {
            e = await run({ stack, mockState: rotatingAt({}, T0) });
        });

        it("gives every value generated here one clock, except the ones that never rotate or rotate by hand only", () => {
            const p = e.platform!;
            const generated = activeSecrets(SECRET_CONTRACT, p.config.features, p.config.targets)
                .map((a) => a.spec)
                .filter((s) => s.source.kind === "generated" || s.source.kind === "randomBytes");
            const expected = generated
                .filter((s) => s.neverRotate === undefined && s.manualRotation === undefined)
                .map((s) => (s.alternatingUsers ? `${s.key}-clock` : `${s.key}-rotation`))
                .concat(AGENT_GENERATED[stack].map((k) => `${k}-rotation`));
            assert.deepStrictEqual(
                byType(e, ROTATING)
                    .map((r) => r.name)
                    .sort(),
                expected.sort(),
            );
            for (const r of byType(e, ROTATING)) {
                assert.strictEqual(urnName(r.parent), "rotation", `${r.name} is a child of the rotation component`);
            }
            for (const pinned of ["litellm-salt-key", "n8n-encryption-key"]) {
                assert.ok(!byType(e, ROTATING).some((r) => r.name.startsWith(pinned)), `${pinned} has a clock`);
            }
        });

        it("sets each clock to its class period (90 days for LLM API keys, 30 for database passwords)", () => {
            const days = (name: string) => findResource(e, ROTATING, name).inputs.rotationDays;
            assert.strictEqual(days("litellm-master-key-rotation"), 90);
            assert.strictEqual(days("vllm-api-key-rotation"), 90);
            assert.strictEqual(days("dex-litellm-client-secret-rotation"), 90);
            assert.strictEqual(days("ui-password-rotation"), 90);
            // Alternating users follow a 30-day calendar, sampled every half period.
            assert.strictEqual(days("litellm-db-password-clock"), 15);
            assert.deepStrictEqual(findResource(e, ROTATING, "vllm-api-key-rotation").inputs.triggers, { generation: "0" });
            if (stack === "dev") {
                assert.strictEqual(days("litellm-grafana-ro-password-rotation"), 30);
            }
        });

        it("feeds each clock's base timestamp into its value's keepers, and none into pinned values", () => {
            assert.deepStrictEqual(unwrap(findResource(e, PASSWORD, "vllm-api-key").inputs.keepers), { generation: "0", rotatedAt: T0 });
            assert.deepStrictEqual(unwrap(findResource(e, PASSWORD, "litellm-salt-key").inputs.keepers), {});
            assert.ok(
                findResource(e, PASSWORD, "vllm-api-key").dependencies.includes(findResource(e, ROTATING, "vllm-api-key-rotation").urn),
            );
        });

        it("reports when each secret rotates next: its base plus its period", async () => {
            const next = await promiseOf(e.platform!.rotation.schedules.nextRotation["vllm-api-key"]);
            assert.strictEqual(next, plusDays(T0, 90));
        });
    });
}

describe("scheduled rotation", () => {
    let base: Evaluation;
    before(async () => {
        base = await run({ stack: "dev", mockState: rotatingAt({}, T0) });
    });

    it("changes nothing before the period is over (same clock state, same inputs)", async () => {
        const again = await run({ stack: "dev", mockState: rotatingAt({}, T0) });
        assert.deepStrictEqual(names(changed(base, again)), []);
    });

    it("after the period, changes exactly that value, its versions, and what consumes them", async () => {
        const elapsed = await run({ stack: "dev", mockState: rotatingAt({ "vllm-api-key-rotation": plusDays(T0, 91) }, T0) });
        const reach = rotationReach(elapsed.platform!.active, "vllm-api-key");
        const versions = reach.secrets.map((k) => findResource(elapsed, VERSION, `${k}-version`));
        const own = [findResource(elapsed, PASSWORD, "vllm-api-key"), ...versions];
        const diff = changed(base, elapsed);
        assert.deepStrictEqual(names(diff.filter((r) => own.includes(r))), names(own), "the value and every version of it change");
        // Anything else that changes must be a consumer reading one of those versions.
        const versionUrns = new Set(versions.map((v) => v.urn));
        for (const r of diff.filter((x) => !own.includes(x))) {
            assert.ok(dependsOnAny(elapsed, r, versionUrns), `${r.type} ${r.name} changed without reading vllm-api-key`);
            assert.ok(![PASSWORD, BYTES, VERSION, ROTATING].includes(r.type), `${r.name} is another secret`);
        }
        assert.notStrictEqual(data(base, "vllm-api-key"), data(elapsed, "vllm-api-key"));
        // The consumers that roll are the contract's: the LiteLLM service and both Kubernetes readers.
        assert.deepStrictEqual(reach.workloads, ["Cloud Run service litellm", "Kubernetes litellm/litellm", "Kubernetes serving/vllm"]);
    });

    it("moves the next rotation when the period changes, without rotating anything", async () => {
        const longer = await run({ stack: "dev", set: { rotationPeriods: { "llm-api-key": 120 } }, mockState: rotatingAt({}, T0) });
        assert.deepStrictEqual(names(changed(base, longer)), [
            `${ROTATING} litellm-master-key-rotation`,
            `${ROTATING} vllm-api-key-rotation`,
        ]);
        assert.strictEqual(findResource(longer, ROTATING, "vllm-api-key-rotation").inputs.rotationDays, 120);
        assert.strictEqual(await promiseOf(longer.platform!.rotation.schedules.nextRotation["vllm-api-key"]), plusDays(T0, 120));
    });

    it("never rotates the LiteLLM salt key or the n8n key, even when every other clock has run out", async () => {
        const later = await run({ stack: "dev", mockState: rotatingAt({}, plusDays(T0, 400)) });
        const diff = changed(base, later).map((r) => r.name);
        for (const pinned of ["litellm-salt-key", "n8n-encryption-key"]) {
            assert.ok(!diff.some((n) => n.startsWith(pinned)), `${pinned} changed`);
            assert.strictEqual(data(later, pinned), data(base, pinned));
        }
        // ...while every scheduled value did rotate.
        for (const key of ["litellm-master-key", "vllm-api-key", "ui-password", "dex-admin-hash", "oauth2-proxy-cookie-secret"]) {
            assert.notStrictEqual(data(later, key), data(base, key), `${key} did not rotate`);
        }
    });
});

describe("alternating database users", () => {
    const n0 = periodIndex(Date.parse(T0) / 1000, 30);
    const clock = "litellm-db-password-clock";
    const slotData = (e: Evaluation, slot: "a" | "b") => JSON.stringify(findResource(e, PASSWORD, `litellm-db-password-${slot}`).inputs);
    let base: Evaluation;
    before(async () => {
        base = await run({ stack: "dev", mockState: rotatingAt({}, T0) });
    });

    it("stores the active user and its password, the user chosen by the generation", async () => {
        const active = slotUser("litellm", activeSlot(n0));
        assert.strictEqual(data(base, "litellm-db-username"), active);
        const pair = base.platform!.alternating["litellm-db-password"];
        assert.strictEqual(data(base, "litellm-db-password"), await promiseOf(pair.users[activeSlot(n0)].password));
        assert.deepStrictEqual([pair.users.a.name, pair.users.b.name], ["litellm_a", "litellm_b"]);
    });

    it("changes nothing when the clock samples again within the same period", async () => {
        const sampled = await run({ stack: "dev", mockState: rotatingAt({ [clock]: plusDays(T0, 16) }, T0) });
        assert.strictEqual(periodIndex(Date.parse(plusDays(T0, 16)) / 1000, 30), n0);
        assert.deepStrictEqual(names(changed(base, sampled)), []);
    });

    for (const [how, opts] of [
        ["the next period starts", { mockState: rotatingAt({ [clock]: plusDays(T0, 22) }, T0) }],
        ["its generation is bumped", { set: { rotations: { "litellm-db-password": 1 } }, mockState: rotatingAt({}, T0) }],
    ] as const) {
        it(`when ${how}: new password on the idle user only, consumers moved to it`, async () => {
            const rotated = await run({ stack: "dev", ...opts });
            const was = activeSlot(n0);
            const now = activeSlot(n0 + 1);
            assert.notStrictEqual(was, now);
            // The idle slot's password, its Cloud SQL user, the stored user, password and URL, and
            // what reads them (the Cloud Run service; on Kubernetes, the pinned ExternalSecret and
            // the release it rolls): nothing of the previous user.
            assert.deepStrictEqual(names(changed(base, rotated).filter((r) => r.type !== ROTATING)), [
                "gcp:cloudrunv2/service:Service litellm",
                `${VERSION} database-url-version`,
                `${VERSION} litellm-db-password-version`,
                `${VERSION} litellm-db-username-version`,
                `gcp:sql/user:User litellm-db-user-litellm_${now}`,
                "kubernetes:external-secrets.io/v1:ExternalSecret litellm/litellm-pg-app",
                "kubernetes:helm.sh/v3:Release litellm",
                `${PASSWORD} litellm-db-password-${now}`,
            ]);
            assert.strictEqual(slotData(rotated, was), slotData(base, was), "the previous user keeps its password");
            assert.strictEqual(data(rotated, "litellm-db-username"), slotUser("litellm", now));
        });
    }

    it("gives the previous user a new password at the rotation after", async () => {
        const twice = await run({
            stack: "dev",
            set: { rotations: { "litellm-db-password": 1 } },
            mockState: rotatingAt({ [clock]: plusDays(T0, 22) }, T0),
        });
        const once = await run({ stack: "dev", set: { rotations: { "litellm-db-password": 1 } }, mockState: rotatingAt({}, T0) });
        const was = activeSlot(n0 + 1);
        assert.deepStrictEqual(names(changed(once, twice).filter((r) => r.type === PASSWORD)), [
            `${PASSWORD} litellm-db-password-${activeSlot(n0 + 2)}`,
        ]);
        assert.notStrictEqual(activeSlot(n0 + 2), was);
        assert.strictEqual(data(twice, "litellm-db-username"), slotUser("litellm", activeSlot(n0 + 2)));
    });

    it("writes the database URL only once both users have their passwords", () => {
        const url = findResource(base, VERSION, "database-url-version");
        const deps = new Set(url.propertyDependencies.secretData ?? []);
        for (const slot of ["a", "b"]) {
            const user = findResource(base, GCP_SQL_USER, `litellm-db-user-litellm_${slot}`);
            assert.ok(deps.has(user.urn), `database-url waits for ${user.name}`);
        }
    });

    it("takes the base user name from config", async () => {
        const e = await run({ stack: "dev", set: { litellmDbUsername: "proxy" }, mockState: rotatingAt({}, T0) });
        assert.strictEqual(data(e, "litellm-db-username"), slotUser("proxy", activeSlot(n0)));
        assert.deepStrictEqual(
            Object.values(e.platform!.alternating["litellm-db-password"].users).map((u) => u.name),
            ["proxy_a", "proxy_b"],
        );
    });
});
