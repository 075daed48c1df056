import * as pulumi from "@pulumi/pulumi";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import type { Principal } from "../identity/principal";
import { BackendKind } from "./kinds";

export type { Principal };

/** One secret as a backend holds it. */
export interface StoredSecret {
    readonly key: string;
    /** The backend's own id: a Secret Manager secret id, an AWS secret name, a Vault path, a Secret name. */
    readonly backendId: pulumi.Output<string>;
    /**
     * The version this program wrote; consumers key rollouts on it so a rotation rolls them. Where
     * the backend numbers versions only after the write (Vault) or not at all (Kubernetes), a
     * keyed digest of the value (`contentVersion`), so it changes exactly when the value does.
     */
    readonly version: pulumi.Output<string>;
    /** Resources a consumer must wait for before it can read the value. */
    readonly dependencies: readonly pulumi.Resource[];
}

/** Where a consumer finds one secret's value (what an ExternalSecret's `remoteRef` says). */
export interface SecretReference {
    readonly key: pulumi.Input<string>;
    /** In the backend's own form (`uuid/<VersionId>` on AWS); absent where nothing can be pinned. */
    readonly version?: pulumi.Input<string>;
    /** The field of the stored entry that holds the value, where entries are JSON or maps. */
    readonly property?: string;
}

/**
 * How External Secrets Operator's stores reach the backend (stack config `backendAccess`):
 * `workload-identity` is keyless (GKE Workload Identity, EKS IRSA, Vault's Kubernetes auth, a
 * reader service account); `static-credentials` is a key the operator puts in a Secret once
 * (Secret Manager from a cluster outside GKE, Secrets Manager from a cluster outside EKS).
 */
export const BACKEND_ACCESS_MODES = ["workload-identity", "static-credentials"] as const;
export type BackendAccessMode = (typeof BACKEND_ACCESS_MODES)[number];

/**
 * The Kubernetes service account one namespace's `SecretStore` authenticates as. It lives in that
 * namespace: ESO resolves a namespaced store's service account references in the store's own
 * namespace only (external-secrets `runtime/esutils/k8s_rest_config.go`, `serviceAccountToken`).
 */
export interface StoreReader {
    readonly namespace: string;
    readonly serviceAccountName: string;
}

/** A Secret the operator creates by hand, once, because its value must never be in state. */
export interface OperatorSecret {
    readonly namespace: string;
    readonly name: string;
    /** The data keys it must hold. */
    readonly keys: readonly string[];
    /** Shell commands that make it, in order. */
    readonly commands: pulumi.Output<string[]>;
}

/** How one namespace's store reads this backend. */
export interface StoreAccess {
    /** The principal that per-secret read grants name: this namespace's own identity. */
    readonly principal: Principal;
    /** Annotations the store's service account needs (Workload Identity, IRSA). */
    readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
    /** The `spec.provider` block of the store (`gcpsm`, `aws`, `vault`, `kubernetes`). */
    readonly storeProvider: pulumi.Input<Record<string, unknown>>;
    /** Credentials the store reads from a Secret the operator creates (static credentials). */
    readonly operatorSecrets: readonly OperatorSecret[];
}

/**
 * A place to keep secrets. The contract, values and consumers only ever talk to this interface,
 * so a new backend is one new implementation and one line in the registry. `S` is what the
 * backend's `store` returns; the platform hands back only what the same backend stored, so an
 * implementation reads its own fields (an ARN, a path) without a downcast.
 */
export interface SecretBackend<S extends StoredSecret = StoredSecret> {
    readonly kind: BackendKind;
    /**
     * Creates the secret and writes `value` as a new version, as children of `opts.parent`. With
     * `adopt`, imports the existing secret instead (and its version, when `adopt.version` is set:
     * `value` must then be the value that version holds); adopted resources are retained on delete.
     */
    store(spec: SecretSpec, value: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions, adopt?: BackendAdoption): S;
    /** Grants `principal` read access to exactly `secrets` (ones this backend stored), nothing more. */
    grantRead(name: string, principal: Principal, secrets: readonly S[], opts: pulumi.CustomResourceOptions): pulumi.Resource[];
    /** How a consumer references the version of `secret` (one this backend stored) this program wrote. */
    reference(secret: S): SecretReference;
    /**
     * Creates the identity one namespace's store reads this backend as (`name` is its principal
     * name), and says how the store and its service account are configured. Children go under
     * `opts.parent`.
     */
    storeAccess(name: string, reader: StoreReader, opts: pulumi.ComponentResourceOptions): StoreAccess;
    /**
     * Source values the operator creates instead of this program (the Kubernetes backend with
     * `kubernetesSourceValues: operator`): then the program generates and writes no value.
     * @default false
     */
    readonly valuesFromOperator?: boolean;
    /**
     * Turns on the backend's record of who read which secret, and when, where the backend needs a
     * resource for it (Secret Manager's Data Access audit logs are off by default). A backend that
     * always records reads, or records them outside this program, leaves it out
     * (docs/guardrails.md, "Audit").
     */
    auditAccess?(name: string, opts: pulumi.CustomResourceOptions): pulumi.Resource[];
}

/**
 * The Secret holding a store's static credentials, in the store's namespace: the platform guide's
 * name for it (`../shared/seeds/004_*.txt`, "Backend access": "one service-account JSON key
 * (`secret-store-key`), seeded once"). With one store per namespace there is one per namespace.
 */
export const STORE_KEY_SECRET = "secret-store-key";

/** `kubectl create secret generic` for a store's static credentials, reading each key from a file. */
export function storeKeySecretCommand(namespace: string, files: Readonly<Record<string, string>>): string {
    const from = Object.entries(files).map(([key, file]) => `--from-file=${key}=${file}`);
    return [`kubectl --namespace ${namespace} create secret generic ${STORE_KEY_SECRET}`, ...from].join(" ");
}

/** The Secret holding a store's static credentials, which the operator creates with `commands`. */
export const storeKeySecret = (reader: StoreReader, keys: readonly string[], commands: pulumi.Output<string[]>): OperatorSecret => ({
    namespace: reader.namespace,
    name: STORE_KEY_SECRET,
    keys,
    commands,
});
