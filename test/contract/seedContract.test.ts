/**
 * The consumers' contract, checked against the guides (test/contract/seedExpectations.ts, built
 * from the hand transcriptions in test/fixtures/seed-contract/), never against the program's own
 * contract table: under every backend with every feature on, each documented Secret key and env
 * var is produced exactly, and each produced one is documented or a listed deliberate addition.
 */
import * as assert from "assert";

import { SECRET_CONTRACT, activeSecrets } from "../../components/contract";
import { FEATURES, Feature, Target } from "../../components/contract/types";
import { projectedSecrets } from "../../components/k8s/projection";
import { Evaluation, RecordedResource, byType, evaluate, findResource, unwrap } from "../support/evaluate";
import { BACKEND_CONFIG } from "../backends/support";
import {
    ARGOCD_LABEL,
    BACKEND_NAMING,
    CLOUD_RUN_ADDITIONS,
    CLOUD_RUN_FEATURES,
    CLOUD_RUN_PLAIN_ADDITIONS,
    EnvRow,
    GUIDE_ROW_FEATURES,
    LEGACY_FEATURE,
    LEGACY_ROWS,
    LLMTRACE_FEATURES,
    LLMTRACE_SECRET,
    PROVIDED_CONFIG,
    RELOADER_ANNOTATION,
    SECRET_ADDITIONS,
    SecretKeyRow,
    cloudRunPlain,
    cloudRunSecretRows,
    guideSecretRows,
    llmtraceHelm,
    llmtraceRows,
    slot,
} from "./seedExpectations";
import { GCP_RUN_SERVICE as SERVICE } from "../support/types";

const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const RELEASE = "kubernetes:helm.sh/v3:Release";

const BACKENDS = {
    "gcp-secret-manager": {},
    "aws-secrets-manager": BACKEND_CONFIG.aws,
    vault: BACKEND_CONFIG.vault,
    kubernetes: BACKEND_CONFIG.kubernetes,
} as const;
type Backend = keyof typeof BACKENDS;

const secrets = Object.fromEntries(PROVIDED_CONFIG.map((k) => [k, `provided-${k}`]));
const row = (r: SecretKeyRow): string => `${slot(r)} <- ${r.backendKey}`;
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** Every documented or deliberately added Secret key, with the features it needs. */
function expectedSecretRows(): { row: SecretKeyRow; features: readonly string[] }[] {
    const guide = guideSecretRows().map((r) => {
        const features = GUIDE_ROW_FEATURES[slot(r)];
        if (features === undefined) {
            throw new Error(`${slot(r)} is in the guide's table but not in GUIDE_ROW_FEATURES`);
        }
        return { row: r, features };
    });
    return [
        ...guide,
        ...SECRET_ADDITIONS.map((a) => ({ row: a.row, features: a.features })),
        ...llmtraceRows().map((r) => ({ row: r, features: LLMTRACE_FEATURES })),
    ];
}

/** The backend key a remoteRef points at, by the backend's naming (checked, not assumed). */
function backendKeyOf(backend: Backend, remoteRef: { key: string; property?: string }, where: string): string {
    const naming = BACKEND_NAMING[backend];
    assert.ok(remoteRef.key.startsWith(naming.prefix), `${where}: ${remoteRef.key} is not named ${naming.prefix}<key>`);
    assert.strictEqual(remoteRef.property, naming.property, `${where}: property`);
    return remoteRef.key.slice(naming.prefix.length);
}

/** Every Secret key the ExternalSecrets produce, with the backend key feeding it. */
function producedSecretRows(e: Evaluation, backend: Backend): SecretKeyRow[] {
    return byType(e, EXTERNAL_SECRET).flatMap((es: RecordedResource) => {
        const spec = unwrap(es.inputs.spec);
        const namespace: string = es.inputs.metadata.namespace;
        const secret: string = spec.target.name;
        const fetched = new Map<string, string>(
            spec.data.map((d: any) => [d.secretKey, backendKeyOf(backend, d.remoteRef, `${namespace}/${secret}`)]),
        );
        const templated: Record<string, string> | undefined = spec.target.template?.data;
        if (templated === undefined) {
            return [...fetched].map(([key, backendKey]) => ({ namespace, secret, key, backendKey }));
        }
        return Object.entries(templated).map(([key, t]) => {
            const vars = [...t.matchAll(/\{\{ index \. "([^"]+)" \}\}/g)].map((m) => m[1]);
            assert.strictEqual(vars.length, 1, `${namespace}/${secret}[${key}] renders one value`);
            return { namespace, secret, key, backendKey: fetched.get(vars[0]) as string };
        });
    });
}

/** Every feature of the platform; the transitional legacy names are checked on their own below. */
const allFeatures = (): string[] => FEATURES.filter((f) => f !== LEGACY_FEATURE);

for (const [backend, config] of Object.entries(BACKENDS) as [Backend, object][]) {
    describe(`the guides' Kubernetes Secrets (${backend} backend)`, () => {
        let all: Evaluation;
        let none: Evaluation;
        before(async () => {
            all = await evaluate({ stack: "dev", set: { ...config, features: allFeatures() }, secrets });
            assert.ifError(all.error);
            none = await evaluate({ stack: "dev", set: { ...config, features: [] } });
            assert.ifError(none.error);
        });

        it("produces every documented key, in its namespace and Secret, from its backend key, with every feature on", () => {
            const produced = new Set(producedSecretRows(all, backend).map(row));
            const missing = expectedSecretRows()
                .map((x) => row(x.row))
                .filter((r) => !produced.has(r));
            assert.deepStrictEqual(missing, []);
        });

        it("produces nothing else: every produced key is documented or a listed deliberate addition", () => {
            const expected = new Set(expectedSecretRows().map((x) => row(x.row)));
            const extra = producedSecretRows(all, backend)
                .map(row)
                .filter((r) => !expected.has(r));
            assert.deepStrictEqual(extra, []);
        });

        it("with no feature on, produces exactly the rows that need none", () => {
            const expected = expectedSecretRows()
                .filter((x) => x.features.length === 0)
                .map((x) => row(x.row));
            assert.deepStrictEqual(sorted(producedSecretRows(none, backend).map(row)), sorted(expected));
        });

        it("merges Argo CD's key into argocd-secret, with the label Argo CD reads, and owns every other Secret", () => {
            for (const es of byType(all, EXTERNAL_SECRET)) {
                const target = unwrap(es.inputs.spec.target);
                if (es.inputs.metadata.namespace === "argocd" && target.name === "argocd-secret") {
                    // ESO docs (guides/ownership-deletion-policy): Merge never creates or deletes.
                    assert.strictEqual(target.creationPolicy, "Merge");
                    assert.notStrictEqual(target.deletionPolicy, "Delete");
                    assert.deepStrictEqual(target.template.metadata.labels, ARGOCD_LABEL);
                    assert.strictEqual(target.template.type, undefined, "Argo CD's Secret keeps its type");
                } else {
                    assert.strictEqual(target.creationPolicy, "Owner", es.name);
                    assert.strictEqual(target.template.metadata.labels["app.kubernetes.io/part-of"], "llm-platform-secrets", es.name);
                }
            }
        });

        it("marks every Secret it writes for Stakater Reloader, so workloads it does not install roll on rotation", () => {
            const targets = byType(all, EXTERNAL_SECRET).map((es) => unwrap(es.inputs.spec.target));
            assert.ok(targets.length > 10);
            for (const t of targets) {
                assert.deepStrictEqual(t.template.metadata.annotations, RELOADER_ANNOTATION, t.name);
                // v2 is the template engine that renders metadata (ESO docs, templating).
                assert.strictEqual(t.template.engineVersion, "v2", t.name);
            }
        });

        it("points LLMTrace's release at its Secret the way the LLMTrace guide says", () => {
            const values = unwrap(findResource(all, RELEASE, "llmtrace").inputs.values);
            const helm = llmtraceHelm();
            assert.strictEqual(values.secrets.create, helm["secrets.create"]);
            assert.strictEqual(values.secrets.existingSecret, LLMTRACE_SECRET.secret);
        });
    });
}

describe("the guides' Kubernetes Secrets: each only when its features are on", () => {
    const targets = new Set<Target>(["kubernetes"]);
    const producedWith = (features: readonly string[]): Set<string> =>
        new Set(
            projectedSecrets(activeSecrets(SECRET_CONTRACT, new Set(features as Feature[]), targets)).flatMap((s) =>
                s.keys.map((k) => `${s.namespace}/${s.secretName}[${k.key}]`),
            ),
        );
    const rows = expectedSecretRows();
    for (const feature of allFeatures()) {
        it(`without ${feature}, drops exactly the rows that need it`, () => {
            const produced = producedWith(allFeatures().filter((f) => f !== feature));
            for (const x of rows) {
                assert.strictEqual(produced.has(slot(x.row)), !x.features.includes(feature), slot(x.row));
            }
        });
    }
});

describe("the previous release's names, kept by choice (feature legacy-secret-names)", () => {
    let e: Evaluation;
    before(async () => {
        e = await evaluate({ stack: "dev", set: { features: [...allFeatures(), LEGACY_FEATURE] }, secrets });
        assert.ifError(e.error);
    });

    it("adds exactly the old names to the guide's, from the same backend keys", () => {
        const expected = [...expectedSecretRows(), ...LEGACY_ROWS].map((x) => row(x.row));
        assert.deepStrictEqual(sorted(producedSecretRows(e, "gcp-secret-manager").map(row)), sorted(expected));
    });

    it("keeps each old name only with its old features", () => {
        const targets = new Set<Target>(["kubernetes"]);
        for (const x of LEGACY_ROWS) {
            for (const f of x.features) {
                const features = new Set([...allFeatures(), LEGACY_FEATURE].filter((g) => g !== f) as Feature[]);
                const produced = projectedSecrets(activeSecrets(SECRET_CONTRACT, features, targets)).flatMap((s) =>
                    s.keys.map((k) => `${s.namespace}/${s.secretName}[${k.key}]`),
                );
                assert.ok(!produced.includes(slot(x.row)), `${slot(x.row)} without ${f}`);
            }
        }
    });
});

describe("the Cloud Run guide's env set (gcp-secret-manager backend)", () => {
    let all: Evaluation;
    let none: Evaluation;
    const envRow = (r: EnvRow): string => `${r.env} <- ${r.backendKey}`;
    const produced = (e: Evaluation): string[] =>
        unwrap(findResource(e, SERVICE, "litellm").inputs.template)
            .containers[0].envs.filter((v: any) => v.valueSource !== undefined)
            .map((v: any) => {
                const id = String(v.valueSource.secretKeyRef.secret).split("/").pop() as string;
                assert.ok(id.startsWith(BACKEND_NAMING["gcp-secret-manager"].prefix), id);
                return envRow({ env: v.name, backendKey: id.slice(BACKEND_NAMING["gcp-secret-manager"].prefix.length) });
            });
    const plain = (e: Evaluation): Record<string, string> =>
        Object.fromEntries(
            unwrap(findResource(e, SERVICE, "litellm").inputs.template)
                .containers[0].envs.filter((v: any) => v.valueSource === undefined)
                .map((v: any) => [v.name, v.value]),
        );
    const expected = (features: readonly string[]): string[] => {
        const on = (needs: readonly string[]) => needs.every((f) => features.includes(f));
        const guide = cloudRunSecretRows().map((r) => {
            const needs = CLOUD_RUN_FEATURES[r.env];
            if (needs === undefined) {
                throw new Error(`${r.env} is in the Cloud Run guide but not in CLOUD_RUN_FEATURES`);
            }
            return { row: r, needs };
        });
        return sorted([
            ...guide.filter((g) => on(g.needs)).map((g) => envRow(g.row)),
            ...CLOUD_RUN_ADDITIONS.filter((a) => on(a.features)).map((a) => envRow(a.row)),
        ]);
    };
    before(async () => {
        all = await evaluate({ stack: "dev", set: { features: allFeatures() }, secrets });
        assert.ifError(all.error);
        none = await evaluate({ stack: "dev", set: { features: [] } });
        assert.ifError(none.error);
    });

    it("binds exactly the guide's secret env vars and the listed additions, with every feature on", () => {
        assert.deepStrictEqual(sorted(produced(all)), expected(allFeatures()));
    });

    it("binds only the always-needed ones with no feature on", () => {
        assert.deepStrictEqual(sorted(produced(none)), expected([]));
    });

    it("sets the guide's plain env vars (TLS and log level aside, which follow stack config)", () => {
        const guide = cloudRunPlain();
        const got = plain(all);
        for (const name of Object.keys(guide)) {
            assert.ok(name in got, `${name} missing`);
        }
        assert.strictEqual(got.STORE_MODEL_IN_DB, guide.STORE_MODEL_IN_DB);
        assert.strictEqual(got.REDIS_PORT, guide.REDIS_PORT, "the dev stack's Redis has no TLS");
        assert.strictEqual(got.LANGFUSE_BASE_URL, guide.LANGFUSE_BASE_URL);
        assert.ok(!("LANGFUSE_BASE_URL" in plain(none)), "LANGFUSE_BASE_URL only with feature langfuse");
    });

    it("sets no plain env var beyond the guide's and the listed additions, on either stack", async () => {
        const prod = await evaluate({ stack: "prod", set: { features: allFeatures() }, secrets });
        assert.ifError(prod.error);
        const allowed = new Set([...Object.keys(cloudRunPlain()), ...Object.keys(CLOUD_RUN_PLAIN_ADDITIONS)]);
        for (const e of [all, prod]) {
            assert.deepStrictEqual(
                Object.keys(plain(e)).filter((n) => !allowed.has(n)),
                [],
            );
        }
        // prod runs Memorystore with TLS: both additions are there.
        assert.deepStrictEqual(
            Object.keys(CLOUD_RUN_PLAIN_ADDITIONS).filter((n) => !(n in plain(prod))),
            [],
        );
    });
});
