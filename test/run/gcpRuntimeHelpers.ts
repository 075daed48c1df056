/** Resource types and lookups shared by the GCP runtime tests. */
import { Evaluation, RecordedResource, findResource, unwrap } from "../support/evaluate";

export const INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance";
export const DATABASE = "gcp:sql/database:Database";
export const USER = "gcp:sql/user:User";
export const REDIS = "gcp:redis/instance:Instance";
export const SERVICE = "gcp:cloudrunv2/service:Service";
export const INVOKER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
export const VERSION = "gcp:secretmanager/secretVersion:SecretVersion";
export const SECRET_IAM = "gcp:secretmanager/secretIamMember:SecretIamMember";
export const PROJECT_IAM = "gcp:projects/iAMMember:IAMMember";
export const NETWORK = "gcp:compute/network:Network";
export const SUBNETWORK = "gcp:compute/subnetwork:Subnetwork";
export const ADDRESS = "gcp:compute/globalAddress:GlobalAddress";
export const PEERING = "gcp:servicenetworking/connection:Connection";
export const ACCOUNT = "gcp:serviceaccount/account:Account";
export const PASSWORD = "random:index/randomPassword:RandomPassword";

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
