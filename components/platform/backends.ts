/**
 * The backend factory: builds the stack's secret backend from validated settings. It lives with
 * the orchestration so the backends folder depends on no config.
 */
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";

import {
    BackendKind,
    SecretBackend,
    awsSecretsManagerBackend,
    gcpSecretManagerBackend,
    kubernetesSourceBackend,
    vaultKvBackend,
} from "../backends";
import { ConfigError, PlatformSettings } from "../config";
import type { RotationReminderTarget } from "../monitoring/rotationReminders";

/** What the platform builds before the backend, for it to use. */
export interface BackendContext {
    /** The stack's cluster (explicit provider); set when the kubernetes target is on. */
    readonly kubernetes?: KubernetesProvider;
    /** Secret Manager's rotation schedule for provided values; set when the stack has alerts. */
    readonly rotationReminder?: RotationReminderTarget;
}

/** Builds each backend from validated settings: adding a backend is one entry here. */
const FACTORIES: Record<BackendKind, (settings: PlatformSettings, providers: BackendContext) => SecretBackend> = {
    "gcp-secret-manager": (s, c) =>
        gcpSecretManagerBackend({
            project: s.gcp.project,
            environment: s.environment,
            prefix: s.secretPrefix,
            replicationLocations: s.replicationLocations,
            dataProtection: s.dataProtection,
            ...(c.rotationReminder === undefined ? {} : { rotationReminder: c.rotationReminder }),
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
    kubernetes: (s, c) => {
        // Config refuses this backend without the kubernetes target, whose provider the platform makes.
        if (c.kubernetes === undefined) {
            throw new ConfigError(
                [{ key: "backend", message: '"kubernetes" needs the kubernetes target', fix: "add kubernetes to targets" }],
                s.stack,
            );
        }
        return kubernetesSourceBackend(
            { ...s.backends.kubernetesSource, environment: s.environment, dataProtection: s.dataProtection },
            c.kubernetes,
        );
    },
};

export const createBackend = (settings: PlatformSettings, context: BackendContext = {}): SecretBackend =>
    FACTORIES[settings.backend](settings, context);
