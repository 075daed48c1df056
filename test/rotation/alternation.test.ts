import * as assert from "assert";

import {
    activeSlot,
    alternationState,
    createUsersSql,
    passwordGeneration,
    periodIndex,
    periodStart,
    quoteIdent,
    quoteLiteral,
    rotatePasswordSql,
    rotationSteps,
    sampleDays,
    sharedRoleSql,
} from "../../components/rotation/alternation";

describe("alternating users (pure logic)", () => {
    it("alternates the active user with the generation, and keys each password on when its user last became active", () => {
        const rows = [0, 1, 2, 3, 4].map((g) => {
            const s = alternationState("litellm", g);
            return [g, s.active.user, s.active.passwordGeneration, s.idle.user, s.idle.passwordGeneration];
        });
        assert.deepStrictEqual(rows, [
            [0, "litellm_a", 0, "litellm_b", -1],
            [1, "litellm_b", 1, "litellm_a", 0],
            [2, "litellm_a", 2, "litellm_b", 1],
            [3, "litellm_b", 3, "litellm_a", 2],
            [4, "litellm_a", 4, "litellm_b", 3],
        ]);
    });

    it("changes exactly one password per generation step: the idle user's, which becomes active", () => {
        for (let g = 0; g < 10; g++) {
            const changedSlots = (["a", "b"] as const).filter((s) => passwordGeneration(s, g) !== passwordGeneration(s, g + 1));
            assert.deepStrictEqual(changedSlots, [activeSlot(g + 1)], `step ${g} → ${g + 1}`);
            assert.notStrictEqual(activeSlot(g + 1), activeSlot(g));
        }
    });

    it("keeps the previous user's password until the step after (it changes at g + 2)", () => {
        for (let g = 0; g < 10; g++) {
            const previous = activeSlot(g);
            assert.strictEqual(passwordGeneration(previous, g + 1), passwordGeneration(previous, g));
            assert.notStrictEqual(passwordGeneration(previous, g + 2), passwordGeneration(previous, g));
        }
    });

    it("refuses a generation that is not a whole number ≥ 0", () => {
        assert.throws(() => activeSlot(-1), /a generation is a whole number ≥ 0, got -1/);
        assert.throws(() => alternationState("x", 1.5), /got 1.5/);
    });

    it("lists a rotation's steps in order, naming the users", () => {
        assert.deepStrictEqual(
            rotationSteps("litellm", 4).map((s) => s.summary),
            [
                "set a new password on the idle user litellm_b (its password from generation 3 is replaced)",
                "store litellm_b and its new password as the current versions (user, password, database URL)",
                "consumers roll to the new versions and sign in as litellm_b",
                "litellm_a keeps its password and stays valid for connections opened before, until the next rotation (generation 6) gives it a new one",
            ],
        );
    });

    it("writes the SQL: both users acting as one shared role, and a rotation that touches the idle user only", () => {
        assert.deepStrictEqual(sharedRoleSql("litellm", "litellm"), [
            'DO $$BEGIN CREATE ROLE "litellm" NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$',
            'GRANT "litellm" TO "litellm_a"',
            `ALTER ROLE "litellm_a" SET role = 'litellm'`,
            'GRANT "litellm" TO "litellm_b"',
            `ALTER ROLE "litellm_b" SET role = 'litellm'`,
            'GRANT CONNECT, TEMPORARY ON DATABASE "litellm" TO "litellm"',
            'GRANT USAGE, CREATE ON SCHEMA public TO "litellm"',
        ]);
        assert.deepStrictEqual(createUsersSql("app", { a: "pa", b: "p'b" }), [
            `CREATE ROLE "app_a" LOGIN PASSWORD 'pa'`,
            `CREATE ROLE "app_b" LOGIN PASSWORD 'p''b'`,
        ]);
        assert.strictEqual(rotatePasswordSql("app", 0, "new"), `ALTER ROLE "app_b" WITH PASSWORD 'new'`);
        assert.strictEqual(rotatePasswordSql("app", 1, "new"), `ALTER ROLE "app_a" WITH PASSWORD 'new'`);
        assert.strictEqual(quoteIdent('we"ird'), '"we""ird"');
        assert.strictEqual(quoteLiteral("it's \\ fine"), "'it''s \\ fine'");
    });

    it("places times on a fixed calendar grid and samples it every half period", () => {
        const day = 86_400;
        assert.strictEqual(periodIndex(0, 30), 0);
        assert.strictEqual(periodIndex(30 * day - 1, 30), 0);
        assert.strictEqual(periodIndex(30 * day, 30), 1);
        assert.strictEqual(periodStart(700, 30), "2027-07-01T00:00:00Z");
        assert.strictEqual(periodIndex(Date.parse("2027-07-01T00:00:00Z") / 1000, 30), 700);
        assert.deepStrictEqual([1, 2, 3, 30, 31].map(sampleDays), [1, 1, 1, 15, 15]);
        assert.throws(() => periodIndex(0, 0), /whole number of days ≥ 1/);
    });

    it("never skips a period while samples are at most half a period late", () => {
        // Samples every `sampleDays`, each up to half a period after it was due: the index moves
        // by 0 or 1, never 2, so each scheduled rotation is one generation step.
        const P = 30;
        const step = sampleDays(P) * 86_400;
        for (const lateness of [0, 0.2, 0.49]) {
            let t = Date.parse("2025-03-07T05:00:00Z") / 1000;
            for (let i = 0; i < 200; i++) {
                const next = t + step + lateness * P * 86_400 * ((i % 3) / 2);
                assert.ok(periodIndex(next, P) - periodIndex(t, P) <= 1, `skipped a period at sample ${i} (lateness ${lateness})`);
                t = next;
            }
        }
    });
});
