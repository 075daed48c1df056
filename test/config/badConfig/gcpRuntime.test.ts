/**
 * Bad config in the Google Cloud runtime (network, Cloud SQL, Memorystore, LiteLLM on Cloud Run):
 * each case is refused before any resource is registered, with one problem that names its key and
 * the fix (see ./support.ts).
 */
import { BadConfig, PROD_IMAGE, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Wrong types.
    {
        what: "allowUnauthenticated as a word",
        stack: "dev",
        set: { allowUnauthenticated: "sometimes" },
        key: "allowUnauthenticated",
        says: /not a boolean/,
    },
    // Identities (who runs as what, and where values live).
    {
        what: "a LiteLLM service account of another project",
        stack: "prod",
        set: { litellmServiceAccount: "litellm-run@other-project.iam.gserviceaccount.com" },
        key: "litellmServiceAccount",
        says: /belongs to project other-project, not llm-platform-prod.*allowCrossProjectServiceAccount true/,
    },
    {
        what: "a default (App Engine) account as LiteLLM's",
        stack: "prod",
        set: { litellmServiceAccount: "llm-platform-prod@appspot.gserviceaccount.com" },
        key: "litellmServiceAccount",
        says: /not a user-managed account of a named project/,
    },
    // Production guardrails.
    {
        what: "prod with public ingress",
        stack: "prod",
        set: { allowUnauthenticated: true },
        key: "allowUnauthenticated",
        says: /the production LiteLLM service is never public/,
    },
    {
        what: "prod reading the latest secret versions",
        stack: "prod",
        set: { cloudRunSecretVersions: "latest" },
        key: "cloudRunSecretVersions",
        says: /is production and pins every secret version.*latest is refused/,
    },
    // Production is the stack's name: calling the prod stack something else turns nothing off.
    {
        what: "prod renamed production with public ingress",
        stack: "prod",
        set: { environment: "production", allowUnauthenticated: true },
        key: "allowUnauthenticated",
        says: /production LiteLLM service is never public/,
    },
    {
        what: "prod renamed production reading latest versions",
        stack: "prod",
        set: { environment: "production", cloudRunSecretVersions: "latest" },
        key: "cloudRunSecretVersions",
        says: /latest is refused/,
    },
    {
        what: "prod renamed production without TLS to Redis",
        stack: "prod",
        set: { environment: "production", redisTransitEncryption: false },
        key: "redisTransitEncryption",
        says: /production stack speaks TLS to Memorystore/,
    },
    // Hostile values.
    {
        what: "an empty string as a number",
        stack: "prod",
        set: { litellmMinInstances: "" },
        key: "litellmMinInstances",
        says: /"" is not a whole number from 0 to 100/,
    },
    {
        what: "a hexadecimal number",
        stack: "prod",
        set: { redisMemorySizeGb: "0x10" },
        key: "redisMemorySizeGb",
        says: /"0x10" is not a whole number from 1 to 300/,
    },
    {
        what: "a token in the Langfuse URL's query",
        stack: "prod",
        set: { langfuseBaseUrl: "https://cloud.langfuse.com/?token=abc" },
        key: "langfuseBaseUrl",
        says: /holds a credential in its query \(token\)/,
    },
    {
        what: "a :latest image in prod",
        stack: "prod",
        set: { litellmImage: `${PROD_IMAGE}:latest` },
        key: "litellmImage",
        says: /is not valid: .*moving tags .* are refused/,
    },
    {
        what: "a moving channel tag in prod",
        stack: "prod",
        set: { litellmImage: `${PROD_IMAGE}:main-stable` },
        key: "litellmImage",
        says: /is not valid: .*moving tags .* are refused/,
    },
    {
        what: "an untagged image",
        stack: "prod",
        set: { litellmImage: PROD_IMAGE },
        key: "litellmImage",
        says: /is not valid: a LiteLLM image pinned to a release/,
    },
    {
        what: "allUsers among prod invokers",
        stack: "prod",
        set: { litellmInvokers: ["allUsers"] },
        key: "litellmInvokers",
        says: /allUsers would let the public call/,
    },
    {
        what: "allAuthenticatedUsers among prod invokers",
        stack: "prod",
        set: { litellmInvokers: ["allAuthenticatedUsers"] },
        key: "litellmInvokers",
        says: /allAuthenticatedUsers would let the public call/,
    },
    {
        what: "a public mail domain among prod invokers",
        stack: "prod",
        set: { litellmInvokers: ["domain:gmail.com"] },
        key: "litellmInvokers",
        says: /domain:gmail.com would let the public call/,
    },
    {
        what: "allUsers among dev invokers",
        stack: "dev",
        set: { litellmInvokers: ["allUsers"] },
        key: "litellmInvokers",
        says: /a public service is allowUnauthenticated's job/,
    },
];

refusesEach("the Google Cloud runtime (network, Cloud SQL, Memorystore, LiteLLM on Cloud Run)", CASES);
