/**
 * Typical creation times of the resource types the platform registers, for simulating a first
 * `pulumi up`. These are estimates for a healthy project in one region, not measurements made
 * here: each row says where its figure comes from. Matching is by exact type token first, then by
 * the longest matching prefix; a type no row matches gets `UNKNOWN_SECONDS` and is reported, so the
 * table can be extended when a new resource type lands.
 */
import type { RecordedResource } from "../../../test/support/evaluate";

export interface CreationTime {
    /** A full type token, or a prefix ending in `:` or `/` (`random:`, `gcp:compute/`). */
    readonly match: string;
    readonly seconds: number;
    readonly source: string;
}

export const UNKNOWN_SECONDS = 5;

export const CREATION_TIMES: readonly CreationTime[] = [
    // Components and providers: no cloud call.
    { match: "llm-platform-secrets:", seconds: 0, source: "component resource: the engine only records it" },
    { match: "pulumi:providers:", seconds: 0, source: "provider configuration: no cloud call" },
    { match: "random:", seconds: 0, source: "computed locally by the random provider" },
    {
        match: "time:index/sleep:Sleep",
        seconds: 120,
        source: "its own createDuration, read from its inputs (120 s is iamPropagationSeconds' default: IAM propagation before the first revision)",
    },
    { match: "time:", seconds: 0, source: "computed locally by the time provider" },

    // Google Cloud SQL and Memorystore: long-running operations.
    {
        match: "gcp:sql/databaseInstance:DatabaseInstance",
        seconds: 900,
        source:
            "15 min: 15-20 min reported as normal for Postgres (hashicorp/terraform-provider-google#14770); " +
            "shared-core tiers ~25 min (terraform-google-modules/terraform-google-sql-db PR #425)",
    },
    { match: "gcp:sql/database:Database", seconds: 20, source: "estimate: one sqladmin operation on a running instance" },
    { match: "gcp:sql/user:User", seconds: 15, source: "estimate: one sqladmin operation on a running instance" },
    { match: "gcp:sql/", seconds: 20, source: "estimate: sqladmin operation on a running instance" },
    {
        match: "gcp:redis/instance:Instance",
        seconds: 420,
        source: "estimate, 7 min: a long-running create; BASIC is a few minutes, STANDARD_HA (replica) longer",
    },
    { match: "gcp:redis/", seconds: 60, source: "estimate" },

    // Networking for private IP and Serverless VPC Access.
    {
        match: "gcp:servicenetworking/connection:Connection",
        seconds: 90,
        source: "estimate, 1-2 min: creates the VPC peering to Google's service producer network",
    },
    { match: "gcp:servicenetworking/", seconds: 30, source: "estimate" },
    { match: "gcp:compute/network:Network", seconds: 25, source: "estimate: global operation, ~20-30 s" },
    { match: "gcp:compute/subnetwork:Subnetwork", seconds: 20, source: "estimate: regional operation, ~10-30 s" },
    { match: "gcp:compute/globalAddress:GlobalAddress", seconds: 10, source: "estimate: reserving an internal range" },
    { match: "gcp:compute/", seconds: 15, source: "estimate: compute API operation" },
    {
        match: "gcp:vpcaccess/connector:Connector",
        seconds: 150,
        source: "estimate, 2-3 min: the connector starts its own VM instances",
    },

    // Cloud Run.
    {
        match: "gcp:cloudrunv2/service:Service",
        seconds: 60,
        source: "estimate: first revision rolled out and ready (image pull, startup probe), ~30-90 s",
    },
    { match: "gcp:cloudrunv2/", seconds: 5, source: "estimate: IAM or metadata call on the service" },
    { match: "gcp:cloudrun/", seconds: 5, source: "estimate" },

    // Secret Manager, IAM, project services.
    { match: "gcp:secretmanager/secret:Secret", seconds: 2, source: "estimate: one synchronous API call" },
    { match: "gcp:secretmanager/secretVersion:SecretVersion", seconds: 2, source: "estimate: one synchronous API call" },
    {
        match: "gcp:secretmanager/",
        seconds: 5,
        source: "estimate: IAM read-modify-write on the secret's policy (get, set with etag)",
    },
    {
        match: "gcp:serviceaccount/account:Account",
        seconds: 5,
        source: "estimate: create, then the provider polls until the account is visible (IAM is eventually consistent)",
    },
    { match: "gcp:serviceaccount/", seconds: 5, source: "estimate: IAM read-modify-write on the account's policy" },
    {
        match: "gcp:projects/service:Service",
        seconds: 30,
        source: "enabling an API: 3-22 s and more than 1 min seen in provider logs (terraform-provider-google#7814, magic-modules PR #5047)",
    },
    {
        match: "gcp:projects/",
        seconds: 10,
        source: "estimate: project IAM policy read-modify-write, serialised per project by the provider",
    },
    { match: "gcp:logging/", seconds: 5, source: "estimate" },
    { match: "gcp:", seconds: UNKNOWN_SECONDS, source: "estimate for another Google Cloud call" },

    // Kubernetes.
    {
        match: "kubernetes:helm.sh/v3:Release",
        seconds: 90,
        source: "estimate: chart install that waits for its workloads to be ready (ESO: three Deployments, CRDs)",
    },
    { match: "kubernetes:helm.sh/", seconds: 90, source: "estimate: chart install" },
    { match: "kubernetes:apps/v1:", seconds: 60, source: "estimate: Pulumi awaits the rollout" },
    {
        match: "kubernetes:external-secrets.io/",
        seconds: 2,
        source: "estimate: custom resource created on the API server (ESO syncs it asynchronously)",
    },
    { match: "kubernetes:core/v1:", seconds: 1, source: "estimate: one API server call" },
    { match: "kubernetes:", seconds: 2, source: "estimate: API server call" },

    // AWS.
    { match: "aws:secretsmanager/", seconds: 2, source: "estimate: one synchronous API call" },
    {
        match: "aws:iam/",
        seconds: 5,
        source: "estimate: IAM call plus the provider's wait for eventual consistency",
    },
    { match: "aws:kms/", seconds: 5, source: "estimate" },
    { match: "aws:", seconds: UNKNOWN_SECONDS, source: "estimate for another AWS call" },

    // Vault.
    { match: "vault:", seconds: 1, source: "estimate: one Vault API call (KV write, policy, auth role)" },
];

/** The creation time row of a type, or undefined when no row matches. */
export function creationTime(type: string): CreationTime | undefined {
    const exact = CREATION_TIMES.find((c) => c.match === type);
    if (exact !== undefined) {
        return exact;
    }
    return CREATION_TIMES.filter((c) => /[:/]$/.test(c.match) && type.startsWith(c.match)).sort(
        (a, b) => b.match.length - a.match.length,
    )[0];
}

/** Seconds to create a resource of `type`. */
export const secondsToCreate = (type: string): number => creationTime(type)?.seconds ?? UNKNOWN_SECONDS;

/**
 * Seconds to create one recorded resource: a component takes none; a `time.Sleep` takes its own
 * `createDuration` ("120s"); anything else what the table gives its type.
 */
export function resourceSeconds(r: Pick<RecordedResource, "type" | "custom" | "inputs">): number {
    if (!r.custom) {
        return 0;
    }
    const sleep = r.type === "time:index/sleep:Sleep" ? /^(\d+)s$/.exec(String(r.inputs.createDuration ?? "")) : null;
    return sleep !== null ? Number(sleep[1]) : secondsToCreate(r.type);
}
