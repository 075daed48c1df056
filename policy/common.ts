/**
 * What every policy of the pack shares: the environment it judges, read from the pack's config,
 * and small helpers to report a violation with its fix.
 */
import type { PolicyConfigSchema, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

export type {
    Policies,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * The config property that tells a policy which environment it judges. Unset, a policy judges as
 * prod: a preview run without the pack's config file gets the strictest reading, never a lax one.
 */
export const ENVIRONMENT_SCHEMA: PolicyConfigSchema = {
    properties: {
        environment: {
            type: "string",
            enum: [...ENVIRONMENTS],
            default: "prod",
            description: "The environment of the previewed stack (policy/config/<stack>.json sets it).",
        },
    },
};

/** The environment a policy judges, from its config. */
export function environmentOf(args: ResourceValidationArgs | StackValidationArgs): Environment {
    const env = args.getConfig<{ environment?: string }>().environment;
    return env === "dev" ? "dev" : "prod";
}

/** Stops a prod-only policy outside prod (it reports "not applicable", not a pass or a violation). */
export function prodOnly(args: ResourceValidationArgs | StackValidationArgs): void {
    if (environmentOf(args) !== "prod") {
        args.notApplicable("applies to the prod environment only");
    }
}

/** `v` if it is a string, else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Public principals: anyone on the internet, or any Google account. */
export const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
