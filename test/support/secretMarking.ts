/** Pulumi's wire form of a secret value (an envelope), as the engine sends and stores it. */

/** Pulumi's wire marker for a secret value. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretEnvelope {
    readonly [SECRET_SIG]: string;
    readonly value: unknown;
}

export const isSecretEnvelope = (v: unknown): v is SecretEnvelope =>
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;

/** `v` in a secret envelope, as the engine marks an `additionalSecretOutputs` property. */
export const markSecret = (v: unknown): SecretEnvelope => ({ [SECRET_SIG]: SECRET_VALUE, value: v });

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
