/**
 * Every policy of the pack, as a plain array. The pack's entry point (`index.ts`) builds the
 * PolicyPack from it; tests import this file and call each policy directly (constructing a
 * PolicyPack starts a gRPC server, so nothing else may import `index.ts`).
 */
import { Policies } from "./common";
import { cloudRunNotPublic, cloudRunSecretsPinned, cloudSqlProdSafeguards, memorystoreAuthAndTls, prodDataProtected } from "./gcp";
import { secretManagerAuditLogs, secretManagerGrantsPerSecret } from "./iam";
import { externalSecretsApiV1, helmSubchartCredentials } from "./kubernetes";
import { credentialsByReference, noSecretValuesOutsideSinks } from "./secrets";

export * from "./common";
export * from "./detect";
export * from "./gcp";
export * from "./iam";
export * from "./kubernetes";
export * from "./secrets";

export const PACK_NAME = "llm-platform-secrets-guardrails";

export const POLICIES: Policies = [
    noSecretValuesOutsideSinks,
    credentialsByReference,
    secretManagerGrantsPerSecret,
    secretManagerAuditLogs,
    cloudRunSecretsPinned,
    cloudRunNotPublic,
    cloudSqlProdSafeguards,
    memorystoreAuthAndTls,
    prodDataProtected,
    helmSubchartCredentials,
    externalSecretsApiV1,
];
