import { PlatformSettings } from "../config";
import { SecretBackend } from "./backend";
import { gcpSecretManagerBackend } from "./gcpSecretManager";
import { BackendKind } from "./kinds";

export * from "./backend";
export * from "./gcpSecretManager";
export * from "./kinds";

/** Builds each backend from validated settings: adding a backend is one entry here. */
const FACTORIES: Record<BackendKind, (settings: PlatformSettings) => SecretBackend> = {
    "gcp-secret-manager": (s) =>
        gcpSecretManagerBackend({
            project: s.gcp.project,
            environment: s.environment,
            prefix: s.secretPrefix,
            replicationLocations: s.replicationLocations,
            dataProtection: s.dataProtection,
        }),
};

export const createBackend = (settings: PlatformSettings): SecretBackend => FACTORIES[settings.backend](settings);
