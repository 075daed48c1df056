import { createHash } from "crypto";

/**
 * A version for a value whose backend does not number versions before it is written (or at
 * all): the first 16 hex digits of the value's SHA-256. It changes exactly when the value does,
 * so consumers keyed on it roll on a rotation, and it is known in a preview. A digest of a
 * generated or issued credential reveals nothing usable, so it is not kept secret.
 */
export const contentVersion = (value: string): string => createHash("sha256").update(value).digest("hex").slice(0, 16);
