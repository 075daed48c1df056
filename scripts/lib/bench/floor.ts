/**
 * The benchmark's floor: a program with none of our logic that registers exactly the resources a
 * recorded evaluation registered (same types, names, parents and input values), so the
 * difference between the two is what the platform's own code costs.
 */
import * as pulumi from "@pulumi/pulumi";

import { RecordedResource, isSecretEnvelope } from "../../../test/support/evaluate";

/** What the floor needs of a recorded resource. */
export type ManifestEntry = Pick<RecordedResource, "type" | "name" | "urn" | "parent" | "custom" | "inputs">;

/** Recorded inputs back to program inputs: secret envelopes become Pulumi secrets again. */
function revive(v: unknown): any {
    if (isSecretEnvelope(v)) {
        return pulumi.secret(revive(v.value));
    }
    if (Array.isArray(v)) {
        return v.map(revive);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    }
    return v;
}

class FloorCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

class FloorComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

/** Registers every entry in order, children under their recorded parents. */
export function replay(manifest: readonly ManifestEntry[]): void {
    const byUrn = new Map<string, pulumi.Resource>();
    for (const r of manifest) {
        const parent = r.parent === null ? undefined : byUrn.get(r.parent);
        const opts = parent === undefined ? {} : { parent };
        const resource = r.custom ? new FloorCustom(r.type, r.name, revive(r.inputs), opts) : new FloorComponent(r.type, r.name, opts);
        byUrn.set(r.urn, resource);
    }
}
