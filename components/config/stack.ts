/**
 * The stack basics: what the stack is (its environment, production or not), where its secrets live
 * (backend, GCP project and region, secret ids) and which parts of the platform are on where.
 * Every other area of config reads against these.
 */
import { FEATURES, Feature, TARGETS, Target } from "../contract/types";
import { BACKEND_KINDS, BackendKind } from "../backends/kinds";
import { GCP_PROJECT_ID, GCP_REGION, SHORT_NAME } from "./patterns";
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys. */
export const STACK_AREA = "Stack basics";

export interface StackBasics {
    /** Environment name: labels, default prefixes. */
    readonly environment: string;
    readonly backend: BackendKind;
    readonly gcp: { readonly project: string; readonly region: string };
    /** Secret Manager ids are `<secretPrefix>-<key>`, or the bare key when it is empty. */
    readonly secretPrefix: string;
    readonly features: ReadonlySet<Feature>;
    readonly targets: ReadonlySet<Target>;
    /** Keep data on delete: protected secrets, disabled (not destroyed) old versions. */
    readonly dataProtection: boolean;
}

export interface StackContext {
    readonly stack: string;
    /** A production stack (by name). */
    readonly production: boolean;
    /** `gcp:project`, used when `gcpProject` is not set. */
    readonly gcpProjectFallback?: string;
}

/** Reads the stack basics and checks them against each other. */
export function readStackBasics(reader: ConfigReader, ctx: StackContext): StackBasics {
    const r = reader.inArea(STACK_AREA);
    // A label value (and part of resource names) must start and end with a letter or digit.
    const stackDefault = SHORT_NAME.test(ctx.stack) ? ctx.stack : "dev";
    const environment = r.string("environment", stackDefault, {
        pattern: SHORT_NAME,
        rule: "lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, at most 20 characters (it becomes a label value)",
        example: stackDefault,
    });
    const backend = r.choice<BackendKind>("backend", "gcp-secret-manager", BACKEND_KINDS);
    const gcpProjectDefault = ctx.gcpProjectFallback ?? "";
    const gcpProject = r.string("gcpProject", gcpProjectDefault, GCP_PROJECT_ID);
    // The gcp:project fallback is the provider's key, so no reader call checks it.
    if (!r.isSet("gcpProject") && gcpProjectDefault !== "" && !GCP_PROJECT_ID.pattern.test(gcpProjectDefault)) {
        r.problem(
            "gcpProject",
            `"${gcpProjectDefault}" (taken from gcp:project) is not valid: ${GCP_PROJECT_ID.rule}`,
            `pulumi config set gcpProject ${GCP_PROJECT_ID.example} (or correct gcp:project)`,
        );
    }
    const gcpRegion = r.string("gcpRegion", "us-central1", {
        pattern: GCP_REGION,
        rule: "a GCP region such as us-central1 or europe-west4",
        example: "europe-west4",
    });
    // Empty: the bare keys are the ids, as the Cloud Run guide creates them (docs/adoption.md).
    const secretPrefix = r.string("secretPrefix", `llm-${environment}`, {
        pattern: /^[A-Za-z0-9_-]{0,100}$/,
        rule: "Secret Manager ids allow only letters, digits, - and _ (at most 100 here, to leave room for the key)",
        example: `llm-${environment}`,
    });
    const features = r.stringList<Feature>("features", [], { choices: FEATURES, example: '["vllm","dex"]' });
    const targets = r.stringList<Target>("targets", ["cloudRun"], { choices: TARGETS, example: '["cloudRun","kubernetes"]' });
    const dataProtection = r.boolean("dataProtection", true);

    if (backend === "gcp-secret-manager" && gcpProject === "" && !r.isSet("gcpProject")) {
        r.problem(
            "gcpProject",
            'is required with backend "gcp-secret-manager"',
            "pulumi config set gcpProject <your-project-id> (or set gcp:project)",
        );
    }
    if (targets.includes("cloudRun") && backend !== "gcp-secret-manager") {
        r.problem(
            "targets",
            `Cloud Run reads secrets only from Secret Manager, but backend is "${backend}"`,
            "remove cloudRun from targets, or pulumi config set backend gcp-secret-manager",
        );
    }
    if (ctx.production && !dataProtection) {
        r.problem(
            "dataProtection",
            `stack "${ctx.stack}" is production and must keep its data: protection cannot be turned off`,
            "pulumi config rm dataProtection",
        );
    }
    return Object.freeze({
        environment,
        backend,
        gcp: Object.freeze({ project: gcpProject, region: gcpRegion }),
        secretPrefix,
        features: new Set(features),
        targets: new Set(targets),
        dataProtection,
    });
}
