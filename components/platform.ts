/**
 * Wires the platform from validated config: values → backend → grants → consumers. Every
 * resource follows from the contract; nothing here names an individual secret.
 */
import * as pulumi from "@pulumi/pulumi";

import { StoredSecret, createBackend } from "./backends";
import { PlatformConfig, loadConfig } from "./config";
import { ActiveSecret, Consumer, SECRET_CONTRACT, activeSecrets } from "./contract";
import { AccessorGrants } from "./grants";
import { WorkloadServiceAccount } from "./identity";
import { SecretValues } from "./secrets";

/** Logical name of the principal that reads a consumer's secrets. */
export const principalOf = (consumer: Consumer): string =>
    consumer.kind === "cloudRunEnv" ? `cloudrun-${consumer.service}` : "external-secrets";

/** For each principal, the keys of exactly the secrets its consumers name, in contract order. */
export function grantsByPrincipal(active: readonly ActiveSecret[]): Map<string, string[]> {
    const byPrincipal = new Map<string, string[]>();
    for (const { spec, consumers } of active) {
        for (const principal of new Set(consumers.map(principalOf))) {
            byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), spec.key]);
        }
    }
    return byPrincipal;
}

export interface Platform {
    readonly config: PlatformConfig;
    readonly active: readonly ActiveSecret[];
    readonly stored: Readonly<Record<string, StoredSecret>>;
    readonly principals: Readonly<Record<string, WorkloadServiceAccount>>;
    readonly grants: Readonly<Record<string, AccessorGrants>>;
}

const PRINCIPAL_DESCRIPTIONS: Record<string, string> = {
    "external-secrets": "External Secrets Operator: reads the secrets Kubernetes workloads consume",
};

/** Builds the whole platform for the current stack. */
export function createPlatform(config: PlatformConfig = loadConfig()): Platform {
    const active = activeSecrets(SECRET_CONTRACT, config.features, config.targets);

    const values = new SecretValues("values", {
        secrets: active.map((a) => a.spec),
        rotations: config.rotations,
        provided: config.providedValues,
        settings: config.settingValues,
        bcryptCost: config.bcryptCost,
        protectPinned: config.dataProtection,
    });

    const backend = createBackend(config);
    const stored: Record<string, StoredSecret> = {};
    for (const { spec } of active) {
        stored[spec.key] = backend.store(spec, values.values[spec.key], {});
    }

    const principals: Record<string, WorkloadServiceAccount> = {};
    const grants: Record<string, AccessorGrants> = {};
    for (const [name, keys] of grantsByPrincipal(active)) {
        const principal = new WorkloadServiceAccount(name, {
            project: config.gcp.project,
            environment: config.environment,
            role: name,
            description: PRINCIPAL_DESCRIPTIONS[name] ?? `${name}: reads the secrets it consumes`,
        });
        principals[name] = principal;
        grants[name] = new AccessorGrants(`${name}-access`, {
            backend,
            principal,
            secrets: keys.map((k) => stored[k]),
        });
    }

    return { config, active, stored, principals, grants };
}

/** Stack outputs: names, ids and versions of secrets, never their values. */
export function stackOutputs(platform: Platform) {
    const secretIds: Record<string, pulumi.Output<string>> = {};
    const secretVersions: Record<string, pulumi.Output<string>> = {};
    for (const [key, s] of Object.entries(platform.stored)) {
        secretIds[key] = s.backendId;
        secretVersions[key] = s.version;
    }
    const principals: Record<string, pulumi.Output<string>> = {};
    for (const [name, p] of Object.entries(platform.principals)) {
        principals[name] = p.email;
    }
    const grants: Record<string, readonly string[]> = {};
    for (const [name, g] of Object.entries(platform.grants)) {
        grants[name] = g.secretKeys;
    }
    return {
        environment: pulumi.output(platform.config.environment),
        backend: pulumi.output(platform.config.backend),
        secretIds: pulumi.output(secretIds),
        secretVersions: pulumi.output(secretVersions),
        principals: pulumi.output(principals),
        grants: pulumi.output(grants),
    };
}
