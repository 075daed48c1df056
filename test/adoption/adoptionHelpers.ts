/**
 * What the adoption tests share: the guide's secret ids (from the hand transcription in
 * fixtures/seed-contract/cloud-run-env.yaml), the values its versions hold, and lookups.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { EvaluateOptions, Evaluation, RecordedResource, byType, evaluate, unwrap } from "../support/evaluate";
import { GCP_SECRET as SECRET, GCP_SECRET_VERSION as VERSION, GCP_SECRET_IAM_MEMBER as SECRET_IAM } from "../support/types";

export { SECRET, VERSION, SECRET_IAM };

export const STACK = "adopt-example";
export const PROJECT_ID = "llm-platform-adopt";

const guide = YAML.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "seed-contract", "cloud-run-env.yaml"), "utf8"));
/** The guide's secret ids (`gcloud secrets create <id>`), bare. */
export const GUIDE_IDS: string[] = Object.values<string>(guide.secrets).sort();

/** What the operator gives for each `secure:` entry: the value each existing version holds. */
export const LIVE: Record<string, string> = {
    adoptedDatabaseUrl: "postgresql://litellm:secure-password@10.1.2.3:5432/litellm",
    adoptedLitellmMasterKey: "sk-live-master-0001",
    adoptedLitellmSaltKey: "sk-live-salt-key-0001",
    adoptedUiPassword: "live-ui-password-0001",
    adoptedRedisHost: "10.1.2.4",
    adoptedRedisPassword: "live-redis-auth-0001",
    langfusePublicKey: "pk-lf-live-0001",
    langfuseSecretKey: "sk-lf-live-0001",
    context7ApiKey: "ctx7sk-live-0001",
    tavilyApiKey: "tvly-live-0001",
};
/** The guide's values by secret id, as `gcloud secrets versions access 1` shows them. */
export const LIVE_BY_ID: Record<string, string> = {
    "database-url": LIVE.adoptedDatabaseUrl,
    "litellm-master-key": LIVE.adoptedLitellmMasterKey,
    "litellm-salt-key": LIVE.adoptedLitellmSaltKey,
    "ui-username": "admin",
    "ui-password": LIVE.adoptedUiPassword,
    "redis-host": LIVE.adoptedRedisHost,
    "redis-password": LIVE.adoptedRedisPassword,
    "langfuse-public-key": LIVE.langfusePublicKey,
    "langfuse-secret-key": LIVE.langfuseSecretKey,
    "context7-api-key": LIVE.context7ApiKey,
    "tavily-api-key": LIVE.tavilyApiKey,
};
export const secureValue = (key: string): string => LIVE[key] ?? `unexpected-secure-${key}`;

/**
 * The Cloud Run guide's runtime adopted by name (docs/adoption.md): its Cloud SQL instance,
 * Memorystore and Cloud Run service. The guide's instances sit on the default network; its
 * instance has a public IP.
 */
export const ADOPTED_RUNTIME = {
    gcpRuntime: true,
    vpcNetwork: "default",
    vpcSubnetwork: "default",
    cloudSqlPrivateIp: false,
    redisTransitEncryption: false,
    adoptCloudSqlInstance: "litellm-db",
    adoptRedisInstance: "litellm-redis",
    adoptCloudRunService: "litellm-proxy",
};

/** Evaluates the example stack with the given values for its `secure:` entries. */
export const adopt = (extra: Partial<EvaluateOptions> = {}): Promise<Evaluation> => evaluate({ stack: STACK, secureValue, ...extra });

export const secretById = (e: Evaluation, id: string): RecordedResource | undefined =>
    byType(e, SECRET).find((r) => unwrap(r.inputs).secretId === id);
export const versionOf = (e: Evaluation, secret: RecordedResource): RecordedResource => {
    const v = e.resources.find((r) => r.type === VERSION && r.parent === secret.parent);
    assert.ok(v, `no version beside ${secret.name}`);
    return v;
};
