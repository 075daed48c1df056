import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/vault/kubernetes";
import * as kv from "@pulumi/vault/kv";
import { Policy } from "@pulumi/vault/policy";

import { vaultPolicyName, vaultSecretPath } from "../naming";
import { Principal, SecretBackend, StoreReader } from "./backend";
import { Stored, defineBackend, jsonEntry } from "./base";
import { keyedVersion } from "./contentVersion";

/** Settings of the Vault KV v2 backend, from validated stack config. */
export interface VaultKvSettings {
    readonly environment: string;
    /** Vault's address as ESO reaches it. */
    readonly address: string;
    /** Path of the KV v2 mount (it exists already; this program writes entries, not mounts). */
    readonly mount: string;
    /** Entries live at `<mount>/<path>/<key>`. */
    readonly path: string;
    /** Mount path of the Kubernetes auth method configured for ESO's cluster. */
    readonly kubernetesAuthPath: string;
    /** Prefix of the Kubernetes auth roles the stores log in with: one per namespace, `<role>-<namespace>`. */
    readonly role: string;
    /** Audience of the token ESO presents; the role accepts only this one. */
    readonly audience: string;
    /** Keep every version when an entry is deleted, and protect entries (Pulumi `protect`). */
    readonly dataProtection: boolean;
}

/** The key each entry keeps its value under, which ExternalSecrets name as `property`. */
export const VAULT_VALUE_PROPERTY = "value";

/**
 * Lifetime of the token ESO's login gets. Short: ESO logs in again on each sync, and a leaked
 * token is useless quickly.
 */
const TOKEN_TTL_SECONDS = 15 * 60;

/** KV v2 API path of an entry, as Vault policies name it (`<mount>/data/<path>`). */
export const kvDataPath = (mount: string, path: string): string => `${mount}/data/${path}`;

/**
 * One KV v2 entry holding `{"value": ...}`: `backendId` is `<mount>/<path>/<key>` (as `vault kv
 * get` takes it); `version` a keyed digest of the value (`contentVersion`), known before Vault
 * answers, so a preview can tell which consumers a rotation rolls; `kvVersion` the KV version
 * number Vault gave the value this program wrote (ExternalSecrets pin it); `path` the entry's path
 * below the mount (the key's, or an adopted entry's own).
 */
export type VaultKvSecret = Stored<{ kvVersion: pulumi.Output<string>; path: string }>;

/** A Vault policy that reads exactly `dataPaths` (KV v2 API paths) and nothing else. */
export function vaultReadPolicy(dataPaths: readonly string[]): string {
    return dataPaths.map((p) => `path "${p}" {\n  capabilities = ["read"]\n}\n`).join("\n");
}

export interface VaultKubernetesRoleArgs {
    readonly environment: string;
    readonly kubernetesAuthPath: string;
    readonly role: string;
    readonly audience: string;
    /** The only Kubernetes service account that may log in with the role. */
    readonly reader: StoreReader;
}

/**
 * A Kubernetes auth role bound to one service account: a principal for grants. Its tokens carry
 * one policy, named after the principal, which `grantRead` writes.
 */
export class VaultKubernetesRole extends pulumi.ComponentResource implements Principal {
    /** The policy the role's tokens carry. */
    public readonly member: string;
    public readonly roleName: pulumi.Output<string>;

    constructor(
        readonly name: string,
        args: VaultKubernetesRoleArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("llm-platform-secrets:vault:KubernetesRole", name, {}, opts);
        this.member = vaultPolicyName(args.environment, name);
        const role = new kubernetes.AuthBackendRole(
            name,
            {
                backend: args.kubernetesAuthPath,
                roleName: args.role,
                boundServiceAccountNames: [args.reader.serviceAccountName],
                boundServiceAccountNamespaces: [args.reader.namespace],
                audience: args.audience,
                tokenPolicies: [this.member],
                tokenTtl: TOKEN_TTL_SECONDS,
                tokenMaxTtl: TOKEN_TTL_SECONDS,
            },
            { parent: this },
        );
        this.roleName = role.roleName;
        this.registerOutputs({ member: this.member, roleName: this.roleName });
    }
}

/** The Kubernetes auth role of one namespace's store: `<prefix>-<namespace>` (Vault allows 128 characters). */
export const vaultRoleName = (prefix: string, namespace: string): string => `${prefix}-${namespace}`.slice(0, 128);

/** HashiCorp Vault KV v2 behind the backend interface. */
export function vaultKvBackend(settings: VaultKvSettings): SecretBackend<VaultKvSecret> {
    return defineBackend({
        kind: "vault",
        secretType: "llm-platform-secrets:vault:Secret",
        dataProtection: settings.dataProtection,
        // An adopted entry's id is its path below the mount.
        idOf: (key) => vaultSecretPath(settings.path, key),
        write({ spec, value, id: path, kept, labels, versionKey }) {
            const entry = new kv.SecretV2(
                spec.key,
                {
                    mount: settings.mount,
                    name: path,
                    dataJson: jsonEntry(VAULT_VALUE_PROPERTY, value),
                    // Deleting only marks the latest version deleted where data must stay; a
                    // disposable stack removes every version.
                    deleteAllVersions: !settings.dataProtection,
                    customMetadata: {
                        data: labels({ environment: settings.environment, component: spec.component, "managed-by": "pulumi" }),
                    },
                },
                // One resource holds every KV version: the import reads the current data and
                // compares it with dataJson. deleteAllVersions is provider-side.
                kept(`${settings.mount}/data/${path}`, { ignoreChanges: ["deleteAllVersions"] }),
            );
            return {
                backendId: pulumi.output(`${settings.mount}/${path}`),
                version: keyedVersion(versionKey(), value),
                // Metadata is read back from Vault after each write; absent only before the first one.
                kvVersion: entry.metadata.apply((m) => m?.version ?? ""),
                path,
                dependencies: [entry],
            };
        },
        grant(name, principal, secrets, opts) {
            // Each entry's path (an adopted one keeps its own) is known before any write.
            return [
                new Policy(
                    name,
                    { name: principal.member, policy: vaultReadPolicy(secrets.map((s) => kvDataPath(settings.mount, s.path))) },
                    opts,
                ),
            ];
        },
        reference(secret) {
            // ESO puts the store's mount (and `data/`) in front of the key itself.
            return {
                key: secret.path,
                property: VAULT_VALUE_PROPERTY,
                version: secret.kvVersion,
            };
        },
        storeAccess(name, reader, opts) {
            const role = new VaultKubernetesRole(
                name,
                {
                    environment: settings.environment,
                    kubernetesAuthPath: settings.kubernetesAuthPath,
                    role: vaultRoleName(settings.role, reader.namespace),
                    audience: settings.audience,
                    reader,
                },
                opts,
            );
            return {
                principal: role,
                storeProvider: {
                    vault: {
                        server: settings.address,
                        path: settings.mount,
                        version: "v2",
                        auth: {
                            kubernetes: {
                                mountPath: settings.kubernetesAuthPath,
                                role: role.roleName,
                                // A namespaced store names no namespace: ESO uses the store's own.
                                serviceAccountRef: { name: reader.serviceAccountName, audiences: [settings.audience] },
                            },
                        },
                    },
                },
            };
        },
    });
}
