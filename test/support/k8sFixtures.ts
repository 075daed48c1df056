/**
 * Upstream reference data for the Kubernetes tests: the External Secrets CRD schemas, the ESO
 * chart's values schema and the chart defaults of LiteLLM and LLMTrace (test/fixtures).
 */
import * as fs from "fs";
import * as path from "path";

import Ajv, { ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import * as YAML from "yaml";

import { FIXTURES } from "./fixtures";

export { FIXTURES };

const readYaml = (...parts: string[]): any => YAML.parse(fs.readFileSync(path.join(FIXTURES, ...parts), "utf8"));

/**
 * Closes every object schema that lists its properties, as the API server's pruning does: an
 * unknown field is silently dropped in a real cluster, so here it must be an error.
 */
function closeObjects(schema: any): any {
    if (Array.isArray(schema)) {
        return schema.map(closeObjects);
    }
    if (schema === null || typeof schema !== "object") {
        return schema;
    }
    const out: any = Object.fromEntries(
        Object.entries(schema).map(([k, v]) => [
            k,
            k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(v),
        ]),
    );
    if (out.properties !== undefined && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
        out.additionalProperties = false;
    }
    return out;
}

const newAjv = (draft2020 = false): Ajv => {
    const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // OpenAPI formats Kubernetes uses that JSON Schema does not define.
    for (const f of ["int32", "int64", "byte", "double", "float"]) {
        ajv.addFormat(f, true);
    }
    return ajv;
};

export interface CrdValidator {
    readonly apiVersion: string;
    readonly kind: string;
    readonly scope: string;
    readonly validate: ValidateFunction;
}

/** Validator of `kind` at the served version `version` of the CRD in `file`. */
export function crdValidator(file: string, version: string): CrdValidator {
    const crd = readYaml("external-secrets-crds", file);
    const v = crd.spec.versions.find((x: any) => x.name === version);
    if (v === undefined || v.served !== true) {
        throw new Error(`${file}: version ${version} is not served`);
    }
    return {
        apiVersion: `${crd.spec.group}/${version}`,
        kind: crd.spec.names.kind,
        scope: crd.spec.scope,
        validate: newAjv().compile(closeObjects(v.schema.openAPIV3Schema)),
    };
}

export const esoChart = (): { version: string; validate: ValidateFunction; schema: any } => {
    const schema = JSON.parse(fs.readFileSync(path.join(FIXTURES, "external-secrets-chart", "values.schema.json"), "utf8"));
    return {
        version: String(readYaml("external-secrets-chart", "Chart.yaml").version),
        validate: newAjv(String(schema.$schema).includes("2020-12")).compile(closeObjects(schema)),
        schema,
    };
};

export const litellmDefaults = (): any => readYaml("litellm-chart", "values-secret-keys.yaml");
export const llmtraceDefaults = (): any[] => [
    readYaml("llmtrace-chart", "values.yaml"),
    readYaml("llmtrace-chart", "values-production.yaml"),
];
export const llmtraceChartVersion = (): string => String(readYaml("llmtrace-chart", "Chart.yaml").version);

/** Leaf paths of a values object (`db.secret.name`); a map or list value is one leaf. */
export function valuePaths(values: unknown, prefix: string[] = []): string[][] {
    if (values !== null && typeof values === "object" && !Array.isArray(values) && Object.keys(values).length > 0) {
        return Object.entries(values).flatMap(([k, v]) => valuePaths(v, [...prefix, k]));
    }
    return [prefix];
}

/**
 * Whether a values path exists in chart defaults: every segment is a key there, or the path goes
 * below a key whose default is an empty map (free-form: `podAnnotations: {}`, `envVars: {}`).
 */
export function pathInDefaults(defaults: unknown, p: readonly string[]): boolean {
    let node: any = defaults;
    for (const segment of p) {
        if (node !== null && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length === 0) {
            return true;
        }
        if (node === null || typeof node !== "object" || Array.isArray(node) || !(segment in node)) {
            return false;
        }
        node = node[segment];
    }
    return true;
}

/** Same, against a JSON schema: a `type: object` with no `properties` is free-form. */
export function pathInSchema(schema: any, p: readonly string[]): boolean {
    let node = schema;
    for (const segment of p) {
        if (node?.type === "object" && node.properties === undefined) {
            return true;
        }
        node = node?.properties?.[segment];
        if (node === undefined) {
            return false;
        }
    }
    return true;
}
