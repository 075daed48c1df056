/**
 * Evaluates the real program for one stack under Pulumi's mock runtime and records every
 * resource registration: inputs (secret envelopes kept), parent, dependencies and options. Used
 * by the offline plan, the tests, the docs generator and the benchmark.
 *
 * Mock outputs are deterministic functions of a resource's name and inputs, so a second
 * evaluation gives the same values and a changed keeper gives a new one, as in a real stack.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as YAML from "yaml";

import type { SecretSpec } from "../../components/contract/types";
import type { Platform } from "../../components/platform";
import { ROTATING } from "./types";

/**
 * The project root: the nearest folder up with a `Pulumi.yaml`. Found rather than fixed, because
 * this module runs both from scripts/lib (tests, under ts-node) and from build/scripts/lib (the
 * commands, compiled by scripts/run.js).
 */
export const PROJECT_DIR = ((): string => {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no Pulumi.yaml above ${__dirname}`);
        }
    }
})();
export const PROJECT = "llm-platform-secrets";

/** Pulumi's wire marker for a secret value. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretEnvelope {
    readonly [SECRET_SIG]: string;
    readonly value: unknown;
}

export const isSecretEnvelope = (v: unknown): v is SecretEnvelope =>
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;

/** Removes secret envelopes, for asserting on values. */
export function unwrap(v: unknown): any {
    if (isSecretEnvelope(v)) {
        return unwrap(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(unwrap);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
    }
    return v;
}

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
}

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

/** A custom resource as the (mock) engine returned it once created: its id and output state. */
export interface CreatedResource {
    readonly id: string;
    /** Output properties, secrets unwrapped. */
    readonly state: Record<string, unknown>;
}

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
    readonly mockState?: (type: string, name: string, inputs: Record<string, any>) => Record<string, unknown> | undefined;
    /**
     * Keep what the engine returned for each custom resource (`Evaluation.created`): the bench's
     * data bound follows values from the outputs that carry them to the inputs that use them.
     * @default false
     */
    readonly recordCreated?: boolean;
}

const fullKey = (k: string): string => (k.includes(":") ? k : `${PROJECT}:${k}`);
const asConfigString = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
const sha = (s: string): string => createHash("sha256").update(s).digest("hex");

/** The config the CLI would hand the program: project defaults, then the stack file. */
export function stackConfig(
    stack: string,
    secureValue: (key: string) => string = (k) => `secure-value-of-${k}`,
): { values: Record<string, string>; secretKeys: string[] } {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
    for (const [k, decl] of Object.entries<any>(project.config ?? {})) {
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl) && "default" in decl) {
            values[fullKey(k)] = asConfigString(decl.default);
        }
    }
    const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) {
        const parsed = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
        for (const [k, v] of Object.entries<any>(parsed.config ?? {})) {
            if (v !== null && typeof v === "object" && "secure" in v) {
                values[fullKey(k)] = secureValue(k.split(":").pop() as string);
                secretKeys.push(fullKey(k));
            } else {
                values[fullKey(k)] = asConfigString(v);
            }
        }
    }
    return { values, secretKeys };
}

/** An alphanumeric string of `length` characters, fixed by `seed`. */
function alphanumeric(seed: string, length: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; out.length < length; i++) {
        for (const byte of Buffer.from(sha(`${seed}/${i}`), "hex")) {
            out += alphabet[byte % alphabet.length];
        }
    }
    return out.slice(0, length);
}

function bytes(seed: string, length: number): Buffer {
    const chunks: Buffer[] = [];
    for (let i = 0; chunks.length * 32 < length; i++) {
        chunks.push(Buffer.from(sha(`${seed}/${i}`), "hex"));
    }
    return Buffer.concat(chunks).subarray(0, length);
}

/** A number from 1 to 254 fixed by `seed` (an address octet). */
const octet = (seed: string): number => (parseInt(sha(seed).slice(0, 4), 16) % 254) + 1;

/**
 * A `time.Rotating`'s outputs once it exists with base timestamp `inputs.rfc3339`, computed as the
 * provider does (base + rotation years, months, days, hours, minutes). Without a base there is
 * no state yet (the first deployment), and no output.
 */
function rotatingState(inputs: Record<string, any>): Record<string, unknown> {
    if (typeof inputs.rfc3339 !== "string") {
        return {};
    }
    const base = new Date(inputs.rfc3339);
    if (Number.isNaN(base.getTime())) {
        throw new Error(`time.Rotating mock: "${inputs.rfc3339}" is not an RFC 3339 timestamp`);
    }
    const at = new Date(base.getTime());
    at.setUTCFullYear(at.getUTCFullYear() + (inputs.rotationYears ?? 0));
    at.setUTCMonth(at.getUTCMonth() + (inputs.rotationMonths ?? 0));
    at.setUTCDate(at.getUTCDate() + (inputs.rotationDays ?? 0));
    at.setUTCHours(at.getUTCHours() + (inputs.rotationHours ?? 0), at.getUTCMinutes() + (inputs.rotationMinutes ?? 0));
    const rfc = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
        rfc3339: rfc(base),
        rotationRfc3339: inputs.rotationRfc3339 ?? rfc(at),
        unix: Math.floor(base.getTime() / 1000),
        year: base.getUTCFullYear(),
        month: base.getUTCMonth() + 1,
        day: base.getUTCDate(),
        hour: base.getUTCHours(),
        minute: base.getUTCMinutes(),
        second: base.getUTCSeconds(),
    };
}

/**
 * Mock state that gives each `time.Rotating` a base timestamp: `bases[name]`, else `fallback`.
 * A deployed stack is every clock at one base; a period elapsed for one secret is its clock
 * recreated at a later base, which is what the provider does after a refresh past the period.
 */
export function rotatingAt(bases: Readonly<Record<string, string>>, fallback?: string): NonNullable<EvaluateOptions["mockState"]> {
    return (type, name) => {
        const base = bases[name] ?? fallback;
        return type === ROTATING && base !== undefined ? { rfc3339: base } : undefined;
    };
}

/** Deterministic provider outputs: what the engine would return, as a function of the inputs. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    const seed = `${type}/${name}/${JSON.stringify(inputs.keepers ?? {})}`;
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
            return { result: alphanumeric(seed, inputs.length ?? 16) };
        case "random:index/randomBytes:RandomBytes": {
            const b = bytes(seed, inputs.length ?? 16);
            return { base64: b.toString("base64"), hex: b.toString("hex") };
        }
        case "gcp:secretmanager/secret:Secret":
            return { name: `projects/123456789012/secrets/${inputs.secretId}` };
        case "gcp:secretmanager/secretVersion:SecretVersion": {
            // Real versions count up; here a version is fixed by its data, so new data is a new one.
            const version = String((parseInt(sha(JSON.stringify(unwrap(inputs.secretData))).slice(0, 6), 16) % 997) + 1);
            return { version, name: `${inputs.secret}/versions/${version}` };
        }
        case ROTATING:
            return rotatingState(inputs);
        case "gcp:serviceaccount/account:Account": {
            const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
            return { email, member: `serviceAccount:${email}` };
        }
        case "random:index/randomId:RandomId": {
            const b = bytes(seed, inputs.byteLength ?? 4);
            return {
                hex: b.toString("hex"),
                b64Url: b.toString("base64url"),
                b64Std: b.toString("base64"),
                dec: BigInt(`0x${b.toString("hex")}`).toString(),
            };
        }
        case "gcp:compute/network:Network":
            return { selfLink: `https://www.googleapis.com/compute/v1/projects/${inputs.project}/global/networks/${inputs.name}` };
        case "gcp:compute/subnetwork:Subnetwork":
            return {
                selfLink: `https://www.googleapis.com/compute/v1/projects/${inputs.project}/regions/${inputs.region}/subnetworks/${inputs.name}`,
                gatewayAddress: String(inputs.ipCidrRange ?? "").replace(/\.0\/\d+$/, ".1"),
            };
        case "gcp:compute/globalAddress:GlobalAddress":
            return { address: `10.${octet(seed)}.0.0` };
        case "gcp:servicenetworking/connection:Connection":
            return { peering: "servicenetworking-googleapis-com" };
        case "gcp:sql/databaseInstance:DatabaseInstance": {
            const privateIp = inputs.settings?.ipConfiguration?.ipv4Enabled === false;
            const address = `10.${octet(seed)}.0.${octet(`${seed}/host`)}`;
            return {
                connectionName: `${inputs.project}:${inputs.region}:${inputs.name}`,
                privateIpAddress: privateIp ? address : "",
                publicIpAddress: privateIp ? "" : `34.${octet(seed)}.${octet(`${seed}/a`)}.${octet(`${seed}/b`)}`,
                firstIpAddress: address,
                selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${inputs.project}/instances/${inputs.name}`,
                serverCaCerts: [{ cert: `-----BEGIN CERTIFICATE-----\n${sha(seed).slice(0, 40)}\n-----END CERTIFICATE-----` }],
            };
        }
        case "gcp:redis/instance:Instance": {
            const tls = inputs.transitEncryptionMode === "SERVER_AUTHENTICATION";
            return {
                host: `10.${octet(seed)}.${octet(`${seed}/r`)}.4`,
                // Memorystore serves TLS on 6378.
                port: tls ? 6378 : 6379,
                // A real AUTH string is a UUID, kept across updates.
                authString: inputs.authEnabled ? alphanumeric(`${seed}/auth`, 36) : "",
                serverCaCerts: tls
                    ? [{ cert: `-----BEGIN CERTIFICATE-----\n${sha(`${seed}/ca`).slice(0, 40)}\n-----END CERTIFICATE-----` }]
                    : [],
                currentLocationId: `${inputs.region}-a`,
            };
        }
        case "gcp:cloudrunv2/service:Service":
            return { uri: `https://${inputs.name}-${sha(seed).slice(0, 10)}-${String(inputs.location).slice(0, 2)}.a.run.app` };
        case "gcp:projects/serviceIdentity:ServiceIdentity":
            return { email: `service-123456789012@gcp-sa-${String(inputs.service).split(".")[0]}.iam.gserviceaccount.com` };
        case "gcp:pubsub/topic:Topic":
            return { name: inputs.name };
        case "gcp:monitoring/notificationChannel:NotificationChannel":
            return { name: `projects/${inputs.project}/notificationChannels/${parseInt(sha(seed).slice(0, 8), 16)}` };
        case "gcp:monitoring/alertPolicy:AlertPolicy":
            return { name: `projects/${inputs.project}/alertPolicies/${parseInt(sha(seed).slice(0, 8), 16)}` };
        case "time:index/offset:Offset":
            // As the provider does at creation: now plus the offset; here a fixed base, so deterministic.
            return {
                rfc3339: new Date(Date.UTC(2026, 0, 1) + (inputs.offsetDays ?? 0) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
            };
        case "aws:secretsmanager/secret:Secret": {
            // AWS appends six random characters to a secret's ARN; here they follow from the name.
            const suffix = alphanumeric(`arn/${inputs.name}`, 6);
            return { arn: `arn:aws:secretsmanager:${inputs.region}:123456789012:secret:${inputs.name}-${suffix}` };
        }
        case "aws:secretsmanager/secretVersion:SecretVersion": {
            // A new value is a new VersionId (a UUID), fixed here by the value.
            const h = sha(JSON.stringify(unwrap(inputs.secretString)));
            const versionId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
            return { versionId, arn: inputs.secretId };
        }
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::123456789012:role/${inputs.name}` };
        case "aws:iam/user:User":
            return { arn: `arn:aws:iam::123456789012:user/${inputs.name}` };
        case "vault:kv/secretV2:SecretV2": {
            // KV versions count up; here a version is fixed by its data, so new data is a new one.
            const version = String((parseInt(sha(JSON.stringify(unwrap(inputs.dataJson))).slice(0, 6), 16) % 997) + 1);
            return { path: `${inputs.mount}/data/${inputs.name}`, metadata: { version, destroyed: "false" } };
        }
        default:
            return {};
    }
}

/** What the provider reads back for an imported resource, where its id says it. */
function importedState(type: string, id: string): Record<string, unknown> {
    switch (type) {
        case "gcp:secretmanager/secretVersion:SecretVersion":
            // projects/<project>/secrets/<id>/versions/<version>: the version imported is the one kept.
            return { name: id, version: id.split("/").pop() };
        case "aws:secretsmanager/secretVersion:SecretVersion":
            return { versionId: id.split("|").pop() };
        default:
            return {};
    }
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

async function evaluateOnce(opts: EvaluateOptions): Promise<Evaluation> {
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

    const resources: RecordedResource[] = [];
    const componentOutputs: Record<string, Record<string, any>> = {};
    const created = new Map<string, CreatedResource>();
    await pulumi.runtime.setMocks(
        {
            newResource: (args: pulumi.runtime.MockResourceArgs) => {
                const inputs = unwrap(args.inputs);
                const override = opts.mockState?.(args.type, args.name, inputs) ?? {};
                const state = {
                    ...inputs,
                    ...mockState(args.type, args.name, { ...inputs, ...override }),
                    ...(args.id ? importedState(args.type, args.id) : {}),
                    ...override,
                };
                // A time resource's id is its base timestamp, as the provider sets it.
                // An imported resource keeps the id it was imported by.
                const id = args.type === ROTATING && typeof state.rfc3339 === "string" ? state.rfc3339 : args.id || `${args.name}-id`;
                return { id, state };
            },
            call: (args: pulumi.runtime.MockCallArgs) => {
                throw new Error(`unexpected provider call ${args.token}`);
            },
        },
        PROJECT,
        opts.stack,
        opts.preview ?? false,
    );
    pulumi.runtime.setAllConfig(config, [...secretKeys]);

    const monitor: any = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => {
            propertyDependencies[k] = v.getUrnsList();
        });
        const record: RecordedResource = {
            type: req.getType(),
            name: req.getName(),
            urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
            parent: req.getParent() || null,
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
        };
        resources.push(record);
        const keep = opts.recordCreated === true && record.custom;
        // The engine marks additionalSecretOutputs secret; the mock monitor does not. Do it here,
        // or a generated password would look like plain text and no test could see a leak.
        return register(req, (err: unknown, resp: any) => {
            if (!err && resp && record.additionalSecretOutputs.length > 0) {
                const obj = resp.getObject().toJavaScript();
                for (const k of record.additionalSecretOutputs) {
                    if (k in obj && !isSecretEnvelope(obj[k])) {
                        obj[k] = { [SECRET_SIG]: SECRET_VALUE, value: obj[k] };
                    }
                }
                resp.setObject(Struct.fromJavaScript(obj));
            }
            if (keep && !err && resp) {
                created.set(record.urn, { id: resp.getId(), state: unwrap(resp.getObject()?.toJavaScript() ?? {}) });
            }
            callback(err, resp);
        });
    };

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp: any) => void) => {
        componentOutputs[req.getUrn()] = req.getOutputs() ? req.getOutputs().toJavaScript() : {};
        return registerOutputs(req, callback);
    };

    // A RunError thrown inside an apply fails the real program (the engine reports it); here it
    // surfaces as an unhandled rejection, which ends the evaluation with that error.
    let failProgram: (e: unknown) => void = () => undefined;
    const programFailed = new Promise<never>((_, reject) => (failProgram = reject));
    programFailed.catch(() => undefined);
    const onRejection = (e: unknown): void => failProgram(e);
    process.on("unhandledRejection", onRejection);

    const outputs: Record<string, StackOutput> = {};
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
        return {
            stack: opts.stack,
            resources,
            componentOutputs,
            outputs,
            config,
            secretKeys: [...secretKeys],
            ...(error === undefined ? {} : { error }),
        };
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
    return {
        stack: opts.stack,
        resources,
        componentOutputs,
        outputs,
        config,
        secretKeys: [...secretKeys],
        platform,
        error,
        ...(opts.recordCreated === true ? { created } : {}),
    };
}

/** The value of an Output, or its error when an apply on its way threw (mock runtime, not preview). */
function settled<T>(output: pulumi.Output<T>): Promise<T> {
    // `promise()` is internal to the SDK's Output, and the one way to see a rejection.
    return (output as unknown as { promise(): Promise<T> }).promise();
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
