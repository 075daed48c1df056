/** The result of one evaluation and the queries the tests and scripts make of it. */
import type * as pulumi from "@pulumi/pulumi";

import type { Platform } from "../../components/platform";
import type { CreatedResource, RecordedResource } from "./recording";

export interface StackOutput {
    readonly secret: boolean;
    readonly value: unknown;
}

export interface Evaluation {
    readonly stack: string;
    readonly resources: RecordedResource[];
    /**
     * What each component registered with `registerOutputs`, by URN, as sent to the engine
     * (secrets are envelopes): it is kept in state like a resource's outputs.
     */
    readonly componentOutputs: Record<string, Record<string, any>>;
    readonly outputs: Record<string, StackOutput>;
    /** The config as handed to the program (full keys). */
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    readonly platform?: Platform;
    /** Set when the program failed (bad config, say). */
    readonly error?: Error;
    /** What the mock engine returned for each custom resource, by URN (with `recordCreated`). */
    readonly created?: ReadonlyMap<string, CreatedResource>;
}

/** The value of an Output, for tests (mock runtime, not preview). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Helpers over a recorded evaluation. */
export const byType = (e: Evaluation, type: string): RecordedResource[] => e.resources.filter((r) => r.type === type);

/**
 * Whether a resource belongs to a Cloud Run config file (`llm-platform-secrets:run:ConfigFile`):
 * a Secret Manager secret that holds configuration, not a contract value.
 */
export const inConfigFile = (r: RecordedResource): boolean => r.urn.includes("::llm-platform-secrets:run:ConfigFile$");
/** Resources of `type` that carry the contract's values and grants, config files left out. */
export const contractByType = (e: Evaluation, type: string): RecordedResource[] => byType(e, type).filter((r) => !inConfigFile(r));

export function findResource(e: Evaluation, type: string, name: string): RecordedResource {
    const found = e.resources.find((r) => r.type === type && r.name === name);
    if (found === undefined) {
        throw new Error(
            `no ${type} named ${name}; have ${byType(e, type)
                .map((r) => r.name)
                .join(", ")}`,
        );
    }
    return found;
}

/** Every resource's inputs by URN, serialized: two evaluations compare with it. */
export const inputsByUrn = (e: Evaluation): Map<string, string> => new Map(e.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));

/** Resources of `after` whose inputs differ from `before`'s (or that `before` lacks). */
export function changedResources(before: Evaluation, after: Evaluation): RecordedResource[] {
    const old = inputsByUrn(before);
    return after.resources.filter((r) => old.get(r.urn) !== JSON.stringify(r.inputs));
}

/** Short name of a URN (its last segment). */
export const urnName = (urn: string | null): string => (urn === null ? "-" : (urn.split("::").pop() ?? urn));
