/**
 * Bad config in adoption (existing secrets and runtime resources taken over): each case is refused
 * before any resource is registered, with one problem that names its key and the fix (see
 * ./support.ts).
 */
import { BadConfig, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Wrong types.
    {
        what: "adoptSecrets as a list",
        stack: "dev",
        set: { adoptSecrets: ["litellm-salt-key"] },
        key: "adoptSecrets",
        says: /must be a map/,
    },
    {
        what: "an adopted version that is no version",
        stack: "dev",
        set: { adoptSecrets: { "litellm-salt-key": { version: "one two" }, "n8n-encryption-key": { version: 1 } } },
        secrets: { adoptedLitellmSaltKey: "kept-salt", adoptedN8nEncryptionKey: "kept-n8n" },
        key: "adoptSecrets.litellm-salt-key.version",
        says: /"one two" is not a version/,
    },
];

refusesEach("adoption (existing secrets and runtime resources taken over)", CASES);
