/**
 * Records every registration the program makes under the mock runtime: each resource's inputs
 * (secret envelopes kept), parent, dependencies, options and aliases, and what each component
 * registered as its outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

import { aliasUrn, engineUrn, requestAliases } from "./aliases";
import { isSecretEnvelope, markSecret, unwrap } from "./secretMarking";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string | null;
    readonly custom: boolean;
    /** Inputs as sent to the engine; secrets are envelopes. */
    readonly inputs: Record<string, any>;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: string[];
    readonly additionalSecretOutputs: string[];
    readonly provider: string | null;
    /** The `import` option: the id of an existing resource adopted instead of created. */
    readonly importId?: string | null;
    /** The URNs the resource's `aliases` option stands for; absent when it has none. */
    readonly aliases?: string[];
}

/** A custom resource as the (mock) engine returned it once created: its id and output state. */
export interface CreatedResource {
    readonly id: string;
    /** Output properties, secrets unwrapped. */
    readonly state: Record<string, unknown>;
}

export interface Recording {
    readonly resources: RecordedResource[];
    /** What each component registered with `registerOutputs`, by URN, as sent (secrets are envelopes). */
    readonly componentOutputs: Record<string, Record<string, any>>;
    /** What the engine returned for each custom resource, by URN (filled with `keepCreated`). */
    readonly created: Map<string, CreatedResource>;
}

/** One RegisterResourceRequest as a record; `urn` is the one the mock monitor gives it. */
function recordOf(req: any, urn: string): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v: any, k: string) => {
        propertyDependencies[k] = v.getUrnsList();
    });
    const goal = { type: req.getType() as string, name: req.getName() as string, urn, parent: (req.getParent() as string) || null };
    const aliases = requestAliases(req).map((a) => aliasUrn(a, goal));
    return {
        ...goal,
        custom: req.getCustom(),
        inputs: req.getObject() ? req.getObject().toJavaScript() : {},
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        protect: req.hasProtect() ? req.getProtect() : false,
        retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : false,
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        provider: req.getProvider() || null,
        importId: req.getImportid() || null,
        // Absent rather than empty, so a plan without aliases reads as it always has.
        ...(aliases.length > 0 ? { aliases } : {}),
    };
}

/** Wraps the mock monitor's registrations so each is recorded; returns what it records into. */
export function recordRegistrations(monitor: any, keepCreated: boolean): Recording {
    const recording: Recording = { resources: [], componentOutputs: {}, created: new Map() };
    // The mock monitor qualifies a child's type by its parent's last type only (runtime/mocks.js
    // `newUrn`); the engine by the parent's whole qualified type. Name resources as the engine
    // does, so plans, state fixtures and alias checks hold the URNs a real state would.
    monitor.newUrn = (parent: string, type: string, name: string): string =>
        engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
        const record = recordOf(req, monitor.newUrn(req.getParent(), req.getType(), req.getName()));
        recording.resources.push(record);
        const keep = keepCreated && record.custom;
        // The engine marks additionalSecretOutputs secret; the mock monitor does not. Do it here,
        // or a generated password would look like plain text and no test could see a leak.
        return register(req, (err: unknown, resp: any) => {
            if (!err && resp && record.additionalSecretOutputs.length > 0) {
                const obj = resp.getObject().toJavaScript();
                for (const k of record.additionalSecretOutputs) {
                    if (k in obj && !isSecretEnvelope(obj[k])) {
                        obj[k] = markSecret(obj[k]);
                    }
                }
                resp.setObject(Struct.fromJavaScript(obj));
            }
            if (keep && !err && resp) {
                recording.created.set(record.urn, { id: resp.getId(), state: unwrap(resp.getObject()?.toJavaScript() ?? {}) });
            }
            callback(err, resp);
        });
    };

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: any) => void) => {
        recording.componentOutputs[req.getUrn()] = req.getOutputs() ? req.getOutputs().toJavaScript() : {};
        return registerOutputs(req, callback);
    };
    return recording;
}
