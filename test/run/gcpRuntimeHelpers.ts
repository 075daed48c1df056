/** Resource types and lookups shared by the GCP runtime tests. */
import { Evaluation, RecordedResource, findResource, unwrap } from "../support/evaluate";
import {
    GCP_SQL_INSTANCE as INSTANCE,
    GCP_SQL_DATABASE as DATABASE,
    GCP_SQL_USER as USER,
    GCP_REDIS_INSTANCE as REDIS,
    GCP_RUN_SERVICE as SERVICE,
    GCP_RUN_IAM_MEMBER as INVOKER,
    GCP_SECRET_VERSION as VERSION,
    GCP_SECRET_IAM_MEMBER as SECRET_IAM,
    GCP_PROJECT_IAM_MEMBER as PROJECT_IAM,
    GCP_NETWORK as NETWORK,
    GCP_SUBNETWORK as SUBNETWORK,
    GCP_GLOBAL_ADDRESS as ADDRESS,
    GCP_SERVICE_NETWORKING_CONNECTION as PEERING,
    GCP_SERVICE_ACCOUNT as ACCOUNT,
    RANDOM_PASSWORD as PASSWORD,
} from "../support/types";

export {
    INSTANCE,
    DATABASE,
    USER,
    REDIS,
    SERVICE,
    INVOKER,
    VERSION,
    SECRET_IAM,
    PROJECT_IAM,
    NETWORK,
    SUBNETWORK,
    ADDRESS,
    PEERING,
    ACCOUNT,
    PASSWORD,
};

export interface Env {
    name: string;
    value?: string;
    valueSource?: { secretKeyRef: { secret: string; version: string } };
}

export const serviceOf = (e: Evaluation): RecordedResource => findResource(e, SERVICE, "litellm");
export const envsOf = (e: Evaluation): Env[] => unwrap(serviceOf(e).inputs).template.containers[0].envs;
export const dataOf = (e: Evaluation, key: string): string => unwrap(findResource(e, VERSION, `${key}-version`).inputs.secretData);
export const secretIdOf = (e: Evaluation, key: string): string => (e.outputs.secretIds.value as Record<string, string>)[key];
export const versionOf = (e: Evaluation, key: string): string => (e.outputs.secretVersions.value as Record<string, string>)[key];

/** Env var → contract key, from the contract's Cloud Run consumers active in this stack. */
export function contractEnv(e: Evaluation): Map<string, string> {
    const env = new Map<string, string>();
    for (const { spec, consumers } of e.platform!.active) {
        for (const c of consumers) {
            if (c.kind === "cloudRunEnv" && c.service === "litellm") {
                env.set(c.env, spec.key);
            }
        }
    }
    return env;
}
