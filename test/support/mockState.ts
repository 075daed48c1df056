/**
 * The mock providers: what the engine would return for each resource, as a deterministic function
 * of its type, name and inputs, so a second evaluation gives the same values and a changed keeper
 * gives a new one, as in a real stack.
 */
import { createHash } from "crypto";

import type * as pulumi from "@pulumi/pulumi";

import { unwrap } from "./secretMarking";
import { ROTATING } from "./types";

/** Extra or overriding mock state for one resource (see `EvaluateOptions.mockState`). */
export type MockStateOverride = (type: string, name: string, inputs: Record<string, any>) => Record<string, unknown> | undefined;

const sha = (s: string): string => createHash("sha256").update(s).digest("hex");

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
export function rotatingAt(bases: Readonly<Record<string, string>>, fallback?: string): MockStateOverride {
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
/** The mock providers, with `override` applied over (and fed into) the computed state. */
export function mockProviders(override?: MockStateOverride): pulumi.runtime.Mocks {
    return {
        newResource: (args: pulumi.runtime.MockResourceArgs) => {
            const inputs = unwrap(args.inputs);
            const extra = override?.(args.type, args.name, inputs) ?? {};
            const state = {
                ...inputs,
                ...mockState(args.type, args.name, { ...inputs, ...extra }),
                ...(args.id ? importedState(args.type, args.id) : {}),
                ...extra,
            };
            // A time resource's id is its base timestamp, as the provider sets it.
            // An imported resource keeps the id it was imported by.
            const id = args.type === ROTATING && typeof state.rfc3339 === "string" ? state.rfc3339 : args.id || `${args.name}-id`;
            return { id, state };
        },
        call: (args: pulumi.runtime.MockCallArgs) => {
            throw new Error(`unexpected provider call ${args.token}`);
        },
    };
}
