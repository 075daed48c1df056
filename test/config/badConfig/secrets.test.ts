/**
 * Bad config in provided secrets, stored names and rotation: each case is refused before any
 * resource is registered, with one problem that names its key and the fix (see ./support.ts).
 */
import { BadConfig, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Wrong types.
    {
        what: "bcryptCost as a word",
        stack: "dev",
        set: { bcryptCost: "high" },
        key: "bcryptCost",
        says: /not a whole number from 10 to 16/,
    },
    {
        what: "bcryptCost above Dex's range",
        stack: "prod",
        set: { bcryptCost: 17 },
        key: "bcryptCost",
        says: /"17" is not a whole number from 10 to 16/,
    },
    { what: "bcryptCost below Dex's range", stack: "dev", set: { bcryptCost: 9 }, key: "bcryptCost", says: /"9" is not a whole number/ },
    {
        what: "rotations as a list",
        stack: "dev",
        set: { rotations: ["vllm-api-key"] },
        key: "rotations",
        says: /must be a map of names to whole numbers/,
    },
    {
        what: "a rotation generation as a string",
        stack: "dev",
        set: { rotations: { "vllm-api-key": "1" } },
        key: "rotations.vllm-api-key",
        says: /"1" is not a whole number/,
    },
    {
        what: "a negative rotation generation",
        stack: "dev",
        set: { rotations: { "vllm-api-key": -1 } },
        key: "rotations.vllm-api-key",
        says: /-1 is not a whole number ≥ 0/,
    },
    {
        what: "a fractional rotation generation",
        stack: "dev",
        set: { rotations: { "vllm-api-key": 1.5 } },
        key: "rotations.vllm-api-key",
        says: /1.5 is not a whole number/,
    },
    // Malformed names and regions.
    {
        what: "a UI user name with a space",
        stack: "dev",
        set: { uiUsername: "admin user" },
        key: "uiUsername",
        says: /"admin user" is not valid/,
    },
    // Rotations that cannot apply.
    {
        what: "a rotation for an unknown secret",
        stack: "dev",
        set: { rotations: { "litellm-masterkey": 1 } },
        key: "rotations.litellm-masterkey",
        says: /names no secret of the contract/,
    },
    {
        what: "a rotation of the salt key",
        stack: "prod",
        set: { rotations: { "litellm-salt-key": 1 } },
        key: "rotations.litellm-salt-key",
        says: /never rotates silently/,
    },
    {
        what: "a rotation of a provided secret",
        stack: "prod",
        set: { rotations: { "anthropic-api-key": 1 } },
        key: "rotations.anthropic-api-key",
        says: /rotate it at its issuer/,
    },
    {
        what: "a rotation of a secret the stack does not have",
        stack: "prod",
        set: { rotations: { "dex-tabby-client-secret": 1 } },
        key: "rotations.dex-tabby-client-secret",
        says: /does not exist in this stack \(feature "tabby" is off\)/,
    },
    // Hostile values.
    {
        what: "a number in exponent notation",
        stack: "dev",
        set: { bcryptCost: "1.2e1" },
        key: "bcryptCost",
        says: /"1.2e1" is not a whole number/,
    },
    {
        what: "a rotation generation beyond 2^53",
        stack: "dev",
        set: { rotations: '{"vllm-api-key": 9007199254740993}' },
        key: "rotations.vllm-api-key",
        says: /beyond 2\^53 - 1/,
    },
    {
        what: "a rotation named __proto__",
        stack: "dev",
        set: { rotations: '{"__proto__": 1}' },
        key: "rotations.__proto__",
        says: /"__proto__" is not a name this map accepts/,
    },
    // Rotations that could cut a database off or leave a hash stale.
    {
        what: "a rotation period shorter than twice the scheduled cadence",
        stack: "dev",
        set: { rotationPeriods: { "database-password": 1 } },
        key: "rotationPeriods.database-password",
        says: /from 2 \(twice the 1-day cadence of the scheduled update\)/,
    },
    // Provided secrets.
    {
        what: "a provided secret missing in prod",
        stack: "prod",
        unset: ["anthropicApiKey"],
        key: "anthropicApiKey",
        says: /anthropic-api-key is needed because feature "anthropic" is on/,
    },
    {
        what: "a provided secret missing for a feature turned on",
        stack: "dev",
        set: { features: ["huggingface"] },
        key: "hfToken",
        says: /hf-token is needed because feature "huggingface" is on/,
    },
    {
        what: "a provided secret in plain text",
        stack: "dev",
        set: { features: ["openai"], openaiApiKey: "not-a-secret" },
        key: "openaiApiKey",
        says: /is stored in plain text in the stack file/,
    },
    {
        what: "a provided secret set but empty",
        stack: "prod",
        secrets: { hfToken: "  " },
        key: "hfToken",
        says: /hf-token is set but empty/,
    },
];

refusesEach("provided secrets, stored names and rotation", CASES);
