import { PlatformSettings } from "../config";
import { awsSecretsManagerBackend } from "./awsSecretsManager";
import { SecretBackend } from "./backend";
import { gcpSecretManagerBackend } from "./gcpSecretManager";
import { BackendKind } from "./kinds";
import { kubernetesSourceBackend } from "./kubernetesSource";
import { vaultKvBackend } from "./vaultKv";

export * from "./awsSecretsManager";
export * from "./backend";
export * from "./contentVersion";
export * from "./gcpSecretManager";
export * from "./kinds";
export * from "./kubernetesSource";
export * from "./vaultKv";

/** Builds each backend from validated settings: adding a backend is one entry here. */
const FACTORIES: Record<BackendKind, (settings: PlatformSettings) => SecretBackend> = {
    "gcp-secret-manager": (s) =>
        gcpSecretManagerBackend({
            project: s.gcp.project,
            environment: s.environment,
            prefix: s.secretPrefix,
            replicationLocations: s.replicationLocations,
            dataProtection: s.dataProtection,
            access: s.backendAccess,
        }),
    "aws-secrets-manager": (s) =>
        awsSecretsManagerBackend({
            ...s.backends.aws,
            environment: s.environment,
            dataProtection: s.dataProtection,
            access: s.backendAccess,
        }),
    vault: (s) => vaultKvBackend({ ...s.backends.vault, environment: s.environment, dataProtection: s.dataProtection }),
    kubernetes: (s) =>
        kubernetesSourceBackend({ ...s.backends.kubernetesSource, environment: s.environment, dataProtection: s.dataProtection }),
};

export const createBackend = (settings: PlatformSettings): SecretBackend => FACTORIES[settings.backend](settings);
