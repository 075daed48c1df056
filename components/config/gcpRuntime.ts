/**
 * Config of the GCP runtime: LiteLLM on Cloud Run with Cloud SQL Postgres and Memorystore Redis
 * on a private network. Read and validated here; the components receive plain typed values.
 */
import { DERIVATIONS, Derivation, Target } from "../contract/types";
import { credentialInUrl } from "./endpointUrl";
import {
    GCP_NAME_SOURCE,
    GCP_PROJECT_ID_SOURCE,
    GCP_REGION_SOURCE,
    IAM_PRINCIPAL_SOURCE,
    IMAGE_NAME_SOURCE,
    MEMORY_SIZE,
    isReservedMember,
    postgresUserName,
    registryCloudRunRefuses,
} from "./patterns";
import { ConfigReader } from "./reader";
import { CLOUD_RUN_CPUS } from "../run/cloudRunService";

export { CLOUD_RUN_CPUS };

export const CLOUD_SQL_EDITIONS = ["ENTERPRISE", "ENTERPRISE_PLUS"] as const;
export const CLOUD_SQL_AVAILABILITY = ["ZONAL", "REGIONAL"] as const;
export const REDIS_TIERS = ["BASIC", "STANDARD_HA"] as const;
export const REDIS_VERSIONS = ["REDIS_7_0", "REDIS_7_2"] as const;
export const LITELLM_LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
/** `pinned`: each env var reads the version this program wrote. `latest`: whatever is newest. */
export const SECRET_VERSION_POLICIES = ["pinned", "latest"] as const;

export interface GcpRuntimeSettings {
    /** Deploy Cloud SQL, Memorystore and the LiteLLM Cloud Run service. */
    readonly enabled: boolean;
    readonly network: {
        /** Adopt this VPC and subnetwork instead of creating them. */
        readonly existing?: { readonly network: string; readonly subnetwork: string };
        /** Range of the subnetwork created for Cloud Run's Direct VPC egress. */
        readonly subnetCidr: string;
    };
    readonly cloudSql: {
        readonly databaseVersion: string;
        readonly tier: string;
        readonly edition: (typeof CLOUD_SQL_EDITIONS)[number];
        readonly availabilityType: (typeof CLOUD_SQL_AVAILABILITY)[number];
        /** No public IP: reachable through private service access only. */
        readonly privateIp: boolean;
        /** The read-only user Grafana reads LiteLLM's database as (feature grafana). */
        readonly grafanaUser: string;
    };
    readonly redis: {
        readonly tier: (typeof REDIS_TIERS)[number];
        readonly version: (typeof REDIS_VERSIONS)[number];
        readonly memorySizeGb: number;
        /** SERVER_AUTHENTICATION: clients speak TLS and check Memorystore's CA. */
        readonly transitEncryption: boolean;
    };
    readonly litellm: {
        readonly image: string;
        readonly cpu: (typeof CLOUD_RUN_CPUS)[number];
        readonly memory: string;
        readonly minInstances: number;
        readonly maxInstances: number;
        readonly logLevel: (typeof LITELLM_LOG_LEVELS)[number];
        /** Run as this existing service account instead of creating one. */
        readonly serviceAccountEmail?: string;
        /** Members granted `roles/run.invoker`. */
        readonly invokers: readonly string[];
        /** Grant `roles/run.invoker` to `allUsers`. */
        readonly allowUnauthenticated: boolean;
        readonly secretVersions: (typeof SECRET_VERSION_POLICIES)[number];
        /** Where LiteLLM sends Langfuse traces (when feature langfuse is on). */
        readonly langfuseBaseUrl: string;
        /** Seconds a new revision waits after its grants, for IAM to propagate them. */
        readonly iamPropagationSeconds: number;
    };
    /** Turn on the Google APIs the program uses (gcp.projects.Service, never disabled on destroy). */
    readonly enableApis: boolean;
}

export interface GcpRuntimeContext {
    /** A production stack (by name): public access and moving versions are refused. */
    readonly production: boolean;
    readonly targets: ReadonlySet<Target>;
    readonly dataProtection: boolean;
}

/**
 * A LiteLLM image pinned to a release. LiteLLM publishes each release under `v<semver>` with an
 * optional `-stable[.N]` (and the same with a `main-` prefix), beside moving tags `main-latest`,
 * `main-stable`, `latest` and `lts` (ghcr.io/berriai/litellm-database package page; the release
 * notes' `cosign verify … ghcr.io/berriai/litellm:v1.108.5`; the chart's own default tag,
 * `main-<appVersion>`, deploy/charts/litellm-helm/templates/deployment.yaml). Cloud Run and the
 * chart (`image.repository` + `image.tag`) run this one image, so both run the same migrations
 * against the one database. A digest may follow the tag.
 */
export const LITELLM_IMAGE = new RegExp(
    `^${IMAGE_NAME_SOURCE}:(main-)?v[0-9]+\\.[0-9]+\\.[0-9]+(-stable(\\.[0-9]+)?)?(@sha256:[a-f0-9]{64})?$`,
);

/** Pulumi.yaml's sections of these keys. */
export const GCP_RUNTIME_AREAS = {
    network: "Google Cloud runtime: switch, APIs and network",
    cloudSql: "Google Cloud runtime: Cloud SQL",
    redis: "Google Cloud runtime: Memorystore",
    cloudRun: "Google Cloud runtime: LiteLLM on Cloud Run",
} as const;

/** Reads every GCP runtime key (declared whether or not the runtime is on). */
export function readGcpRuntime(reader: ConfigReader, ctx: GcpRuntimeContext): GcpRuntimeSettings {
    const r = reader.inArea(GCP_RUNTIME_AREAS.network);
    const enabled = r.boolean("gcpRuntime", false);
    const enableApis = r.boolean("enableGcpApis", false);
    const network = readNetwork(r);
    const cloudSql = readCloudSql(reader.inArea(GCP_RUNTIME_AREAS.cloudSql), ctx);
    const redis = readRedis(reader.inArea(GCP_RUNTIME_AREAS.redis), { ...ctx, enabled });
    const litellm = readLitellmService(reader.inArea(GCP_RUNTIME_AREAS.cloudRun), { ...ctx, enabled });
    if (enabled && !ctx.targets.has("cloudRun")) {
        r.problem(
            "gcpRuntime",
            "runs LiteLLM on Cloud Run, but cloudRun is not in targets",
            "add cloudRun to targets, or pulumi config set gcpRuntime false",
        );
    }
    return Object.freeze({ enabled, enableApis, network, cloudSql, redis, litellm });
}

function readNetwork(r: ConfigReader): GcpRuntimeSettings["network"] {
    const vpcNetwork = r.string("vpcNetwork", "", {
        pattern: new RegExp(`^(projects/${GCP_PROJECT_ID_SOURCE}/global/networks/)?${GCP_NAME_SOURCE}$`),
        rule: "a VPC network name or projects/<project>/global/networks/<name>",
        example: "projects/my-project/global/networks/shared-vpc",
    });
    const vpcSubnetwork = r.string("vpcSubnetwork", "", {
        pattern: new RegExp(`^(projects/${GCP_PROJECT_ID_SOURCE}/regions/${GCP_REGION_SOURCE}/subnetworks/)?${GCP_NAME_SOURCE}$`),
        rule: "a subnetwork name or projects/<project>/regions/<region>/subnetworks/<name>",
        example: "projects/my-project/regions/europe-west4/subnetworks/run",
    });
    const subnetCidr = r.string("vpcSubnetCidr", "10.8.0.0/24", {
        // Direct VPC egress needs at least a /26.
        pattern: /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\/(1[6-9]|2[0-6])$/,
        rule: "an IPv4 range from /16 to /26 (Direct VPC egress needs at least /26)",
        example: "10.8.0.0/24",
    });
    if (r.isSet("vpcNetwork") !== r.isSet("vpcSubnetwork")) {
        r.problem(
            r.isSet("vpcNetwork") ? "vpcSubnetwork" : "vpcNetwork",
            "vpcNetwork and vpcSubnetwork adopt an existing network together: set both, or neither to create one",
            r.isSet("vpcNetwork")
                ? "pulumi config set vpcSubnetwork <subnetwork in the region, for Cloud Run's Direct VPC egress>"
                : "pulumi config set vpcNetwork <the subnetwork's VPC network>",
        );
    }
    return Object.freeze({
        ...(vpcNetwork !== "" && vpcSubnetwork !== ""
            ? { existing: Object.freeze({ network: vpcNetwork, subnetwork: vpcSubnetwork }) }
            : {}),
        subnetCidr,
    });
}

function readCloudSql(r: ConfigReader, ctx: GcpRuntimeContext): GcpRuntimeSettings["cloudSql"] {
    const databaseVersion = r.string("cloudSqlDatabaseVersion", "POSTGRES_16", {
        pattern: /^POSTGRES_1[4-9]$/,
        rule: "a Cloud SQL PostgreSQL version from POSTGRES_14 to POSTGRES_19",
        example: "POSTGRES_16",
    });
    const tier = r.string("cloudSqlTier", "db-f1-micro", {
        pattern: /^db-[a-z0-9-]+$/,
        rule: "a Cloud SQL machine tier such as db-f1-micro or db-custom-2-7680",
        example: "db-custom-2-7680",
    });
    const edition = r.choice("cloudSqlEdition", "ENTERPRISE", CLOUD_SQL_EDITIONS);
    const availabilityType = r.choice("cloudSqlAvailability", "ZONAL", CLOUD_SQL_AVAILABILITY);
    const privateIp = r.boolean("cloudSqlPrivateIp", true);
    const grafanaUser = r.string("cloudSqlGrafanaUser", "litellm_grafana_ro", {
        pattern: postgresUserName(63),
        rule: "a PostgreSQL user name: lowercase letters, digits and underscores, at most 63",
        example: "litellm_grafana_ro",
    });
    if (edition === "ENTERPRISE_PLUS" && !tier.startsWith("db-perf-optimized-")) {
        r.problem(
            "cloudSqlTier",
            `"${tier}" is not offered in the ENTERPRISE_PLUS edition (only db-perf-optimized-N-* tiers are)`,
            "pulumi config set cloudSqlEdition ENTERPRISE, or pulumi config set cloudSqlTier db-perf-optimized-N-2",
        );
    }
    if (availabilityType === "REGIONAL" && !ctx.dataProtection) {
        r.problem(
            "cloudSqlAvailability",
            "REGIONAL (high availability) needs backups with point-in-time recovery, which only dataProtection turns on",
            "pulumi config set cloudSqlAvailability ZONAL, or pulumi config set dataProtection true",
        );
    }
    return Object.freeze({ databaseVersion, tier, edition, availabilityType, privateIp, grafanaUser });
}

function readRedis(r: ConfigReader, ctx: GcpRuntimeContext & { readonly enabled: boolean }): GcpRuntimeSettings["redis"] {
    const tier = r.choice("redisTier", "BASIC", REDIS_TIERS);
    const version = r.choice("redisVersion", "REDIS_7_2", REDIS_VERSIONS);
    const memorySizeGb = r.integer("redisMemorySizeGb", 1, { min: 1, max: 300 });
    const transitEncryption = r.boolean("redisTransitEncryption", true);
    if (ctx.production && ctx.enabled && !transitEncryption) {
        r.problem(
            "redisTransitEncryption",
            "a production stack speaks TLS to Memorystore (LiteLLM supports it), and it is off",
            "pulumi config rm redisTransitEncryption",
        );
    }
    return Object.freeze({ tier, version, memorySizeGb, transitEncryption });
}

function readLitellmService(r: ConfigReader, ctx: GcpRuntimeContext & { readonly enabled: boolean }): GcpRuntimeSettings["litellm"] {
    const image = r.string("litellmImage", "", {
        pattern: LITELLM_IMAGE,
        rule:
            "a LiteLLM image pinned to a release, registry/path:<tag>[@sha256:<digest>], the tag as LiteLLM publishes releases " +
            "(v1.74.3-stable, main-v1.74.3-stable, v1.80.11-stable.1, v1.108.5); moving tags (main-stable, main-latest, latest, lts) are refused",
        example: "europe-west4-docker.pkg.dev/my-project/ghcr/berriai/litellm-database:main-v1.74.3-stable",
    });
    const cpu = r.choice("litellmCpu", "1", CLOUD_RUN_CPUS);
    const memory = r.string("litellmMemory", "2Gi", { ...MEMORY_SIZE, example: "2Gi" });
    const minInstances = r.integer("litellmMinInstances", 0, { min: 0, max: 100 });
    const maxInstances = r.integer("litellmMaxInstances", 4, { min: 1, max: 1000 });
    const logLevel = r.choice("litellmLogLevel", "INFO", LITELLM_LOG_LEVELS);
    const serviceAccount = r.string("litellmServiceAccount", "", {
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.gserviceaccount\.com$/,
        rule: "the email of an existing service account",
        example: "litellm-run@my-project.iam.gserviceaccount.com",
    });
    const invokers = r.stringList("litellmInvokers", [], {
        pattern: new RegExp(`^(${IAM_PRINCIPAL_SOURCE}|allUsers|allAuthenticatedUsers)$`),
        rule: "each an IAM member such as group:team@example.com",
        example: '["group:llm-users@example.com"]',
    });
    const allowUnauthenticated = r.boolean("allowUnauthenticated", false);
    const secretVersions = r.choice("cloudRunSecretVersions", "pinned", SECRET_VERSION_POLICIES);
    // "Typically 2 minutes, potentially 7 minutes or longer" for a changed allow policy
    // (cloud.google.com/iam/docs/access-change-propagation).
    const iamPropagationSeconds = r.integer("iamPropagationSeconds", 120, { min: 0, max: 900 });
    const langfuseBaseUrl = r.string("langfuseBaseUrl", "https://cloud.langfuse.com", {
        pattern: /^https:\/\/[^\s/]+(\/[^\s]*)?$/,
        rule: "an https:// URL",
        example: "https://cloud.langfuse.com",
    });

    const reserved = invokers.filter(isReservedMember);
    if (reserved.length > 0) {
        r.problem(
            "litellmInvokers",
            `${reserved.join(", ")} ${reserved.length === 1 ? "is an example member" : "are example members"} (a reserved domain): IAM refuses a binding to a member that does not exist`,
            'pulumi config set --path "litellmInvokers[0]" group:<a real Google group>, or pulumi config rm litellmInvokers (nobody may call the service until granted)',
        );
    }
    if (minInstances > maxInstances) {
        r.problem(
            "litellmMinInstances",
            `${minInstances} is more than litellmMaxInstances (${maxInstances})`,
            `pulumi config set litellmMaxInstances ${minInstances}`,
        );
    }
    if (allowUnauthenticated && ctx.production) {
        r.problem(
            "allowUnauthenticated",
            "the production LiteLLM service is never public: callers must present an identity token",
            "pulumi config rm allowUnauthenticated (grant callers with litellmInvokers)",
        );
    }
    const publicInvokers = invokers.filter(isPublicMember);
    if (publicInvokers.length > 0 && ctx.production) {
        r.problem(
            "litellmInvokers",
            `${publicInvokers.join(", ")} would let the public call the production LiteLLM service`,
            "list the groups or service accounts that call it (e.g. group:llm-users@your-domain)",
        );
    } else if (invokers.some((m) => m === "allUsers" || m === "allAuthenticatedUsers")) {
        r.problem(
            "litellmInvokers",
            "allUsers and allAuthenticatedUsers are not listed as invokers: a public service is allowUnauthenticated's job",
            "remove them, and pulumi config set allowUnauthenticated true on a stack that may be public",
        );
    }
    const langfuseCredential = URL.canParse(langfuseBaseUrl) ? credentialInUrl(new URL(langfuseBaseUrl)) : "is not a URL";
    if (langfuseCredential !== undefined) {
        r.problem(
            "langfuseBaseUrl",
            langfuseCredential,
            "pulumi config set langfuseBaseUrl https://cloud.langfuse.com (the keys are langfusePublicKey and langfuseSecretKey)",
        );
    }
    const refusedRegistry = registryCloudRunRefuses(image);
    if (ctx.enabled && !r.isSet("litellmImage")) {
        r.problem(
            "litellmImage",
            "is required with gcpRuntime: the LiteLLM image Cloud Run deploys",
            "pulumi config set litellmImage <region>-docker.pkg.dev/<project>/<repository>/berriai/litellm-database:main-v<version>-stable",
        );
    } else if (ctx.enabled && refusedRegistry !== undefined) {
        r.problem(
            "litellmImage",
            `Cloud Run pulls only from Artifact Registry, Container Registry or Docker Hub, not ${refusedRegistry}`,
            "mirror the image through an Artifact Registry remote repository and pulumi config set litellmImage <its path>",
        );
    }
    return Object.freeze({
        image,
        cpu,
        memory,
        minInstances,
        maxInstances,
        logLevel,
        ...(serviceAccount === "" ? {} : { serviceAccountEmail: serviceAccount }),
        invokers: Object.freeze(invokers),
        allowUnauthenticated,
        secretVersions,
        langfuseBaseUrl,
        iamPropagationSeconds,
    });
}

/**
 * Members that are anyone: `allUsers`, `allAuthenticatedUsers` (any Google account), and a
 * `domain:` of a public mail provider, where anyone can open an account.
 */
const PUBLIC_MAIL_DOMAINS = [
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "aol.com",
];
export function isPublicMember(member: string): boolean {
    const [kind, rest = ""] = member.split(/:(.*)/s);
    return (
        member === "allUsers" ||
        member === "allAuthenticatedUsers" ||
        (kind === "domain" && PUBLIC_MAIL_DOMAINS.includes(rest.toLowerCase()))
    );
}

/** What the runtime produces for derived contract rows: all of it when on, nothing when off. */
export const runtimeDerivations = (runtime: GcpRuntimeSettings): ReadonlySet<Derivation> => new Set(runtime.enabled ? DERIVATIONS : []);
