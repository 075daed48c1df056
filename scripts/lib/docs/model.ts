/**
 * What the generated docs say about one stack, read from the program's own mock evaluation: the
 * secrets it stores and where, who reads them through which grant resources, and which resources
 * each value is made from. Plain data, so rendering is pure and deterministic.
 */
import * as pulumi from "@pulumi/pulumi";

import { Consumer, SecretSpec } from "../../../components/contract/types";
import { Evaluation, RecordedResource, evaluate, promiseOf } from "../../../test/support/evaluate";
import { committedStacks } from "../stacks";

/** A resource as the docs name it. */
export interface ResourceRef {
    readonly type: string;
    readonly name: string;
}

export interface SecretView {
    readonly spec: SecretSpec;
    /** Consumers active in this stack (targets and features on). */
    readonly consumers: readonly Consumer[];
    /** The backend's own id of the secret. */
    readonly backendId: string;
    /** Custom resources whose outputs the value is built from (empty for config values). */
    readonly madeBy: readonly ResourceRef[];
}

export interface PrincipalView {
    readonly name: string;
    /** The principal in the backend's own form (a service account member, a role ARN). */
    readonly member: string;
    /** Keys of the secrets it may read, in contract order. */
    readonly keys: readonly string[];
    /** Grant resources by type, with their count. */
    readonly grantResources: readonly (readonly [string, number])[];
}

export interface StackModel {
    readonly stack: string;
    /** The contract the stack was built from: the table with the stack's agents in it. */
    readonly contract: readonly SecretSpec[];
    readonly environment: string;
    readonly backend: string;
    readonly targets: readonly string[];
    readonly features: readonly string[];
    readonly secrets: readonly SecretView[];
    readonly principals: readonly PrincipalView[];
    /** Registered resources by type (components included), sorted by type. */
    readonly resourceTypes: readonly (readonly [string, number])[];
    readonly resourceCount: number;
}


/** Resources the SDK knows an Output depends on (an internal, long-standing SDK method). */
async function outputResources(output: pulumi.Output<unknown>): Promise<pulumi.Resource[]> {
    const impl = output as unknown as { allResources?: () => Promise<Set<pulumi.Resource>> };
    return impl.allResources === undefined ? [] : [...(await impl.allResources())];
}

const descendantsOf = (e: Evaluation, urn: string): RecordedResource[] => {
    const children = new Map<string, RecordedResource[]>();
    for (const r of e.resources) {
        if (r.parent !== null) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
        }
    }
    const out: RecordedResource[] = [];
    const walk = (u: string): void => {
        for (const c of children.get(u) ?? []) {
            out.push(c);
            walk(c.urn);
        }
    };
    walk(urn);
    return out;
};

const countByType = (resources: readonly RecordedResource[]): [string, number][] => {
    const counts = new Map<string, number>();
    for (const r of resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return [...counts].sort(([a], [b]) => a.localeCompare(b));
};

/** Reads the docs' view of a finished evaluation. Call before the next `evaluate()`. */
export async function stackModel(e: Evaluation): Promise<StackModel> {
    const platform = e.platform;
    if (platform === undefined || e.error !== undefined) {
        throw new Error(`stack ${e.stack} does not evaluate: ${e.error?.message ?? "no platform"}`);
    }
    const byUrn = new Map(e.resources.map((r) => [r.urn, r]));

    const secrets: SecretView[] = [];
    for (const { spec, consumers } of platform.active) {
        const made: ResourceRef[] = [];
        for (const res of await outputResources(platform.values[spec.key])) {
            const recorded = byUrn.get(await promiseOf(res.urn));
            if (recorded !== undefined && recorded.custom) {
                made.push({ type: recorded.type, name: recorded.name });
            }
        }
        made.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
        secrets.push({
            spec,
            consumers,
            backendId: await promiseOf(platform.stored[spec.key].backendId),
            madeBy: made,
        });
    }

    const principals: PrincipalView[] = [];
    for (const [name, grants] of Object.entries(platform.grants)) {
        const grantUrn = await promiseOf(grants.urn);
        const custom = descendantsOf(e, grantUrn).filter((r) => r.custom);
        principals.push({
            name,
            member: await promiseOf(pulumi.output(platform.principals[name].member)),
            keys: [...grants.secretKeys],
            grantResources: countByType(custom),
        });
    }
    principals.sort((a, b) => a.name.localeCompare(b.name));

    return {
        stack: e.stack,
        contract: platform.contract,
        environment: platform.config.environment,
        backend: platform.config.backend,
        targets: [...platform.config.targets].sort(),
        features: [...platform.config.features].sort(),
        secrets,
        principals,
        resourceTypes: countByType(e.resources),
        resourceCount: e.resources.length,
    };
}

/** Evaluates each stack in turn (evaluate() is not re-entrant) and reads its model. */
export async function stackModels(stacks: readonly string[] = committedStacks()): Promise<StackModel[]> {
    const models: StackModel[] = [];
    for (const stack of stacks) {
        models.push(await stackModel(await evaluate({ stack })));
    }
    return models;
}

/** `gcp:secretmanager/secret:Secret` → `gcp.secretmanager.Secret`; `random:index/x:X` → `random.X`. */
export function shortType(type: string): string {
    const [pkg, mod, name] = type.split(":");
    if (name === undefined) {
        return type;
    }
    const first = mod.split("/")[0];
    if (first === "index") {
        return `${pkg}.${name}`;
    }
    // Kubernetes modules are API groups with versions (`helm.sh/v3`, `core/v1`): keep them whole.
    return first.includes(".") || pkg === "kubernetes" ? `${pkg}.${mod}.${name}` : `${pkg}.${first}.${name}`;
}
