/** Shared by the backend tests: prod-like config per backend, the CRD schema, small helpers. */
import * as fs from "fs";
import * as path from "path";

import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";

import { Evaluation, changedResources, inputsByUrn, isSecretEnvelope, promiseOf } from "../support/evaluate";
import { FIXTURES } from "../support/fixtures";

export { FIXTURES };

export const OIDC_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B7";
export const KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const ROTATION_LAMBDA = "arn:aws:lambda:eu-west-1:123456789012:function:rotate-anthropic";

/** Cloud Run (and the GCP runtime behind it) reads Secret Manager only: other backends serve Kubernetes. */
// Without the program's Cloud SQL, LiteLLM on the cluster needs its database host from config.
// The committed stacks' agents run on Cloud Run or keep state in the GCP runtime: they go too
// (test/agents/agents.test.ts evaluates a cluster agent on each other backend). The alerts watch Secret
// Manager, so they are off.
export const KUBERNETES_ONLY = {
    targets: ["kubernetes"],
    gcpRuntime: false,
    litellmDbEndpoint: "10.20.0.3",
    agents: [],
    alertEmail: "",
} as const;

/** What each backend needs on top of a stack file. */
export const BACKEND_CONFIG = {
    aws: {
        backend: "aws-secrets-manager",
        ...KUBERNETES_ONLY,
        awsRegion: "eu-west-1",
        awsOidcProviderArn: OIDC_PROVIDER,
    },
    vault: { backend: "vault", ...KUBERNETES_ONLY, vaultAddress: "https://vault.example.com:8200" },
    kubernetes: { backend: "kubernetes", ...KUBERNETES_ONLY },
} as const;

/** Resolves an Input holding nested Outputs, as the engine would before sending it. */
export const resolved = <T>(input: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> => promiseOf(pulumi.output(input));

let validator: ((spec: unknown) => string[]) | undefined;

/** What every store service account is called: the platform guide's `eso-reader` (seeds/004). */
export const STORE_READER_NAME = "eso-reader";

/**
 * The backend keys a namespace's Secrets need, from the platform guide's table
 * (`../shared/seeds/004_*.txt`, "Secret contract": monitoring's grafana-oidc and
 * grafana-datasource-litellm rows). Hand-kept: the store of `monitoring` must read these and no other.
 */
export const MONITORING_KEYS = ["dex-grafana-client-secret", "litellm-grafana-ro-password"];

/** From the rendered ExternalSecrets: per namespace, the backend entries (`remoteRef.key`) its Secrets fetch, sorted. */
export function fetchedByNamespace(e: Evaluation): Map<string, string[]> {
    const byNs = new Map<string, Set<string>>();
    for (const r of e.resources.filter((x) => x.type === "kubernetes:external-secrets.io/v1:ExternalSecret")) {
        const ns: string = r.inputs.metadata.namespace;
        const keys = byNs.get(ns) ?? new Set<string>();
        for (const d of r.inputs.spec.data) {
            keys.add(d.remoteRef.key);
        }
        byNs.set(ns, keys);
    }
    return new Map([...byNs].sort(([a], [b]) => a.localeCompare(b)).map(([ns, keys]) => [ns, [...keys].sort()]));
}

/** Validates a namespaced SecretStore `spec` against the v1 schema of the CRD in the fixtures. */
export function storeSpecValidator(): (spec: unknown) => string[] {
    validator ??= compileStoreSpecValidator();
    return validator;
}

function compileStoreSpecValidator(): (spec: unknown) => string[] {
    const file = path.join(FIXTURES, "external-secrets-crds", "external-secrets.io_secretstores.yaml");
    const crd = YAML.parse(fs.readFileSync(file, "utf8"));
    const v1 = crd.spec.versions.find((v: { name: string }) => v.name === "v1");
    // The CRD carries Kubernetes extensions (x-kubernetes-*) that are not JSON Schema keywords.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(v1.schema.openAPIV3Schema.properties.spec);
    return (spec) => (validate(spec) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** Resources of `b` whose inputs differ from `a`'s (or that `a` lacks), as `type name`. */
export function changed(a: Evaluation, b: Evaluation): string[] {
    return changedResources(a, b).map((r) => `${r.type} ${r.name}`);
}

/**
 * What rolls on the cluster when `vllm-api-key` rotates: the ExternalSecrets that pin its version
 * (where the backend has versions) and the LiteLLM release that reads it.
 */
export const VLLM_KEY_PINNED_READERS = [
    "kubernetes:external-secrets.io/v1:ExternalSecret litellm/litellm-secrets",
    "kubernetes:external-secrets.io/v1:ExternalSecret serving/vllm-api-key",
    "kubernetes:helm.sh/v3:Release litellm",
];

/** Every resource's inputs by URN, for comparing two evaluations. */
export const snapshot = (e: Evaluation): Record<string, string> => Object.fromEntries(inputsByUrn(e));

/** Fields made to hold a secret value (plan-check's rule); anywhere else a value is misplaced. */
const VALUE_SINKS: Record<string, readonly string[]> = {
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString"],
    "vault:kv/secretV2:SecretV2": ["dataJson"],
    "kubernetes:core/v1:Secret": ["data", "stringData"],
    "gcp:secretmanager/secretVersion:SecretVersion": ["secretData"],
};

/**
 * Every place a secret value of the stack appears in a resource input or stack output outside a
 * secret envelope in a field made for it, as `plaintext|misplaced type name .path`.
 */
export async function valueLeaks(e: Evaluation): Promise<string[]> {
    const p = e.platform!;
    // Settings (user names) are not secret; short values would match by accident.
    const secrets = p.active.filter((a) => a.spec.source.kind !== "setting").map((a) => a.spec.key);
    const values = (await Promise.all(secrets.map((k) => promiseOf(p.values[k])))).filter((v) => v.length >= 12);
    const found: string[] = [];
    const walk = (v: unknown, at: string[], inSecret: boolean, where: string, sinks: readonly string[]): void => {
        if (isSecretEnvelope(v)) {
            walk(v.value, at, true, where, sinks);
        } else if (Array.isArray(v)) {
            v.forEach((x, i) => walk(x, [...at, String(i)], inSecret, where, sinks));
        } else if (typeof v === "object" && v !== null) {
            Object.entries(v).forEach(([k, x]) => walk(x, [...at, k], inSecret, where, sinks));
        } else if (typeof v === "string" && values.some((value) => v.includes(value))) {
            if (!inSecret) {
                found.push(`plaintext ${where} .${at.join(".")}`);
            } else if (!sinks.includes(at[0])) {
                found.push(`misplaced ${where} .${at.join(".")}`);
            }
        }
    };
    for (const r of e.resources) {
        walk(r.inputs, [], false, `${r.type} ${r.name}`, VALUE_SINKS[r.type] ?? []);
    }
    for (const [name, o] of Object.entries(e.outputs)) {
        if (!o.secret) {
            walk(o.value, [], false, `output ${name}`, []);
        }
    }
    return found;
}
