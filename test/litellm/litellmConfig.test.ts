/**
 * LiteLLM runs the platform's config on both targets (issue 16.5), and one pinned image (16.6).
 * Expectations come from LiteLLM's source and chart (cited per case) and from the stack files,
 * never from the generator under test.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { formatProblem, parseConfig } from "../../components/config";
import { Evaluation, PROJECT_DIR, byType, contractByType, evaluate, findResource, unwrap } from "../support/evaluate";
import { GCP_SECRET_VERSION as VERSION, GCP_RUN_SERVICE as SERVICE } from "../support/types";

const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The setting names LiteLLM reads, by section (BerriAI/litellm litellm/proxy/proxy_server.py,
 * ProxyConfig.load_config; litellm/router.py for model_list entries; docs/my-website/docs/proxy/configs.md). */
const LITELLM_SETTINGS: Readonly<Record<string, readonly string[]>> = {
    "": ["model_list", "litellm_settings", "general_settings"],
    model_list: ["model_name", "litellm_params"],
    litellm_params: ["model", "api_base", "api_key"],
    litellm_settings: ["cache", "success_callback"],
    general_settings: ["master_key", "store_model_in_db"],
};

function checkNames(config: any): void {
    const check = (section: string, obj: Record<string, unknown>) => {
        for (const k of Object.keys(obj)) {
            assert.ok(LITELLM_SETTINGS[section].includes(k), `${section || "top level"}: ${k} is not a LiteLLM setting`);
        }
    };
    check("", config);
    for (const m of config.model_list) {
        check("model_list", m);
        check("litellm_params", m.litellm_params);
    }
    check("litellm_settings", config.litellm_settings ?? {});
    check("general_settings", config.general_settings);
}

const envRefs = (config: unknown): string[] =>
    [...JSON.stringify(config).matchAll(/"os\.environ\/([A-Za-z_][A-Za-z0-9_]*)"/g)].map((m) => m[1]);

const stackFile = (stack: string): Record<string, any> => {
    const raw = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")).config;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^llm-platform-secrets:/, ""), v]));
};

for (const stack of ["dev", "prod"] as const) {
    describe(`LiteLLM's generated config (${stack} stack)`, () => {
        let e: Evaluation;
        let cloudRun: any;
        let chart: any;
        let values: any;
        const file = stackFile(stack);
        before(async () => {
            e = await evaluate({ stack });
            assert.ifError(e.error);
            cloudRun = YAML.parse(unwrap(findResource(e, VERSION, "litellm-config-version").inputs.secretData));
            values = unwrap(findResource(e, RELEASE, "litellm").inputs.values);
            chart = values.proxy_config;
        });

        it("uses only setting names LiteLLM reads, and replaces the chart's demo models", () => {
            checkNames(cloudRun);
            checkNames(chart);
            // The chart's default model_list forwards to a third-party host (values.yaml proxy_config).
            assert.ok(!JSON.stringify(chart).includes("railway.app") && !JSON.stringify(chart).includes("eXaMpLeOnLy"));
        });

        it("routes to vLLM with its key, and to the providers whose keys the stack has", () => {
            for (const [config, target] of [
                [cloudRun, "Cloud Run"],
                [chart, "chart"],
            ] as const) {
                // LiteLLM's vLLM provider: model hosted_vllm/<served model>, api_base the server's /v1 root.
                assert.deepStrictEqual(
                    config.model_list[0],
                    {
                        model_name: file.vllmModel,
                        litellm_params: {
                            model: `hosted_vllm/${file.vllmModel}`,
                            api_base: file.vllmApiBase,
                            api_key: "os.environ/VLLM_API_KEY",
                        },
                    },
                    target,
                );
                const providers = config.model_list
                    .slice(1)
                    .map((m: any) => [m.model_name, m.litellm_params.model, m.litellm_params.api_key]);
                // Hand-kept: prod turns on anthropic, dev no provider; wildcard routing per provider.
                assert.deepStrictEqual(
                    providers,
                    stack === "prod" ? [["anthropic/*", "anthropic/*", "os.environ/ANTHROPIC_API_KEY"]] : [],
                    target,
                );
            }
        });

        it("keeps the master key in its env var, models in the database, and turns the Redis cache on where Redis exists", () => {
            // Cloud Run's env var is the guide's LITELLM_MASTER_KEY; the chart sets PROXY_MASTER_KEY itself
            // (deploy/charts/litellm-helm/templates/deployment.yaml).
            assert.deepStrictEqual(cloudRun.general_settings, { master_key: "os.environ/LITELLM_MASTER_KEY", store_model_in_db: true });
            assert.deepStrictEqual(chart.general_settings, { master_key: "os.environ/PROXY_MASTER_KEY", store_model_in_db: true });
            // LiteLLM reads REDIS_* only with litellm_settings.cache: true (proxy_server.py); Memorystore
            // feeds Cloud Run; the chart gets no Redis here.
            assert.strictEqual(cloudRun.litellm_settings?.cache, true);
            assert.strictEqual(chart.litellm_settings?.cache, undefined);
        });

        it("refers only to env vars each target delivers, and holds no secret value", () => {
            const service = unwrap(findResource(e, SERVICE, "litellm").inputs);
            const runEnv = new Set(service.template.containers[0].envs.map((v: any) => v.name));
            for (const name of envRefs(cloudRun)) {
                assert.ok(runEnv.has(name), `Cloud Run config refers to ${name}, which the service does not set`);
            }
            const chartEnv = new Set(["PROXY_MASTER_KEY"]);
            const externalSecrets = byType(e, "kubernetes:external-secrets.io/v1:ExternalSecret").map((r) => unwrap(r.inputs));
            for (const name of values.environmentSecrets as string[]) {
                const es = externalSecrets.find((x) => x.metadata.namespace === "litellm" && x.spec.target.name === name);
                assert.ok(es, name);
                for (const d of es.spec.data ?? []) chartEnv.add(d.secretKey);
                for (const k of Object.keys(es.spec.target.template?.data ?? {})) chartEnv.add(k);
            }
            // Keys of the guide's litellm-secrets the release maps one by one (extraEnvVars).
            for (const v of (values.extraEnvVars ?? []) as any[]) {
                const ref = v.valueFrom.secretKeyRef;
                const es = externalSecrets.find((x) => x.metadata.namespace === "litellm" && x.spec.target.name === ref.name);
                assert.ok(
                    es?.spec.data.some((d: any) => d.secretKey === ref.key),
                    `${v.name}: ${ref.name}[${ref.key}] is not written`,
                );
                chartEnv.add(v.name);
            }
            for (const name of envRefs(chart)) {
                assert.ok(chartEnv.has(name), `chart config refers to ${name}, which no env Secret holds`);
            }
            const text = JSON.stringify([cloudRun, chart]);
            for (const v of contractByType(e, VERSION)) {
                const value = String(unwrap(v.inputs.secretData));
                if (value.length >= 12) {
                    assert.ok(!text.includes(value), `the config holds the value of ${v.name}`);
                }
            }
        });

        it("runs one pinned LiteLLM image on Cloud Run and in the chart (image.repository:image.tag)", () => {
            const service = unwrap(findResource(e, SERVICE, "litellm").inputs);
            const image = service.template.containers[0].image;
            assert.strictEqual(image, file.litellmImage);
            // The chart renders "<image.repository>:<image.tag>" (templates/deployment.yaml, migrations-job.yaml).
            assert.strictEqual(`${values.image.repository}:${values.image.tag}`, image);
            // A release tag as LiteLLM publishes them: v<semver>[-stable[.N]], optionally main-prefixed.
            assert.match(values.image.tag, /^(main-)?v\d+\.\d+\.\d+(-stable(\.\d+)?)?$/);
        });
    });
}

describe("LiteLLM's image and vLLM settings are validated (issues 16.5, 16.6)", () => {
    const base = {
        gcpProject: "llm-platform-dev",
        gcpRuntime: "true",
        litellmImage: "us-central1-docker.pkg.dev/p/ghcr/berriai/litellm-database:main-v1.74.3-stable",
    };
    const problemsOf = (values: Record<string, string>) => parseConfig(values, { stack: "dev" }).problems.map(formatProblem);

    it("refuses moving tags and accepts published release tags, with or without a digest", () => {
        for (const tag of ["main-stable", "main-latest", "latest", "lts", "v1.74"]) {
            const problems = problemsOf({ ...base, litellmImage: `us-central1-docker.pkg.dev/p/ghcr/berriai/litellm-database:${tag}` });
            assert.strictEqual(problems.length, 1, tag);
            assert.match(problems[0], /^litellmImage: .* is not valid: a LiteLLM image pinned to a release/, tag);
        }
        for (const tag of ["v1.74.3-stable", "main-v1.74.3-stable", "v1.80.11-stable.1", "v1.108.5", `v1.108.5@sha256:${"a".repeat(64)}`]) {
            assert.deepStrictEqual(
                problemsOf({ ...base, litellmImage: `us-central1-docker.pkg.dev/p/ghcr/berriai/litellm-database:${tag}` }),
                [],
                tag,
            );
        }
    });

    it("needs the vLLM server and model when vLLM is on and LiteLLM runs", () => {
        const problems = problemsOf({ ...base, features: '["vllm"]' });
        assert.deepStrictEqual(problems.map((p) => p.split(":")[0]).sort(), ["vllmApiBase", "vllmModel"]);
        assert.deepStrictEqual(
            problemsOf({ ...base, features: '["vllm"]', vllmApiBase: "http://10.0.0.9:8000/v1", vllmModel: "Qwen/Qwen2.5-7B-Instruct" }),
            [],
        );
        assert.deepStrictEqual(problemsOf({ gcpProject: "llm-platform-dev", features: '["vllm"]' }), [], "LiteLLM runs nowhere here");
    });
});
