/**
 * Runs the pack's policies on resources from the program's own evaluation, offline: each recorded
 * resource becomes the argument bag a policy receives, with secret envelopes unwrapped as Pulumi's
 * policy SDK unwraps them (a policy sees plain values, never secretness).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "../../policy/policies";
import { Evaluation, PROJECT_DIR, RecordedResource, evaluate, unwrap } from "../support/evaluate";

export type Config = Record<string, unknown>;
/** A policy's config with no config file: its schema's defaults and an environment. */
export const PROD: Config = { environment: "prod" };
export const DEV: Config = { environment: "dev" };

/**
 * What `pulumi preview --policy-pack-config policy/config/<stack>.json` hands `policy`: its schema's
 * defaults, overridden by its entry in the stack's config file.
 */
export function packConfig(stack: string, policy: { name: string; configSchema?: { properties: Record<string, any> } }): Config {
    const file = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "config", `${stack}.json`), "utf8"));
    const defaults = Object.fromEntries(
        Object.entries(policy.configSchema?.properties ?? {}).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])),
    );
    const entry = typeof file[policy.name] === "object" ? file[policy.name] : {};
    const { enforcementLevel: _level, ...properties } = entry;
    return { ...defaults, ...properties };
}

/** What a policy said about a resource or a stack. */
export type Verdict =
    { readonly applicable: false; readonly reason: string } | { readonly applicable: true; readonly violations: string[] };

class NotApplicable extends Error {
    constructor(readonly reason: string) {
        super(reason);
    }
}

const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "");
};

const notAType = (): never => {
    throw new Error("policies of this pack match on type tokens, not classes");
};

function policyResource(r: RecordedResource): PolicyResource {
    return {
        type: r.type,
        props: unwrap(r.inputs),
        urn: r.urn,
        name: r.name,
        opts: {
            protect: r.protect,
            ignoreChanges: r.ignoreChanges,
            deleteBeforeReplace: r.deleteBeforeReplace,
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: r.additionalSecretOutputs,
            ...(r.parent === null ? {} : { parent: r.parent }),
        },
        dependencies: [],
        propertyDependencies: {},
        isType: notAType,
        asType: notAType,
    };
}

async function verdict(run: () => Promise<void> | void, violations: string[]): Promise<Verdict> {
    try {
        await run();
    } catch (e) {
        if (e instanceof NotApplicable) {
            return { applicable: false, reason: e.reason };
        }
        throw e;
    }
    return { applicable: true, violations };
}

/** Calls every `validateResource` of `policy` on `r`, with `config` as the policy's config. */
export async function checkResource(policy: ResourceValidationPolicy, r: RecordedResource, config: Config = PROD): Promise<Verdict> {
    const { type, props, urn, name, opts } = policyResource(r);
    const args: ResourceValidationArgs = {
        type,
        props,
        urn,
        name,
        opts,
        stackTags: new Map(),
        isType: notAType,
        asType: notAType,
        getConfig: <T extends object>() => config as T,
        notApplicable,
    };
    const violations: string[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    return verdict(async () => {
        for (const validate of validations) {
            await validate(args, (message) => violations.push(message));
        }
    }, violations);
}

/** Violations of `policy` on `r`; fails the test if the policy calls itself not applicable. */
export async function violationsOf(policy: ResourceValidationPolicy, r: RecordedResource, config: Config = PROD): Promise<string[]> {
    const v = await checkResource(policy, r, config);
    if (!v.applicable) {
        throw new Error(`${policy.name} is not applicable to ${r.type} ${r.name}: ${v.reason}`);
    }
    return v.violations;
}

/** Calls `validateStack` of `policy` on `resources`. */
export async function checkStack(
    policy: StackValidationPolicy,
    resources: readonly RecordedResource[],
    config: Config = PROD,
): Promise<Verdict> {
    const args: StackValidationArgs = {
        resources: resources.map(policyResource),
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable,
    };
    const violations: string[] = [];
    return verdict(() => policy.validateStack(args, (message) => violations.push(message)), violations);
}

/** A copy of `r` with its inputs (unwrapped, as policies see them) changed by `change`. */
export function mutate(r: RecordedResource, change: (inputs: any) => void, overrides: Partial<RecordedResource> = {}): RecordedResource {
    const inputs = structuredClone(unwrap(r.inputs));
    change(inputs);
    return { ...r, ...overrides, inputs };
}

/** Fixed, realistic-looking provided credentials (built here, so no key shape sits in the repository). */
export function fakeCredential(key: string): string {
    const chars = (n: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"): string => {
        let out = "";
        for (let i = 0; out.length < n; i++) {
            for (const b of createHash("sha256").update(`${key}/${i}`).digest()) {
                out += alphabet[b % alphabet.length];
            }
        }
        return out.slice(0, n);
    };
    const uuid = (): string => {
        const h = chars(32, "0123456789abcdef");
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    switch (key) {
        case "anthropicApiKey":
            return ["sk", "ant", "api03", chars(40)].join("-");
        case "openaiApiKey":
            return ["sk", "proj", chars(48)].join("-");
        case "langfusePublicKey":
            return ["pk", "lf", uuid()].join("-");
        case "langfuseSecretKey":
            return ["sk", "lf", uuid()].join("-");
        case "context7ApiKey":
            return ["ctx7sk", uuid()].join("-");
        case "tavilyApiKey":
            return ["tvly", chars(32)].join("-");
        case "hfToken":
            return ["hf", chars(34, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")].join("_");
        default:
            return chars(40);
    }
}

/** One evaluation per stack for all policy tests, provided secrets set to realistic credentials. */
const cache = new Map<string, Promise<Evaluation>>();
export function stackEvaluation(stack: string): Promise<Evaluation> {
    if (!cache.has(stack)) {
        const previous = [...cache.values()];
        // evaluate() is not re-entrant: chain after any evaluation already started.
        cache.set(
            stack,
            Promise.all(previous).then(async () => {
                const e = await evaluate({ stack, secureValue: fakeCredential });
                if (e.error) {
                    throw e.error;
                }
                return e;
            }),
        );
    }
    return cache.get(stack)!;
}
