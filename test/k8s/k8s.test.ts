import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { SECRET_CONTRACT } from "../../components/contract";
import { parseEndpointUrl } from "../../components/config";
import {
    Evaluation,
    RecordedResource,
    byType,
    evaluate,
    findResource,
    isSecretEnvelope,
    promiseOf,
    unwrap,
    urnName,
} from "../support/evaluate";
import {
    crdValidator,
    esoChart,
    litellmDefaults,
    llmtraceDefaults,
    pathInDefaults,
    pathInSchema,
    valuePaths,
} from "../support/k8sFixtures";
import { GUIDE_ROW_FEATURES, LLMTRACE_FEATURES, SECRET_ADDITIONS, guideSecretRows, llmtraceRows, slot } from "../contract/seedExpectations";
import { AGENT_SECRETS } from "../support/agents";
import { K8S_NAMESPACE as NAMESPACE, GCP_SECRET_VERSION as VERSION, K8S_PROVIDER } from "../support/types";

const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const RELEASE = "kubernetes:helm.sh/v3:Release";

const externalSecretCrd = crdValidator("external-secrets.io_externalsecrets.yaml", "v1");
const storeCrd = crdValidator("external-secrets.io_secretstores.yaml", "v1");
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * What the guides say each Kubernetes Secret holds in this stack: key → backend key, by
 * `namespace/name`, from the hand-kept expectations (the seed-contract fixtures and the listed
 * additions), for the stack's features.
 */
function expectedSecrets(e: Evaluation): Map<string, Map<string, string>> {
    const features = e.platform!.config.features as ReadonlySet<string>;
    const rows = [
        ...guideSecretRows().map((row) => ({ row, needs: GUIDE_ROW_FEATURES[slot(row)] })),
        ...SECRET_ADDITIONS.map((a) => ({ row: a.row, needs: a.features })),
        ...llmtraceRows().map((row) => ({ row, needs: LLMTRACE_FEATURES as readonly string[] })),
    ];
    const expected = new Map<string, Map<string, string>>();
    for (const { row, needs } of rows) {
        if (needs.every((f) => features.has(f))) {
            const id = `${row.namespace}/${row.secret}`;
            expected.set(id, (expected.get(id) ?? new Map()).set(row.key, row.backendKey));
        }
    }
    // The cluster agent's agent-secrets (its rows come from config, not the table).
    for (const [id, keys] of Object.entries(AGENT_SECRETS[e.stack])) {
        expected.set(id, new Map(Object.entries(keys)));
    }
    return expected;
}

/** The data ESO writes: `{{ index . "x" }}` is the only template action this program emits. */
function renderSecret(es: RecordedResource, valueOf: (remoteKey: string) => string): Record<string, string> {
    const fetched = new Map<string, string>(es.inputs.spec.data.map((d: any) => [d.secretKey, valueOf(d.remoteRef.key)]));
    const template = es.inputs.spec.target.template;
    if (template?.data === undefined) {
        // A template with metadata only: ESO writes the fetched keys as they are.
        return Object.fromEntries(fetched);
    }
    assert.strictEqual(template.mergePolicy, "Replace", "a template must replace, or the variables land in the Secret too");
    return Object.fromEntries(
        Object.entries<string>(template.data).map(([k, t]) => {
            const rendered = t.replace(/\{\{ index \. "([^"]+)" \}\}/g, (_, v: string) => {
                assert.ok(fetched.has(v), `${es.name} ${k} uses ${v}, which it does not fetch`);
                return fetched.get(v) as string;
            });
            assert.ok(!rendered.includes("{{"), `${es.name} ${k}: unexpected template action in ${t}`);
            return [k, rendered];
        }),
    );
}

for (const stack of ["dev", "prod"]) {
    describe(`kubernetes (${stack} stack)`, () => {
        let e: Evaluation;
        let valueByRemoteKey: Map<string, string>;
        let versionByRemoteKey: Map<string, string>;
        before(async () => {
            e = await evaluate({ stack });
            assert.ifError(e.error);
            valueByRemoteKey = new Map();
            versionByRemoteKey = new Map();
            const prefix = e.platform!.config.secretPrefix;
            for (const v of byType(e, VERSION)) {
                const key = `${prefix}-${v.name.replace(/-version$/, "")}`;
                valueByRemoteKey.set(key, unwrap(v.inputs.secretData));
            }
            for (const [key, s] of Object.entries(e.platform!.stored)) {
                versionByRemoteKey.set(`${prefix}-${key}`, await promiseOf(s.version));
            }
        });

        it("renders ExternalSecrets and SecretStores that validate against the v1 CRD schemas", () => {
            const rendered = [...byType(e, EXTERNAL_SECRET), ...byType(e, STORE)];
            assert.ok(rendered.length > 2);
            for (const r of rendered) {
                const crd = r.type === STORE ? storeCrd : externalSecretCrd;
                assert.strictEqual(r.inputs.apiVersion, crd.apiVersion);
                assert.strictEqual(r.inputs.kind, crd.kind);
                const ok = crd.validate(unwrap(r.inputs));
                assert.ok(ok, `${r.name}: ${JSON.stringify(crd.validate.errors)}`);
                assert.match(r.inputs.metadata.name, DNS_SUBDOMAIN);
                assert.strictEqual(r.inputs.metadata.namespace === undefined, crd.scope === "Cluster", `${r.name} scope`);
            }
        });

        it("keeps secrets out of the custom resources: references, versions and templates only", () => {
            const secretValues = [...valueByRemoteKey.values()].filter((v) => v.length >= 12);
            for (const r of [...byType(e, EXTERNAL_SECRET), ...byType(e, STORE)]) {
                const json = JSON.stringify(r.inputs);
                assert.ok(!json.includes("4dabf18193072939515e22adb298388d"), `${r.name} holds a Pulumi secret`);
                for (const v of secretValues) {
                    assert.ok(!json.includes(v), `${r.name} holds a stored value`);
                }
            }
        });

        it("has one SecretStore, secret-store, in each namespace with a contract Secret, with that namespace's provider block", async () => {
            const stores = byType(e, STORE);
            const namespaces = [...new Set([...expectedSecrets(e).keys()].map((id) => id.split("/")[0]))].sort();
            assert.deepStrictEqual(
                stores.map((s) => `${s.inputs.metadata.namespace}/${s.inputs.metadata.name}`).sort(),
                namespaces.map((ns) => `${ns}/secret-store`),
            );
            for (const store of stores) {
                const provider = await promiseOf(pulumi.output(e.platform!.stores[store.inputs.metadata.namespace].storeProvider));
                assert.deepStrictEqual(store.inputs.spec, { provider }, store.name);
            }
            assert.deepStrictEqual(
                e.resources.filter((r) => r.type.endsWith(":ClusterSecretStore")).map((r) => r.name),
                [],
            );
            assert.ok(!namespaces.includes(e.platform!.config.kubernetes.externalSecrets.namespace));
        });

        it("projects one ExternalSecret per contract Secret, each with exactly its keys, pinned versions and store", () => {
            const expected = expectedSecrets(e);
            const rendered = byType(e, EXTERNAL_SECRET);
            assert.deepStrictEqual(rendered.map((r) => r.name).sort(), [...expected.keys()].sort());
            for (const r of rendered) {
                const { spec, metadata } = r.inputs;
                assert.strictEqual(`${metadata.namespace}/${metadata.name}`, r.name);
                assert.strictEqual(spec.target.name, metadata.name);
                assert.strictEqual(spec.refreshInterval, e.platform!.config.kubernetes.refreshInterval);
                // Argo CD's own Secret is merged into (the platform guide); every other is ESO's.
                assert.strictEqual(spec.target.creationPolicy, r.name === "argocd/argocd-secret" ? "Merge" : "Owner", r.name);
                assert.strictEqual(spec.target.deletionPolicy, "Retain");
                // The store of the Secret's own namespace (a namespaced store serves no other).
                assert.deepStrictEqual(spec.secretStoreRef, { kind: "SecretStore", name: "secret-store" });
                const keys = expected.get(r.name)!;
                const secretKeys = spec.target.template?.data
                    ? Object.keys(spec.target.template.data)
                    : spec.data.map((d: any) => d.secretKey);
                assert.deepStrictEqual([...secretKeys].sort(), [...keys.keys()].sort(), r.name);
                // Exactly the backend entries the contract names, each at the version this run wrote.
                const remote = [...new Set([...keys.values()].map((k) => `${e.platform!.config.secretPrefix}-${k}`))].sort();
                assert.deepStrictEqual(spec.data.map((d: any) => d.remoteRef.key).sort(), remote, r.name);
                for (const d of spec.data) {
                    assert.strictEqual(d.remoteRef.version, versionByRemoteKey.get(d.remoteRef.key), `${r.name} ${d.remoteRef.key}`);
                }
            }
        });

        it("gives each Secret key the value the contract names, URLs carrying the password from the backend", () => {
            const expected = expectedSecrets(e);
            const prefix = e.platform!.config.secretPrefix;
            for (const r of byType(e, EXTERNAL_SECRET)) {
                const data = renderSecret(r, (k) => valueByRemoteKey.get(k) as string);
                for (const [key, specKey] of expected.get(r.name)!) {
                    const value = valueByRemoteKey.get(`${prefix}-${specKey}`) as string;
                    const consumer = SECRET_CONTRACT.find((s) => s.key === specKey)?.consumers.find(
                        (c) => c.kind === "kubernetesSecret" && `${c.namespace}/${c.secretName}` === r.name && c.key === key,
                    );
                    const format = consumer?.kind === "kubernetesSecret" ? consumer.format : undefined;
                    if (format === undefined) {
                        assert.strictEqual(data[key], value, `${r.name} ${key}`);
                        continue;
                    }
                    const configured = e.config[`llm-platform-secrets:${format.urlConfigKey}`];
                    const url = new URL(data[key]);
                    assert.strictEqual(decodeURIComponent(url.password), value, `${r.name} ${key} password`);
                    const base = parseEndpointUrl(configured);
                    assert.ok(!("error" in base));
                    url.password = "";
                    assert.strictEqual(url.toString().replace(/^(\w+:\/\/):@/, "$1"), new URL(configured).toString(), `${r.name} ${key}`);
                }
            }
        });

        it("sets up LLMTrace's Secret with the four URLs it needs, Redis behind a password", () => {
            const llmtrace = findResource(e, EXTERNAL_SECRET, "llmtrace/llmtrace-secrets");
            const data = renderSecret(llmtrace, (k) => valueByRemoteKey.get(k) as string);
            assert.deepStrictEqual(Object.keys(data).sort(), [
                "LLMTRACE_CLICKHOUSE_DATABASE",
                "LLMTRACE_CLICKHOUSE_URL",
                "LLMTRACE_POSTGRES_URL",
                "LLMTRACE_REDIS_URL",
            ]);
            for (const k of ["LLMTRACE_CLICKHOUSE_URL", "LLMTRACE_POSTGRES_URL", "LLMTRACE_REDIS_URL"]) {
                const password = new URL(data[k]).password;
                assert.ok(password.length >= 32, `${k} has no real password`);
                assert.ok(!["llmtrace", "NoTaGrEaTpAsSwOrD"].includes(password), k);
            }
            assert.strictEqual(data.LLMTRACE_CLICKHOUSE_DATABASE, "llmtrace");
        });

        it("installs External Secrets Operator from its pinned chart, values valid against the chart schema", () => {
            const chart = esoChart();
            const eso = findResource(e, RELEASE, "external-secrets");
            assert.strictEqual(eso.inputs.chart, "external-secrets");
            assert.deepStrictEqual(eso.inputs.repositoryOpts, { repo: "https://charts.external-secrets.io" });
            assert.strictEqual(eso.inputs.version, chart.version);
            assert.strictEqual(eso.inputs.namespace, "external-secrets");
            const values: any = unwrap(eso.inputs.values);
            assert.ok(chart.validate({ ...values }), JSON.stringify(chart.validate.errors));
            for (const p of valuePaths(values)) {
                assert.ok(pathInSchema(chart.schema, p), `external-secrets: ${p.join(".")} is not in values.schema.json`);
            }
            assert.strictEqual(values.installCRDs, true);
            // The operator itself holds no backend identity (each namespace's store has its own),
            // and ignores ClusterSecretStores, which could serve any namespace.
            assert.deepStrictEqual(values.serviceAccount, { create: true, name: "external-secrets" });
            assert.strictEqual(values.processClusterStore, false);
        });

        it("sets only values paths that exist in each chart's defaults", () => {
            const litellm = litellmDefaults();
            const llmtrace = llmtraceDefaults();
            for (const [name, inDefaults] of [
                // proxy_config is LiteLLM's own config.yaml (checked against LiteLLM's setting names in
                // test/litellm/litellmConfig.test.ts), not chart values: only its root is the chart's.
                ["litellm", (p: string[]) => pathInDefaults(litellm, p[0] === "proxy_config" ? p.slice(0, 1) : p)],
                ["llmtrace", (p: string[]) => llmtrace.some((d) => pathInDefaults(d, p))],
            ] as const) {
                const paths = valuePaths(unwrap(findResource(e, RELEASE, name).inputs.values));
                assert.ok(paths.length > 3);
                for (const p of paths) {
                    assert.ok(inDefaults(p), `${name}: ${p.join(".")} is not in the chart defaults`);
                }
            }
        });

        it("puts no secret in any Helm values: no secret envelope, no stored value, no chart-default password in use", () => {
            const settings = new Set(e.platform!.active.filter((a) => a.spec.source.kind === "setting").map((a) => a.spec.key));
            const secretValues = [...valueByRemoteKey].filter(([k]) => ![...settings].some((s) => k.endsWith(`-${s}`))).map(([, v]) => v);
            for (const r of byType(e, RELEASE)) {
                const json = JSON.stringify(r.inputs);
                assert.ok(!json.includes("4dabf18193072939515e22adb298388d"), `${r.name} values hold a Pulumi secret`);
                assert.ok(!isSecretEnvelope(r.inputs.values));
                for (const v of secretValues) {
                    assert.ok(!json.includes(v), `${r.name} values hold a secret value`);
                }
                assert.ok(!json.includes("NoTaGrEaTpAsSwOrD"), r.name);
                // Names of keys (passwordKey) are fine; a password value path is not.
                const passwordPaths = valuePaths(unwrap(r.inputs.values)).filter((p) => /password$/i.test(p[p.length - 1]));
                assert.deepStrictEqual(passwordPaths, [], r.name);
            }
            const litellm = unwrap(findResource(e, RELEASE, "litellm").inputs.values);
            // The chart's bundled PostgreSQL (default password NoTaGrEaTpAsSwOrD) and Redis stay off.
            assert.strictEqual(litellm.db.deployStandalone, false);
            assert.strictEqual(litellm.db.useExisting, true);
            assert.strictEqual(litellm.redis.enabled, false);
            assert.strictEqual(litellm.postgresql, undefined);
            const llmtrace = unwrap(findResource(e, RELEASE, "llmtrace").inputs.values);
            // The chart's own Secret (default postgres://llmtrace:llmtrace@…) and sub-charts stay off.
            assert.deepStrictEqual(llmtrace.secrets, { create: false, existingSecret: "llmtrace-secrets" });
            for (const sub of ["clickhouse", "postgresql", "redis"]) {
                assert.deepStrictEqual(llmtrace[sub], { enabled: false }, sub);
            }
        });

        it("wires LiteLLM to the contract's Secrets: master key, database, env Secrets with env-var keys only", async () => {
            const r = findResource(e, RELEASE, "litellm");
            assert.strictEqual(r.inputs.chart, "oci://ghcr.io/berriai/litellm-helm");
            assert.strictEqual(r.inputs.version, e.platform!.config.kubernetes.litellm.chartVersion);
            const values = unwrap(r.inputs.values);
            const secrets = expectedSecrets(e);
            assert.strictEqual(secrets.get(`litellm/${values.masterkeySecretName}`)?.get(values.masterkeySecretKey), "litellm-master-key");
            const db = secrets.get(`litellm/${values.db.secret.name}`);
            assert.strictEqual(db?.get(values.db.secret.usernameKey), "litellm-db-username");
            assert.strictEqual(db?.get(values.db.secret.passwordKey), "litellm-db-password");
            // The configured host, or else the private address of the program's own Cloud SQL.
            const ownDatabase = e.platform!.runtime?.data.postgres.privateAddress;
            const configured = e.config["llm-platform-secrets:litellmDbEndpoint"];
            const expectedHost = configured ? configured : ownDatabase && (await promiseOf(ownDatabase));
            assert.ok(expectedHost, "LiteLLM has a database host");
            assert.strictEqual(values.db.endpoint, expectedHost);
            // Every LiteLLM Secret whose keys are all env var names is loaded as env, and no other.
            const envSecrets = [...secrets]
                .filter(([id, keys]) => id.startsWith("litellm/") && [...keys.keys()].every((k) => /^[A-Z_][A-Z0-9_]*$/.test(k)))
                .map(([id]) => id.split("/")[1])
                .sort();
            assert.deepStrictEqual([...values.environmentSecrets].sort(), envSecrets);
            const envKeys = envSecrets.flatMap((s) => [...secrets.get(`litellm/${s}`)!.keys()]);
            for (const k of ["UI_USERNAME", "UI_PASSWORD"]) {
                assert.ok(envKeys.includes(k), `LiteLLM gets no ${k}`);
            }
            // The guide's litellm-secrets keys, each as the env var LiteLLM reads (its docs:
            // LITELLM_SALT_KEY; GENERIC_CLIENT_SECRET for SSO; VLLM_API_KEY as on Cloud Run).
            const fromSecrets = Object.fromEntries(
                values.extraEnvVars.map((v: any) => [v.name, `${v.valueFrom.secretKeyRef.name}[${v.valueFrom.secretKeyRef.key}]`]),
            );
            assert.deepStrictEqual(fromSecrets, {
                LITELLM_SALT_KEY: "litellm-secrets[salt]",
                VLLM_API_KEY: "litellm-secrets[vllm]",
                GENERIC_CLIENT_SECRET: "litellm-secrets[genericClientSecret]",
            });
            assert.ok(!envKeys.includes("LITELLM_MASTER_KEY"), "the chart passes the master key as PROXY_MASTER_KEY itself");
        });

        it("sends every Kubernetes object to the configured cluster through one explicit provider", () => {
            const providers = byType(e, K8S_PROVIDER);
            assert.strictEqual(providers.length, 1);
            assert.strictEqual(providers[0].inputs.context, e.config["llm-platform-secrets:kubeContext"]);
            // No default namespace (a cluster-scoped store must get none), adoption of existing objects on.
            assert.strictEqual(providers[0].inputs.namespace, undefined);
            assert.strictEqual(providers[0].inputs.upsertExistingObjects, "true");
            const k8sObjects = e.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            assert.ok(k8sObjects.length > 10);
            for (const r of k8sObjects) {
                assert.ok(r.provider?.startsWith(`${providers[0].urn}::`), `${r.type} ${r.name} uses ${r.provider}`);
            }
        });

        it("creates (or adopts) every namespace it uses and keeps them on delete", () => {
            const namespaces = byType(e, NAMESPACE);
            const used = new Set(
                [...byType(e, EXTERNAL_SECRET), ...byType(e, RELEASE)].map((r) => r.inputs.metadata?.namespace ?? r.inputs.namespace),
            );
            assert.deepStrictEqual(namespaces.map((n) => n.inputs.metadata.name).sort(), [...used].sort());
            for (const n of namespaces) {
                assert.strictEqual(n.retainOnDelete, true, n.name);
            }
            for (const r of byType(e, EXTERNAL_SECRET)) {
                assert.ok(r.dependencies.includes(findResource(e, NAMESPACE, r.inputs.metadata.namespace).urn), r.name);
            }
        });

        it("orders custom resources after the release that installs their CRDs (a fresh cluster previews)", async () => {
            // Only plain CustomResources: helm.sh/v4 Chart and yaml/v2 children need the CRD at preview.
            assert.deepStrictEqual(
                e.resources.filter((r) => /helm\.sh\/v4|kubernetes:yaml/.test(r.type)).map((r) => r.type),
                [],
            );
            const operator = findResource(e, RELEASE, "external-secrets");
            assert.strictEqual(urnName(operator.parent), "external-secrets");
            for (const store of byType(e, STORE)) {
                assert.ok(store.dependencies.includes(operator.urn), `${store.name} waits for the operator's release`);
            }
            for (const r of byType(e, EXTERNAL_SECRET)) {
                const store = findResource(e, STORE, `${r.inputs.metadata.namespace}/secret-store`);
                assert.ok(r.dependencies.includes(store.urn), `${r.name} waits for its namespace's store`);
                assert.deepStrictEqual(r.inputs.metadata.annotations, { "pulumi.com/waitFor": "condition=Ready" });
            }
            // Each release waits for the Secrets its workload reads.
            for (const workload of ["litellm", "llmtrace"]) {
                const release = findResource(e, RELEASE, workload);
                assert.strictEqual(urnName(release.parent), workload);
                // litellm-grafana-ro is for whatever sets Grafana's user on the database, not LiteLLM.
                const reads = [...expectedSecrets(e).keys()].filter(
                    (id) => id.startsWith(`${workload}/`) && id !== "litellm/litellm-grafana-ro",
                );
                assert.ok(reads.length > 0);
                for (const id of reads) {
                    assert.ok(release.dependencies.includes(findResource(e, EXTERNAL_SECRET, id).urn), `${workload} waits for ${id}`);
                }
            }
            const preview = await evaluate({ stack, preview: true });
            assert.ifError(preview.error);
            assert.deepStrictEqual(
                byType(preview, EXTERNAL_SECRET)
                    .map((r) => r.name)
                    .sort(),
                byType(e, EXTERNAL_SECRET)
                    .map((r) => r.name)
                    .sort(),
            );
        });
    });
}
