/**
 * Evaluates the real program for one stack under Pulumi's mock runtime and records every
 * resource registration: inputs (secret envelopes kept), parent, dependencies, options and
 * aliases. Used by the offline plan, the tests, the docs generator and the benchmark.
 *
 * The pieces live beside it: `project` (the config the CLI would hand over), `mockState` (the
 * mock providers), `recording` (what is recorded of each registration), `secretMarking` (secret
 * envelopes) and `evaluation` (the result and its queries). This module is their one entry point.
 */
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

import type { SecretSpec } from "../../components/contract/types";
import type { Platform } from "../../components/platform";
import type { Evaluation, StackOutput } from "./evaluation";
import { type MockStateOverride, mockProviders } from "./mockState";
import { PROJECT, asConfigString, fullKey, stackConfig } from "./project";
import { recordRegistrations } from "./recording";

export { PROJECT, PROJECT_DIR, stackConfig } from "./project";
export { SECRET_SIG, type SecretEnvelope, isSecretEnvelope, unwrap } from "./secretMarking";
export { rotatingAt } from "./mockState";
export type { CreatedResource, RecordedResource } from "./recording";
export {
    type Evaluation,
    type StackOutput,
    byType,
    changedResources,
    contractByType,
    findResource,
    inConfigFile,
    inputsByUrn,
    promiseOf,
    urnName,
} from "./evaluation";

export interface EvaluateOptions {
    readonly stack: string;
    /**
     * Read `Pulumi.yaml` defaults and `Pulumi.<stack>.yaml` first, as the CLI would.
     * @default true
     */
    readonly stackFiles?: boolean;
    /** Config to set (bare keys are the project's); objects and lists are JSON-encoded. */
    readonly set?: Readonly<Record<string, unknown>>;
    /** Config to remove. */
    readonly unset?: readonly string[];
    /** Secret config values (bare keys are the project's). */
    readonly secrets?: Readonly<Record<string, string>>;
    /** Value given to each `secure:` entry of the stack file; the default names the key. */
    readonly secureValue?: (key: string) => string;
    /** @default false */
    readonly preview?: boolean;
    /**
     * Evaluate the program against this contract instead of `SECRET_CONTRACT` (the benchmark's
     * synthetic contracts); config is validated against it too.
     * @default SECRET_CONTRACT
     */
    readonly contract?: readonly SecretSpec[];
    /**
     * Run this instead of the platform, under the same mock runtime and recording (the benchmark's
     * floor program). `platform` and `outputs` stay empty.
     * @default undefined (run the platform)
     */
    readonly program?: () => void | Promise<void>;
    /**
     * Extra or overriding mock state per resource. Its fields also count as inputs for the
     * computed outputs: `{ rfc3339 }` on a `time.Rotating` gives the rotation time computed
     * from it (see `rotatingAt`).
     */
    readonly mockState?: MockStateOverride;
    /**
     * Keep what the engine returned for each custom resource (`Evaluation.created`): the bench's
     * data bound follows values from the outputs that carry them to the inputs that use them.
     * @default false
     */
    readonly recordCreated?: boolean;
}

const evaluating = { busy: false };

/** Runs the program once for `opts.stack`; never throws for program errors (see `error`). */
export async function evaluate(opts: EvaluateOptions): Promise<Evaluation> {
    if (evaluating.busy) {
        throw new Error("evaluate() is not re-entrant: await the previous evaluation first");
    }
    evaluating.busy = true;
    // The SDK captures a stack trace for every internal promise; with mocha's unlimited traces
    // that is most of an evaluation's cost. Failures after the evaluation keep their traces.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await evaluateOnce(opts);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        evaluating.busy = false;
    }
}

/** The config handed to the program: the stack's, then `set`, `secrets` and `unset` applied. */
function programConfig(opts: EvaluateOptions): { config: Record<string, string>; secretKeys: string[] } {
    const base = opts.stackFiles === false ? { values: {}, secretKeys: [] } : stackConfig(opts.stack, opts.secureValue);
    const config: Record<string, string> = { ...base.values };
    const secretKeys = new Set<string>(base.secretKeys);
    for (const [k, v] of Object.entries(opts.set ?? {})) {
        config[fullKey(k)] = asConfigString(v);
    }
    for (const [k, v] of Object.entries(opts.secrets ?? {})) {
        config[fullKey(k)] = v;
        secretKeys.add(fullKey(k));
    }
    for (const k of opts.unset ?? []) {
        delete config[fullKey(k)];
        secretKeys.delete(fullKey(k));
    }
    return { config, secretKeys: [...secretKeys] };
}

async function evaluateOnce(opts: EvaluateOptions): Promise<Evaluation> {
    const { config, secretKeys } = programConfig(opts);
    await pulumi.runtime.setMocks(mockProviders(opts.mockState), PROJECT, opts.stack, opts.preview ?? false);
    pulumi.runtime.setAllConfig(config, secretKeys);
    const recording = recordRegistrations(settings.getMonitor(), opts.recordCreated === true);

    // A RunError thrown inside an apply fails the real program (the engine reports it); here it
    // surfaces as an unhandled rejection, which ends the evaluation with that error.
    let failProgram: (e: unknown) => void = () => undefined;
    const programFailed = new Promise<never>((_, reject) => (failProgram = reject));
    programFailed.catch(() => undefined);
    const onRejection = (e: unknown): void => failProgram(e);
    process.on("unhandledRejection", onRejection);

    const outputs: Record<string, StackOutput> = {};
    /** The one shape of a result, whichever program ran. */
    const result = (extra: Pick<Evaluation, "platform" | "error" | "created">): Evaluation => ({
        stack: opts.stack,
        resources: recording.resources,
        componentOutputs: recording.componentOutputs,
        outputs,
        config,
        secretKeys,
        ...extra,
    });

    if (opts.program !== undefined) {
        // The floor's process loads no module of the platform: its cost is the SDK's alone.
        let error: Error | undefined;
        try {
            await opts.program();
        } catch (e) {
            error = e as Error;
        }
        await (settings as any).waitForRPCs();
        process.off("unhandledRejection", onRejection);
        return result(error === undefined ? {} : { error });
    }
    const { createPlatform, stackOutputs } = await import("../../components/platform");
    const { loadConfig } = await import("../../components/config");
    let platform: Platform | undefined;
    let error: Error | undefined;
    try {
        platform = opts.contract === undefined ? createPlatform() : createPlatform(loadConfig(opts.contract), opts.contract);
        for (const [k, v] of Object.entries<pulumi.Output<unknown>>(stackOutputs(platform))) {
            // An error thrown inside an apply (a refused generation step) rejects the output: the
            // engine fails the program with it, and so does this.
            outputs[k] = await Promise.race([
                (async () => ({ secret: await pulumi.isSecret(v), value: await settled(v) }))(),
                programFailed,
            ]);
        }
    } catch (e) {
        error = e as Error;
    }
    try {
        await (error === undefined ? (settings as any).waitForRPCs() : Promise.resolve());
    } catch (e) {
        error ??= e as Error;
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    return result({ platform, error, ...(opts.recordCreated === true ? { created: recording.created } : {}) });
}

/** The value of an Output, or its error when an apply on its way threw (mock runtime, not preview). */
function settled<T>(output: pulumi.Output<T>): Promise<T> {
    // `promise()` is internal to the SDK's Output, and the one way to see a rejection.
    return (output as unknown as { promise(): Promise<T> }).promise();
}
