import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";

import { ConfigError, PlatformSettings } from "../config";
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

/** The stack's explicit providers a backend may write through. */
export interface BackendProviders {
    /** The stack's cluster; set when the kubernetes target is on. */
    readonly kubernetes?: KubernetesProvider;
}

/** Builds each backend from validated settings: adding a backend is one entry here. */
const FACTORIES: Record<BackendKind, (settings: PlatformSettings, providers: BackendProviders) => SecretBackend> = {
    "gcp-secret-manager": (s) =>
        gcpSecretManagerBackend({
            project: s.gcp.project,
            environment: s.environment,
            prefix: s.secretPrefix,
            replicationLocations: s.replicationLocations,
            dataProtection: s.dataProtection,
        }),
    "aws-secrets-manager": (s) =>
        awsSecretsManagerBackend({ ...s.backends.aws, environment: s.environment, dataProtection: s.dataProtection }),
    vault: (s) => vaultKvBackend({ ...s.backends.vault, environment: s.environment, dataProtection: s.dataProtection }),
    kubernetes: (s, p) => {
        // Config refuses this backend without the kubernetes target, whose provider the platform makes.
        if (p.kubernetes === undefined) {
            throw new ConfigError([{ key: "backend", message: '"kubernetes" needs the kubernetes target', fix: "add kubernetes to targets" }], s.stack);
        }
        return kubernetesSourceBackend(
            { ...s.backends.kubernetesSource, environment: s.environment, dataProtection: s.dataProtection },
            p.kubernetes,
        );
    },
};

export const createBackend = (settings: PlatformSettings, providers: BackendProviders = {}): SecretBackend =>
    FACTORIES[settings.backend](settings, providers);
