/**
 * LiteLLM on Kubernetes with its database outside this program (gcpRuntime off, litellmDbEndpoint
 * naming the server): the program cannot set a password on that server, so a scheduled rotation
 * would cut LiteLLM off until someone copied the new value there. Its database passwords rotate
 * by hand only (a `rotations` bump, with the value set on the server in the same window); with
 * the GCP runtime on, the program's own Cloud SQL users follow the schedule.
 */
import * as assert from "assert";

import { Evaluation, byType, changedResources, evaluate, rotatingAt, unwrap } from "../support/evaluate";
import { rotationFacts, rotationReport } from "../../scripts/lib/rotationReport";
import { ROTATING, GCP_SECRET_VERSION } from "../support/types";

const T0 = "2027-07-11T00:00:00Z";
/** The cluster-only shape of the prod stack, as scripts/plancheck_backends.py runs it (Secret Manager kept). */
const OUTSIDE = { targets: ["kubernetes"], gcpRuntime: false, litellmDbEndpoint: "10.20.0.3", agents: [] };
/** The passwords checked by LiteLLM's database server (the guide's litellm-pg-app and litellm-grafana-ro). */
const DATABASE_PASSWORD_CLOCKS = ["litellm-db-password-clock", "litellm-grafana-ro-password-rotation"];

const clocks = (e: Evaluation): string[] => byType(e, ROTATING).map((r) => r.name);

describe("database passwords of a server outside the program", function () {
    let outside: Evaluation;
    let runtime: Evaluation;

    before(async () => {
        outside = await evaluate({ stack: "prod", set: OUTSIDE, mockState: rotatingAt({}, T0) });
        runtime = await evaluate({ stack: "prod", mockState: rotatingAt({}, T0) });
        assert.ifError(outside.error);
        assert.ifError(runtime.error);
    });

    it("have no rotation clock when the server is outside, while every other generated value keeps its clock", () => {
        for (const clock of DATABASE_PASSWORD_CLOCKS) {
            assert.ok(!clocks(outside).includes(clock), `${clock} with the database outside`);
        }
        assert.ok(clocks(outside).includes("litellm-master-key-rotation"), "the master key still rotates on schedule");
    });

    it("keep their clocks on the program's own Cloud SQL", () => {
        for (const clock of DATABASE_PASSWORD_CLOCKS) {
            assert.ok(clocks(runtime).includes(clock), `${clock} with the GCP runtime on`);
        }
    });

    it("are reported as rotated by hand, saying the value must be set on the server", async () => {
        const rows = rotationReport(await rotationFacts(outside.platform!));
        for (const key of ["litellm-db-password", "litellm-grafana-ro-password"]) {
            const row = rows.find((r) => r.key === key)!;
            assert.strictEqual(row.schedule, "manual", key);
            assert.match(row.note, /outside this program.*set the new value/, key);
        }
    });

    it("still rotate by a rotations bump: a new password reaches the backend", async () => {
        const bumped = await evaluate({
            stack: "prod",
            set: { ...OUTSIDE, rotations: { "litellm-db-password": 1 } },
            mockState: rotatingAt({}, T0),
        });
        assert.ifError(bumped.error);
        const changed = changedResources(outside, bumped).filter((r) => r.type === GCP_SECRET_VERSION);
        const password = (e: Evaluation): string =>
            unwrap(e.resources.find((r) => r.name === "litellm-db-password-version")!.inputs.secretData);
        assert.ok(
            changed.some((r) => r.name === "litellm-db-password-version"),
            changed.map((r) => r.name).join(", "),
        );
        assert.notStrictEqual(password(bumped), password(outside));
    });
});
