import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import {
    CHART_DEFAULTS,
    CHART_DEFAULT_PASSWORDS,
    at as valueAt,
    chartName,
    isCredentialName,
    isReference,
    secretShape,
    stringLeaves,
} from "../../policy/policies";
import { FIXTURES } from "../support/fixtures";

const load = (file: string) => YAML.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
const at = (root: any, dotted: string) => dotted.split(".").reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), root);

describe("policy chart knowledge", () => {
    it("holds the charts' real defaults (the fixtures' values.yaml)", () => {
        const charts: Record<string, any> = {
            "litellm-helm": load("litellm-chart/values-secret-keys.yaml"),
            llmtrace: load("llmtrace-chart/values.yaml"),
        };
        for (const [chart, defaults] of Object.entries(CHART_DEFAULTS)) {
            for (const [key, value] of Object.entries(defaults.values)) {
                assert.deepStrictEqual(value, at(charts[chart], key), `${chart} ${key}`);
            }
            for (const sub of defaults.subCharts) {
                assert.notStrictEqual(at(charts[chart], sub.enabledPath), undefined, `${chart} ${sub.enabledPath}`);
            }
        }
        // Every default password the charts ship is on the list.
        assert.deepStrictEqual(
            [at(charts["litellm-helm"], "postgresql.auth.password"), at(charts.llmtrace, "postgresql.auth.password")],
            CHART_DEFAULT_PASSWORDS,
        );
    });

    it("names the chart behind an OCI reference, a path or a repository name", () => {
        assert.strictEqual(chartName("oci://ghcr.io/berriai/litellm-helm"), "litellm-helm");
        assert.strictEqual(chartName("./charts/llmtrace/"), "llmtrace");
        assert.strictEqual(chartName("llmtrace-0.3.1.tgz"), "llmtrace");
        assert.strictEqual(chartName("external-secrets"), "external-secrets");
    });
});

describe("policy detectors", () => {
    const credentialNames = [
        "password",
        "postgres-password",
        "clientSecret",
        "API_KEY",
        "LITELLM_MASTER_KEY",
        "masterkey",
        "HF_TOKEN",
        "rootPassword",
        "N8N_ENCRYPTION_KEY",
    ];
    const referenceNames = [
        "existingSecret",
        "secretName",
        "passwordKey",
        "masterkeySecretName",
        "usernameKey",
        "TOKEN_FILE",
        "imagePullSecrets",
        "REDIS_HOST",
        "UI_USERNAME",
    ];
    for (const name of credentialNames) {
        it(`reads ${name} as a credential's name`, () => assert.strictEqual(isCredentialName(name), true));
    }
    for (const name of referenceNames) {
        it(`reads ${name} as not a credential`, () => assert.strictEqual(isCredentialName(name), false));
    }

    it("tells references from values", () => {
        assert.ok(isReference("os.environ/PROXY_MASTER_KEY"));
        assert.ok(isReference("$(DATABASE_PASSWORD)"));
        assert.ok(!isReference("hunter2"));
    });

    it("does not take names, ids, emails, URLs, digests or versions for secrets", () => {
        const plain = [
            "projects/123456789012/secrets/llm-prod-ui-password",
            "serviceAccount:prod-external-secrets@llm-platform-prod.iam.gserviceaccount.com",
            "postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@$(DATABASE_HOST)/$(DATABASE_NAME)",
            "sha256:" + "0123456789abcdef".repeat(4),
            "ghcr.io/berriai/litellm-database:main-v1.74.3-stable",
            "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
            "External Secrets Operator: reads the secrets Kubernetes workloads consume",
            "llm-platform-prod.svc.id.goog[external-secrets/external-secrets]",
            "projects/llm-platform-prod/notificationChannels/13578024691357802469",
        ];
        assert.deepStrictEqual(
            plain.filter((s) => secretShape(s) !== undefined),
            [],
        );
    });

    it("tells a resource path from a base64 key with slashes", () => {
        assert.strictEqual(secretShape("projects/llm-platform-dev/serviceAccounts/dev-eso-oauth2-proxy"), undefined);
        assert.strictEqual(secretShape("q3Zx/9KfLw2Tn/Yb7Rm4Vc8Hd1Ps6Gj0"), "a random token (a generated password or key)");
    });

    it("finds a password inside a URL and a chart's connection string", () => {
        assert.strictEqual(secretShape("postgres://llmtrace:llmtrace@llmtrace-postgresql:5432/llmtrace"), "a password inside a URL");
        assert.strictEqual(secretShape("redis://:$(REDIS_PASSWORD)@cache:6379"), undefined);
    });

    it("skips values unknown during a preview instead of failing the policy", () => {
        // The policy SDK's proxy throws its UnknownValueError for an input not known until the update.
        class UnknownValueError extends Error {}
        const unknownAt = (target: Record<string, unknown>, unknown: string): Record<string, unknown> =>
            new Proxy(target, {
                get: (t, k) => {
                    if (k === unknown) {
                        throw new UnknownValueError(`string value at .${unknown} can't be known during preview`);
                    }
                    return t[k as string];
                },
            });
        const props = unknownAt({ labels: { component: "litellm" }, secretId: "x", project: "p" }, "secretId");
        assert.deepStrictEqual(
            stringLeaves(props).map((l) => l.path),
            ["labels.component", "project"],
        );
        assert.strictEqual(valueAt(props, "secretId"), undefined);
        // Any other error is a bug and still surfaces.
        const broken = new Proxy(
            { a: 1 },
            {
                get: () => {
                    throw new TypeError("boom");
                },
            },
        );
        assert.throws(() => stringLeaves(broken), /boom/);
    });
});
