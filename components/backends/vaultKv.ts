import * as pulumi from "@pulumi/pulumi";
import * as kubernetes from "@pulumi/vault/kubernetes";
import * as kv from "@pulumi/vault/kv";
import { Policy } from "@pulumi/vault/policy";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import { vaultPolicyName, vaultSecretPath } from "../naming";
import { Principal, SecretBackend, SecretReference, StoreAccess, StoreReader, StoredSecret } from "./backend";
import { VersionKey, keyedVersion } from "./contentVersion";

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

export interface VaultKvSecretArgs extends VaultKvSettings {
    readonly spec: SecretSpec;
    /** The value to store; must be a Pulumi secret. */
    readonly value: pulumi.Input<string>;
    /** The stack's `VersionKey`: `version` is a keyed digest of the value. */
    readonly versionKey: pulumi.Input<string>;
    /**
     * Import this existing entry (`id`: its path below the mount) instead of creating it. It
     * must already keep its value as `{"value": ...}`.
     * @default undefined (create)
     */
    readonly adopt?: BackendAdoption;
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

/** One KV v2 entry holding `{"value": ...}`. */
export class VaultKvSecret extends pulumi.ComponentResource implements StoredSecret {
    public readonly key: string;
    /** `<mount>/<path>/<key>`, as `vault kv get` takes it. */
    public readonly backendId: pulumi.Output<string>;
    /**
     * Keyed digest of the value (`contentVersion`): known before Vault answers, so a preview can tell
     * which consumers a rotation rolls. ExternalSecrets pin `kvVersion`.
     */
    public readonly version: pulumi.Output<string>;
    /** KV version number Vault gave the value this program wrote. */
    public readonly kvVersion: pulumi.Output<string>;
    /** Path below the mount (the key's, or an adopted entry's own). */
    public readonly path: string;
    public readonly dependencies: readonly pulumi.Resource[];

    constructor(name: string, args: VaultKvSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:vault:Secret", name, {}, opts);
        this.key = args.spec.key;
        const adopt = args.adopt;
        const path = adopt?.id ?? vaultSecretPath(args.path, args.spec.key);
        this.path = path;
        const entry = new kv.SecretV2(
            name,
            {
                mount: args.mount,
                name: path,
                dataJson: pulumi.secret(pulumi.output(args.value).apply((v) => JSON.stringify({ [VAULT_VALUE_PROPERTY]: v }))),
                // Deleting only marks the latest version deleted where data must stay; a
                // disposable stack removes every version.
                deleteAllVersions: !args.dataProtection,
                customMetadata: {
                    data:
                        adopt !== undefined
                            ? { ...adopt.labels }
                            : { environment: args.environment, component: args.spec.component, "managed-by": "pulumi" },
                },
            },
            {
                parent: this,
                protect: args.dataProtection,
                // One resource holds every KV version: the import reads the current data and
                // compares it with dataJson. deleteAllVersions is provider-side.
                ...(adopt === undefined
                    ? {}
                    : { import: `${args.mount}/data/${path}`, ignoreChanges: ["deleteAllVersions"], retainOnDelete: true }),
            },
        );
        this.backendId = pulumi.output(`${args.mount}/${path}`);
        this.version = keyedVersion(args.versionKey, args.value);
        // Metadata is read back from Vault after each write; absent only before the first one.
        this.kvVersion = entry.metadata.apply((m) => m?.version ?? "");
        this.dependencies = [entry];
        this.registerOutputs({ backendId: this.backendId, version: this.version, kvVersion: this.kvVersion });
    }
}

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
    let versionKey: pulumi.Output<string> | undefined;
    return {
        kind: "vault",
        store(
            spec: SecretSpec,
            value: pulumi.Output<string>,
            opts: pulumi.ComponentResourceOptions,
            adopt?: BackendAdoption,
        ): VaultKvSecret {
            versionKey ??= new VersionKey("secret-version-key").key;
            return new VaultKvSecret(spec.key, { ...settings, spec, value, adopt, versionKey }, opts);
        },
        grantRead(name: string, principal: Principal, secrets: readonly VaultKvSecret[], opts: pulumi.CustomResourceOptions) {
            if (secrets.length === 0) {
                return [];
            }
            // Each entry's path (an adopted one keeps its own) is known before any write.
            return [
                new Policy(
                    name,
                    { name: principal.member, policy: vaultReadPolicy(secrets.map((s) => kvDataPath(settings.mount, s.path))) },
                    opts,
                ),
            ];
        },
        reference(secret: VaultKvSecret): SecretReference {
            // ESO puts the store's mount (and `data/`) in front of the key itself.
            return {
                key: secret.path,
                property: VAULT_VALUE_PROPERTY,
                version: secret.kvVersion,
            };
        },
        storeAccess(name: string, reader: StoreReader, opts: pulumi.ComponentResourceOptions): StoreAccess {
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
                serviceAccountAnnotations: {},
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
                operatorSecrets: [],
            };
        },
    };
}
