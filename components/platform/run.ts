/**
 * The GCP runtime wired from validated config: a private network, Cloud SQL and Memorystore
 * (whose outputs are what the contract's derived rows hold), then LiteLLM on Cloud Run with every
 * secret env var a reference to the Secret Manager version this program wrote.
 */
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";

import { existingPostgres, existingRedis } from "./adoption";
import { Principal, SecretBackend, StoredSecret } from "../backends/backend";
import { PlatformSettings } from "../config";
import { APP_KEYS, LITELLM_KEYS, cloudRunEnvOf, cloudRunEnvReads } from "../contract";
import { ActiveSecret } from "../contract/resolve";
import { Derivation } from "../contract/types";
import { Postgres, Redis } from "../data";
import { AccessorGrants, CloudSqlClientGrant, iamPropagationWait } from "../grants";
import { cloudRunServiceName, labelValue, redisInstanceName, sqlInstanceBaseName } from "../naming";
import { PrivateNetwork } from "../network";
import { AlternatingPassword } from "../secrets/alternatingPassword";
import { litellmProxyConfig } from "../litellm/proxyConfig";
import { secretId } from "../naming";
import { CloudRunService, SecretEnvVar } from "../run/cloudRunService";
import { ConfigFile } from "../run/configFile";

/** Logical name of the principal a Cloud Run service runs as and reads its secrets with. */
export const cloudRunPrincipalName = (service: string): string => `cloudrun-${service}`;

/** The Cloud Run service this runtime deploys. */
export const LITELLM_SERVICE = "litellm";

/** Where Cloud Run mounts LiteLLM's generated config; the chart uses the same path. */
export const LITELLM_CONFIG_DIR = "/etc/litellm";
const LITELLM_CONFIG_FILE = "config.yaml";
/** Contract key the master key is delivered under (its env var comes from the contract). */
const MASTER_KEY = LITELLM_KEYS.masterKey;

/** Contract rows the database is built from: the user, and the password it is created with. */
const DB_USERNAME_KEY = LITELLM_KEYS.dbUsername;
const DB_PASSWORD_KEY = LITELLM_KEYS.dbPassword;
/** The password of Grafana's read-only user on the same database (the platform guide's litellm-grafana-ro). */
const GRAFANA_RO_PASSWORD_KEY = APP_KEYS.grafanaReadOnlyPassword;

export interface GcpData {
    readonly network: PrivateNetwork;
    readonly postgres: Postgres;
    readonly redis: Redis;
    /** What the derived contract rows hold, by derivation; each a Pulumi secret. */
    readonly derivations: Readonly<Partial<Record<Derivation, pulumi.Output<string>>>>;
}

export interface GcpRuntime {
    readonly data: GcpData;
    readonly services: Readonly<Record<string, CloudRunService>>;
    readonly cloudSqlGrants: Readonly<Record<string, CloudSqlClientGrant>>;
}

const labelsOf = (config: PlatformSettings): Record<string, string> => ({
    environment: labelValue(config.environment),
    component: "litellm",
    "managed-by": "pulumi",
});

/**
 * Creates the network, Cloud SQL and Memorystore when the runtime is on (undefined when off).
 * When the database password alternates between two users (`alternating`), both become Cloud SQL
 * users and the URL names the active one.
 */
export function createGcpData(
    config: PlatformSettings,
    values: Readonly<Record<string, pulumi.Output<string>>>,
    alternating: Readonly<Record<string, AlternatingPassword>> = {},
    opts: pulumi.ComponentResourceOptions = {},
): GcpData | undefined {
    const rt = config.gcpRuntime;
    if (!rt.enabled) {
        return undefined;
    }
    const userName = values[DB_USERNAME_KEY];
    const password = values[DB_PASSWORD_KEY];
    if (userName === undefined || password === undefined) {
        throw new pulumi.RunError(`the GCP runtime needs ${DB_USERNAME_KEY} and ${DB_PASSWORD_KEY} from the contract`);
    }
    const { project, region } = config.gcp;
    const labels = labelsOf(config);

    const network = new PrivateNetwork(
        "network",
        {
            project,
            region,
            environment: config.environment,
            ...(rt.network.existing !== undefined
                ? { existing: rt.network.existing }
                : { subnetCidr: rt.network.subnetCidr, privateServiceAccess: rt.cloudSql.privateIp }),
        },
        opts,
    );
    const users = Object.values(alternating[DB_PASSWORD_KEY]?.users ?? {});
    const readOnlyUsers =
        values[GRAFANA_RO_PASSWORD_KEY] === undefined ? [] : [{ name: rt.cloudSql.grafanaUser, password: values[GRAFANA_RO_PASSWORD_KEY] }];
    // Existing instances (docs/adoption.md) are read by name instead of created.
    const login = { userName: pulumi.unsecret(userName), password, users, readOnlyUsers };
    const postgres: Postgres =
        existingPostgres("litellm-db", config, login, opts) ??
        new Postgres(
            "litellm-db",
            {
                project,
                region,
                instanceName: sqlInstanceBaseName(config.environment, "litellm"),
                databaseVersion: rt.cloudSql.databaseVersion,
                tier: rt.cloudSql.tier,
                edition: rt.cloudSql.edition,
                availabilityType: rt.cloudSql.availabilityType,
                databaseName: "litellm",
                // A setting, not a secret: the user's name need not be hidden in state.
                userName: pulumi.unsecret(userName),
                password,
                users,
                readOnlyUsers,
                ...(rt.cloudSql.privateIp ? { privateNetwork: network.privateServicesNetworkId } : {}),
                dataProtection: config.dataProtection,
                labels,
            },
            opts,
        );
    const redis: Redis =
        existingRedis("litellm-redis", config, opts) ??
        new Redis(
            "litellm-redis",
            {
                project,
                region,
                instanceName: redisInstanceName(config.environment, "litellm"),
                network: network.networkId,
                tier: rt.redis.tier,
                redisVersion: rt.redis.version,
                memorySizeGb: rt.redis.memorySizeGb,
                transitEncryption: rt.redis.transitEncryption,
                dataProtection: config.dataProtection,
                labels,
            },
            opts,
        );
    return {
        network,
        postgres,
        redis,
        derivations: {
            "cloud-sql-database-url": postgres.connectorUrl,
            "memorystore-host": pulumi.secret(redis.host),
            "memorystore-auth-string": redis.authString,
            "memorystore-url": redis.url,
        },
    };
}

/**
 * The secret env vars of one Cloud Run service, straight from the contract's `cloudRunEnv`
 * consumers: each reads the version this program wrote, or `latest` where config asks for it.
 */
export function cloudRunSecretEnv(
    active: readonly ActiveSecret[],
    stored: Readonly<Record<string, StoredSecret>>,
    backend: SecretBackend,
    service: string,
    versions: "pinned" | "latest",
): SecretEnvVar[] {
    return cloudRunEnvReads(active, service).map(({ spec, env }) => {
        const secret = stored[spec.key];
        if (secret === undefined) {
            throw new pulumi.RunError(`${spec.key} feeds ${service}'s ${env} but was not stored`);
        }
        const ref = backend.reference(secret);
        return { name: env, secret: ref.key, version: versions === "latest" ? "latest" : (ref.version ?? "latest") };
    });
}

export interface CloudRunWiring {
    readonly config: PlatformSettings;
    readonly active: readonly ActiveSecret[];
    readonly backend: SecretBackend;
    readonly stored: Readonly<Record<string, StoredSecret>>;
    readonly principals: Readonly<Record<string, Principal & { readonly email?: pulumi.Output<string> }>>;
    readonly grants: Readonly<Record<string, AccessorGrants>>;
    readonly data: GcpData;
    /** Options of every Google resource (waiting for the APIs). @default {} */
    readonly opts?: pulumi.ComponentResourceOptions;
}

/** LiteLLM on Cloud Run: runs as its own principal, after that principal's grants exist. */
export function createCloudRunServices(w: CloudRunWiring): Pick<GcpRuntime, "services" | "cloudSqlGrants"> {
    const { config, data } = w;
    const opts = w.opts ?? {};
    const rt = config.gcpRuntime.litellm;
    const principalName = cloudRunPrincipalName(LITELLM_SERVICE);
    const principal = w.principals[principalName];
    const grants = w.grants[principalName];
    if (principal?.email === undefined || grants === undefined) {
        throw new pulumi.RunError(
            `${principalName} has no service account or grants: does the contract name any ${LITELLM_SERVICE} env var?`,
        );
    }
    const cloudSql = new CloudSqlClientGrant(
        `${principalName}-cloudsql-client`,
        {
            project: config.gcp.project,
            principal,
            instanceName: data.postgres.instanceName,
        },
        opts,
    );
    const plainEnv: Record<string, pulumi.Input<string>> = {
        // LiteLLM keeps models added in its UI in the database instead of its config file.
        STORE_MODEL_IN_DB: "True",
        LITELLM_LOG: rt.logLevel,
        REDIS_PORT: data.redis.port.apply(String),
        // LiteLLM hands REDIS_<ARG> variables to the Redis client: TLS, trusting Memorystore's CA.
        ...(data.redis.tls ? { REDIS_SSL: "True", REDIS_SSL_CA_DATA: data.redis.serverCa } : {}),
        ...(config.features.has("langfuse") ? { LANGFUSE_BASE_URL: rt.langfuseBaseUrl } : {}),
    };
    // LiteLLM's config, generated from what the contract delivers to this service, mounted as a
    // file and named with --config (BerriAI/litellm litellm/proxy/proxy_cli.py; the image's
    // ENTRYPOINT docker/prod_entrypoint.sh passes its arguments on, CMD being ["--port", "4000"]).
    const envOf = (specKey: string): string | undefined => cloudRunEnvOf(w.active, specKey, LITELLM_SERVICE);
    const masterKeyEnv = envOf(MASTER_KEY);
    if (masterKeyEnv === undefined) {
        throw new pulumi.RunError(`the contract gives ${LITELLM_SERVICE} no env var for ${MASTER_KEY}`);
    }
    const proxyConfig = litellmProxyConfig({
        envOf,
        masterKeyEnv,
        ...(config.litellmProxy.vllm === undefined ? {} : { vllm: config.litellmProxy.vllm }),
        redisCache: envOf(LITELLM_KEYS.redisHost) !== undefined,
    });
    const configFile = new ConfigFile(
        `${LITELLM_SERVICE}-config`,
        {
            project: config.gcp.project,
            secretId: secretId(config.secretPrefix, `${LITELLM_SERVICE}-config`),
            content: YAML.stringify(proxyConfig),
            reader: principal.member,
            replicationLocations: config.replicationLocations,
            environment: config.environment,
            component: LITELLM_SERVICE,
            dataProtection: config.dataProtection,
        },
        opts,
    );
    const grantsReady = [...grants.grants, cloudSql, configFile.grant];
    const propagation = iamPropagationWait(
        principalName,
        rt.iamPropagationSeconds,
        { member: principal.member, secretKeys: grants.secretKeys, instance: data.postgres.instanceName },
        grantsReady,
    );
    const litellm = new CloudRunService(
        LITELLM_SERVICE,
        {
            project: config.gcp.project,
            region: config.gcp.region,
            serviceName: config.adoption.runtime.cloudRunService ?? cloudRunServiceName(config.environment, LITELLM_SERVICE),
            adoptExisting: config.adoption.runtime.cloudRunService !== undefined,
            image: rt.image,
            serviceAccountEmail: principal.email,
            secretEnv: cloudRunSecretEnv(w.active, w.stored, w.backend, LITELLM_SERVICE, rt.secretVersions),
            plainEnv,
            cloudSqlInstances: [data.postgres.connectionName],
            vpc: { network: data.network.networkId, subnetwork: data.network.subnetworkId },
            files: [
                { mountPath: LITELLM_CONFIG_DIR, fileName: LITELLM_CONFIG_FILE, secret: configFile.secret, version: configFile.version },
            ],
            args: ["--port", "4000", "--config", `${LITELLM_CONFIG_DIR}/${LITELLM_CONFIG_FILE}`],
            waitFor: [...grantsReady, ...propagation],
            cpu: rt.cpu,
            memory: rt.memory,
            minInstances: rt.minInstances,
            maxInstances: rt.maxInstances,
            invokers: rt.invokers,
            allowUnauthenticated: rt.allowUnauthenticated,
            labels: labelsOf(config),
        },
        opts,
    );
    return { services: { [LITELLM_SERVICE]: litellm }, cloudSqlGrants: { [principalName]: cloudSql } };
}

/**
 * An existing service account a Cloud Run principal adopts instead of creating one, if configured.
 * It applies with or without the runtime: a service deployed elsewhere reads its secrets as it too.
 */
export const adoptedServiceAccount = (config: PlatformSettings, principalName: string): string | undefined =>
    principalName === cloudRunPrincipalName(LITELLM_SERVICE) ? config.gcpRuntime.litellm.serviceAccountEmail : undefined;
