/**
 * Stack config of the Kubernetes target: the cluster, External Secrets Operator, the Helm charts
 * this program installs, and the URLs of services whose passwords the contract holds.
 */
import { activeUrlConfigKeys, readsOnKubernetes, urlPasswordReads } from "../contract/queries";
import { activeSecrets } from "../contract/resolve";
import { Feature, SecretSpec, Target } from "../contract/types";
import { EndpointUrl, credentialInUrl, isPort, parseEndpointUrl } from "./endpointUrl";
import { K8S_NAME, POSTGRES_DATABASE } from "./patterns";
import { ConfigReader } from "./reader";
import { SERVICE_URL_SCHEMES } from "./serviceUrls";
import type { ChartLocation } from "../k8s/helmRelease";

export type { ChartLocation };

/** Pulumi.yaml's section of these keys. */
export const KUBERNETES_AREA = "Kubernetes and External Secrets";

export interface KubernetesSettings {
    /** External Secrets Operator's namespace and service account. */
    readonly externalSecrets: { readonly namespace: string; readonly serviceAccountName: string };
    /** kubeconfig context and cluster; undefined means the kubeconfig's current ones. */
    readonly context?: string;
    readonly cluster?: string;
    /** Version of the `external-secrets` chart. */
    readonly esoChartVersion: string;
    /** How often ESO re-reads each secret (a Go duration). */
    readonly refreshInterval: string;
    readonly litellm: {
        readonly chartVersion: string;
        /** Database host (`host[:port]`); undefined until configured or wired from Cloud SQL. */
        readonly dbEndpoint?: string;
        readonly dbName: string;
    };
    readonly llmtrace: {
        /** Undefined when LLMTrace is not installed (feature or target off). */
        readonly chart?: ChartLocation;
        readonly chartVersion: string;
    };
    /** URLs without their passwords, by config key (the contract's `urlPassword` consumers). */
    readonly urls: Readonly<Record<string, EndpointUrl>>;
}

const SEMVER = {
    pattern: /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/,
    rule: "a pinned chart version such as 1.2.3",
};

/** Reads the Kubernetes keys; problems go to the reader. */
export function readKubernetes(
    reader: ConfigReader,
    ctx: {
        readonly contract: readonly SecretSpec[];
        readonly features: ReadonlySet<Feature>;
        readonly targets: ReadonlySet<Target>;
        /** The GCP runtime's database and network, when the runtime is on. */
        readonly runtime?: {
            readonly cloudSqlPrivateIp: boolean;
            /** The platform VPC is adopted (vpcNetwork), not created here. */
            readonly networkAdopted: boolean;
        };
    },
): KubernetesSettings {
    const r = reader.inArea(KUBERNETES_AREA);
    const k8sName = { ...K8S_NAME, example: "external-secrets" };
    const esoNamespace = r.string("esoNamespace", "external-secrets", k8sName);
    const esoServiceAccount = r.string("esoServiceAccount", "external-secrets", k8sName);
    const noSpaces = { pattern: /^\S*$/, rule: "no spaces" };
    const context = r.string("kubeContext", "", { ...noSpaces, example: "gke_my-project_europe-west4_llm" });
    const cluster = r.string("kubeCluster", "", { ...noSpaces, example: "gke_my-project_europe-west4_llm" });
    const esoChartVersion = r.string("esoChartVersion", "2.9.0", { ...SEMVER, example: "2.9.0" });
    const refreshInterval = r.string("esoRefreshInterval", "1h", {
        pattern: /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/,
        rule: "a Go duration such as 1h, 30m or 1h30m",
        example: "1h",
    });
    const litellmChartVersion = r.string("litellmChartVersion", "1.84.0", { ...SEMVER, example: "1.84.0" });
    const dbEndpoint = r.string("litellmDbEndpoint", "", {
        pattern: /^([A-Za-z0-9.-]+(:[0-9]{1,5})?)?$/,
        rule: "a host name or address, optionally with :port",
        example: "10.10.0.3",
    });
    const dbName = r.string("litellmDbName", "litellm", { ...POSTGRES_DATABASE, example: "litellm" });
    const llmtraceChartRaw = r.string("llmtraceChart", "", {
        ...noSpaces,
        example: "oci://europe-west4-docker.pkg.dev/my-project/charts/llmtrace",
    });
    const endpointPort = /:([0-9]+)$/.exec(dbEndpoint)?.[1];
    if (endpointPort !== undefined && !isPort(endpointPort)) {
        r.problem("litellmDbEndpoint", `port ${endpointPort} is outside 1 to 65535`, "pulumi config set litellmDbEndpoint <host>:5432");
    }
    // A chart repository URL may carry basic-auth credentials or a token: never in config.
    const chartCredential =
        /^https?:\/\//.test(llmtraceChartRaw) && URL.canParse(llmtraceChartRaw) ? credentialInUrl(new URL(llmtraceChartRaw)) : undefined;
    if (chartCredential !== undefined) {
        r.problem(
            "llmtraceChart",
            chartCredential,
            "pulumi config set llmtraceChart <repository URL without credentials> (log Helm in to the registry instead)",
        );
    }
    const llmtraceChartVersion = r.string("llmtraceChartVersion", "0.1.0", { ...SEMVER, example: "0.1.0" });

    const active = activeSecrets(ctx.contract, ctx.features, ctx.targets);
    const installsLitellm = readsOnKubernetes(active, "litellm");
    if (installsLitellm) {
        checkLitellmDatabaseTopology(r, dbEndpoint, ctx.runtime);
        // With the runtime on, its own check asks for the image already.
        if (ctx.runtime === undefined && !r.isSet("litellmImage")) {
            r.problem(
                "litellmImage",
                "is required with LiteLLM on Kubernetes: the chart runs this pinned image (image.repository and image.tag), the same one Cloud Run runs",
                "pulumi config set litellmImage <registry>/berriai/litellm-database:main-v<version>-stable",
            );
        }
    }
    // Consumers are active only with their target on: these imply the kubernetes target.
    const installsLlmtrace = readsOnKubernetes(active, "llmtrace");
    if (installsLlmtrace && llmtraceChartRaw === "") {
        r.problem(
            "llmtraceChart",
            "LLMTrace is installed (feature llmtrace, target kubernetes) but its chart is not published to a repository",
            "pulumi config set llmtraceChart <oci://registry/path/llmtrace | https://charts.example.com | ./charts/llmtrace>",
        );
    }

    // URL keys are declared for every urlPassword consumer of the contract, and required when it is active.
    const urls: Record<string, EndpointUrl> = {};
    const neededUrls = activeUrlConfigKeys(active);
    for (const { spec, format } of urlPasswordReads(ctx.contract)) {
        if (r.declared.has(format.urlConfigKey)) {
            continue;
        }
        const key = format.urlConfigKey;
        const raw = r.string(key, "");
        const needed = neededUrls.has(key);
        const fix = `pulumi config set ${key} <URL of ${format.description}, without its password>`;
        if (raw === "") {
            if (needed) {
                r.problem(key, `${spec.key} is the password of ${format.description}, whose URL is not set`, fix);
            }
            continue;
        }
        const parsed = parseEndpointUrl(raw);
        const schemes = SERVICE_URL_SCHEMES[key];
        if ("error" in parsed) {
            r.problem(key, `"${raw}" ${parsed.error}`, fix);
        } else if (schemes !== undefined && !schemes.schemes.includes(parsed.scheme)) {
            r.problem(
                key,
                `scheme ${parsed.scheme}:// is not supported: ${schemes.why}`,
                `pulumi config set ${key} ${schemes.schemes[0]}://<user@host:port of a listener it supports> (docs/kubernetes.md, "LLMTrace's URLs")`,
            );
        } else {
            urls[key] = parsed;
        }
    }

    return Object.freeze({
        externalSecrets: Object.freeze({ namespace: esoNamespace, serviceAccountName: esoServiceAccount }),
        ...(context === "" ? {} : { context }),
        ...(cluster === "" ? {} : { cluster }),
        esoChartVersion,
        refreshInterval,
        litellm: Object.freeze({
            chartVersion: litellmChartVersion,
            ...(dbEndpoint === "" ? {} : { dbEndpoint }),
            dbName,
        }),
        llmtrace: Object.freeze({
            ...(installsLlmtrace && llmtraceChartRaw !== "" ? { chart: chartLocation(llmtraceChartRaw, "llmtrace") } : {}),
            chartVersion: llmtraceChartVersion,
        }),
        urls: Object.freeze(urls),
    });
}

/**
 * LiteLLM on the cluster must reach a database that knows the users and passwords this program
 * generates and rotates. With the GCP runtime on, that is its own Cloud SQL instance (the only
 * server it creates the alternating users on), reached on its private IP; the chart runs no Cloud
 * SQL connector, so a public IP without authorized networks is closed to it. Cloud SQL's private
 * IP lives in the service producer's network, peered to the VPC holding private service access;
 * "VPC Network Peering does not provide transitive routing" (cloud.google.com/vpc/docs/vpc-peering,
 * Specifications), so a cluster on another VPC peered with a VPC created here cannot reach it. The
 * one coherent topology: the platform network is the cluster's own VPC (vpcNetwork/vpcSubnetwork
 * adopted), with private service access on it. With the runtime off, litellmDbEndpoint names a
 * server outside this program, whose users its operator creates from the stored values.
 */
function checkLitellmDatabaseTopology(
    r: ConfigReader,
    dbEndpoint: string,
    runtime: { readonly cloudSqlPrivateIp: boolean; readonly networkAdopted: boolean } | undefined,
): void {
    if (runtime === undefined) {
        if (dbEndpoint === "") {
            r.problem(
                "litellmDbEndpoint",
                "LiteLLM on Kubernetes needs the host of its PostgreSQL database",
                "pulumi config set litellmDbEndpoint <host[:port]>, or turn on gcpRuntime (its Cloud SQL on the cluster's VPC)",
            );
        }
        return;
    }
    if (dbEndpoint !== "") {
        r.problem(
            "litellmDbEndpoint",
            `with gcpRuntime on, LiteLLM's users and passwords are created and rotated only on the program's Cloud SQL instance; a server at ${dbEndpoint} never receives them`,
            "pulumi config rm litellmDbEndpoint (the cluster's LiteLLM then uses the Cloud SQL private IP)",
        );
    }
    if (!runtime.cloudSqlPrivateIp) {
        r.problem(
            "cloudSqlPrivateIp",
            "LiteLLM on Kubernetes reaches Cloud SQL only on a private IP: a public IP has no authorized networks and the chart runs no Cloud SQL connector",
            "pulumi config set cloudSqlPrivateIp true, with vpcNetwork and vpcSubnetwork naming the cluster's VPC (docs/deploy.md)",
        );
    } else if (!runtime.networkAdopted) {
        r.problem(
            "vpcNetwork",
            "LiteLLM on Kubernetes cannot reach Cloud SQL's private IP on a VPC this program creates: the cluster is on its own VPC, and VPC peering is not transitive",
            "pulumi config set vpcNetwork <the cluster's VPC network> and vpcSubnetwork <a subnetwork of it in gcpRegion for Cloud Run>, with private service access on that VPC (docs/deploy.md)",
        );
    }
}

/** `oci://…` and paths are chart references; an http(s) URL is a repository holding `name`. */
export function chartLocation(raw: string, name: string): ChartLocation {
    return /^https?:\/\//.test(raw) ? { kind: "repository", repo: raw, chart: name } : { kind: "reference", chart: raw };
}
