/**
 * Rules that more than one area of config checks a value against, each defined once: names,
 * regions, sizes, IAM members and container images.
 */
import { SecretSpec } from "../contract/types";

/** A map in config (JSON object), not a list, a scalar or null. */
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `v` is one of `choices` (a string list of config values). */
export const isOneOf = <T extends string>(v: unknown, choices: readonly T[]): v is T =>
    typeof v === "string" && (choices as readonly string[]).includes(v);

/** A whole number from 0 to `max`. */
export const isWholeNumber = (v: unknown, max: number = Number.MAX_SAFE_INTEGER): v is number =>
    typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;

/**
 * An environment or agent name: it becomes a label value and part of resource names, so a
 * lowercase letter first, a letter or digit last, at most 20 characters.
 */
export const SHORT_NAME = /^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/;

/** A GCP region such as europe-west4 (a source, to compose into longer patterns). */
export const GCP_REGION_SOURCE = "[a-z]+-[a-z]+[0-9]+";
export const GCP_REGION = new RegExp(`^${GCP_REGION_SOURCE}$`);

/** A GCP project id: 6 to 30 lowercase letters, digits and dashes, a letter first (a source). */
export const GCP_PROJECT_ID_SOURCE = "[a-z][a-z0-9-]{4,28}[a-z0-9]";
export const GCP_PROJECT_ID = {
    pattern: new RegExp(`^${GCP_PROJECT_ID_SOURCE}$`),
    rule: "a GCP project id: 6 to 30 lowercase letters, digits and dashes",
    example: "my-llm-project",
};

/** A GCP resource name (VPC, Cloud SQL instance, Memorystore instance, Cloud Run service); a source. */
export const GCP_NAME_SOURCE = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";
export const GCP_NAME = {
    pattern: new RegExp(`^${GCP_NAME_SOURCE}$`),
    rule: "a GCP resource name: lowercase letters, digits and dashes",
};

/** A Kubernetes object name (RFC 1123 label): namespaces, service accounts. */
export const K8S_NAME = {
    pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    rule: "a Kubernetes name: lowercase letters, digits and dashes, at most 63",
};

/** A PostgreSQL database name. */
export const POSTGRES_DATABASE = {
    pattern: /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/,
    rule: "a PostgreSQL database name",
};

/** A lowercase PostgreSQL name of at most `max` bytes, which no one has to quote in SQL. */
export const postgresUserName = (max: number): RegExp => new RegExp(`^[a-z_][a-z0-9_]{0,${max - 1}}$`);

/** A Cloud Run memory limit. */
export const MEMORY_SIZE = { pattern: /^[1-9][0-9]*(Mi|Gi)$/, rule: "a memory size such as 512Mi or 2Gi" };

/** An IAM member naming a principal (not allUsers or allAuthenticatedUsers); a source. */
export const IAM_PRINCIPAL_SOURCE = "(user|group|serviceAccount|domain):[^\\s]+";

/**
 * A member in an RFC 2606 reserved domain (example.com/.net/.org, .example, .test, .invalid),
 * where no Google account can exist: IAM resolves every member when the binding is written and
 * answers 400 for one that does not exist.
 */
export const isReservedMember = (member: string): boolean =>
    /[@.:](example\.(com|net|org)|[^.@:]+\.(example|test|invalid))$/i.test(member) || /@example$/i.test(member);

/** A container image `registry[:port]/path`, before its tag or digest (a source). */
export const IMAGE_NAME_SOURCE = "[a-z0-9.-]+(:[0-9]+)?\\/[a-z0-9._/-]+";

/** The registry of `image` when Cloud Run cannot pull from it (only Artifact Registry, Container Registry, Docker Hub). */
export const registryCloudRunRefuses = (image: string): string | undefined =>
    /^(ghcr\.io|quay\.io)\//.test(image) ? image.split("/")[0] : undefined;

/** A map entry (rotations, adoptSecrets) whose key is not a contract row. */
export const NOT_A_CONTRACT_KEY = {
    message: "names no secret of the contract",
    fix: "use a key listed by npm run plan, or remove the entry",
};

/** The features a row needs that are off, quoted and joined ("a" and "b"). */
export const featuresOff = (spec: SecretSpec, features: ReadonlySet<string>): string =>
    spec.requires
        .filter((f) => !features.has(f))
        .map((f) => `"${f}"`)
        .join(" and ");
