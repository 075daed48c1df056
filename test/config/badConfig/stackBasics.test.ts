/**
 * Bad config in the stack basics (environment, backend, project, region, prefix, features,
 * targets, data protection): each case is refused before any resource is registered, with one
 * problem that names its key and the fix (see ./support.ts).
 */
import { BadConfig, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Wrong types.
    { what: "features as a bare word", stack: "dev", set: { features: "vllm" }, key: "features", says: /must be a list of strings/ },
    { what: "targets as a number", stack: "dev", set: { targets: 5 }, key: "targets", says: /must be a list of strings/ },
    { what: "features holding a number", stack: "dev", set: { features: ["dex", 3] }, key: "features", says: /must be a list of strings/ },
    {
        what: "dataProtection as a word",
        stack: "dev",
        set: { dataProtection: "yes" },
        key: "dataProtection",
        says: /"yes" is not a boolean/,
    },
    // Unknown names.
    {
        what: "an unknown backend",
        stack: "dev",
        set: { backend: "keepass" },
        key: "backend",
        says: /unknown value "keepass"; expected one of gcp-secret-manager/,
    },
    {
        what: "an unknown feature",
        stack: "dev",
        set: { features: ["dex", "telepathy"] },
        key: "features",
        says: /unknown entry "telepathy"/,
    },
    { what: "an unknown target", stack: "prod", set: { targets: ["cloudRun", "lambda"] }, key: "targets", says: /unknown entry "lambda"/ },
    { what: "a feature listed twice", stack: "dev", set: { features: ["dex", "dex"] }, key: "features", says: /lists dex more than once/ },
    // Malformed names and regions.
    {
        what: "a region in capitals",
        stack: "prod",
        set: { gcpRegion: "Europe-West4" },
        key: "gcpRegion",
        says: /"Europe-West4" is not valid: a GCP region/,
    },
    {
        what: "a region without its number",
        stack: "dev",
        set: { gcpRegion: "us-central" },
        key: "gcpRegion",
        says: /a GCP region such as us-central1/,
    },
    {
        what: "a secret prefix with a space",
        stack: "dev",
        set: { secretPrefix: "llm dev" },
        key: "secretPrefix",
        says: /Secret Manager ids allow only letters, digits, - and _/,
    },
    {
        what: "a secret prefix with a slash",
        stack: "prod",
        set: { secretPrefix: "llm/prod" },
        key: "secretPrefix",
        says: /"llm\/prod" is not valid/,
    },
    {
        what: "an environment name in capitals",
        stack: "dev",
        set: { environment: "Dev" },
        key: "environment",
        says: /lowercase letters, digits and dashes/,
    },
    { what: "a project id too short", stack: "dev", set: { gcpProject: "llm" }, key: "gcpProject", says: /a GCP project id: 6 to 30/ },
    {
        what: "no project at all",
        stack: "dev",
        unset: ["gcpProject"],
        key: "gcpProject",
        says: /is required with backend "gcp-secret-manager"/,
    },
    {
        what: "a malformed gcp:project fallback",
        stack: "dev",
        unset: ["gcpProject"],
        set: { "gcp:project": "My_Project" },
        key: "gcpProject",
        says: /"My_Project" \(taken from gcp:project\) is not valid/,
    },
    // Production guardrails.
    {
        what: "prod without data protection",
        stack: "prod",
        set: { dataProtection: false, cloudSqlAvailability: "ZONAL" },
        key: "dataProtection",
        says: /is production and must keep its data/,
    },
    // Production is the stack's name: calling the prod stack something else turns nothing off.
    {
        what: "prod renamed production without data protection",
        stack: "prod",
        set: { environment: "production", dataProtection: false, cloudSqlAvailability: "ZONAL" },
        key: "dataProtection",
        says: /stack "prod" is production and must keep its data/,
    },
    // Hostile values.
    {
        what: "an environment name ending in a dash",
        stack: "dev",
        set: { environment: "dev-" },
        key: "environment",
        says: /"dev-" is not valid: .*ending with a letter or digit/,
    },
];

refusesEach("the stack basics (environment, backend, project, region, prefix, features, targets, data protection)", CASES);
