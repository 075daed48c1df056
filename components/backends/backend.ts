import * as pulumi from "@pulumi/pulumi";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import { BackendKind } from "./kinds";

/** One secret as a backend holds it. */
export interface StoredSecret {
    readonly key: string;
    /** The backend's own id: a Secret Manager secret id, an AWS secret name, a Vault path, a Secret name. */
    readonly backendId: pulumi.Output<string>;
    /**
     * The version this program wrote; consumers key rollouts on it so a rotation rolls them. Where
     * the backend numbers versions only after the write (Vault) or not at all (Kubernetes), a
     * digest of the value (`contentVersion`), so it changes exactly when the value does.
     */
    readonly version: pulumi.Output<string>;
    /** Resources a consumer must wait for before it can read the value. */
    readonly dependencies: readonly pulumi.Resource[];
}

/** Someone who reads secrets: a service account, a role. `member` is in the backend's own form. */
export interface Principal {
    /** Stable logical name (`cloudrun-litellm`, `external-secrets`): resource names derive from it. */
    readonly name: string;
    readonly member: pulumi.Input<string>;
}

/** Where a consumer finds one secret's value (what an ExternalSecret's `remoteRef` says). */
export interface SecretReference {
    readonly key: pulumi.Input<string>;
    /** In the backend's own form (`uuid/<VersionId>` on AWS); absent where nothing can be pinned. */
    readonly version?: pulumi.Input<string>;
    /** The field of the stored entry that holds the value, where entries are JSON or maps. */
    readonly property?: string;
}

/** External Secrets Operator's Kubernetes service account, which authenticates to the backend. */
export interface KubernetesReader {
    readonly namespace: string;
    readonly serviceAccountName: string;
}

/** How External Secrets Operator reads this backend. */
export interface ExternalSecretsAccess {
    /** The principal that per-secret read grants name. */
    readonly principal: Principal;
    /** Annotations ESO's service account needs (Workload Identity, IRSA). */
    readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
    /** The `spec.provider` block of the ClusterSecretStore (`gcpsm`, `aws`, `vault`, `kubernetes`). */
    readonly storeProvider: pulumi.Input<Record<string, unknown>>;
}

/**
 * A place to keep secrets. The contract, values and consumers only ever talk to this interface,
 * so a new backend is one new implementation and one line in the registry.
 */
export interface SecretBackend {
    readonly kind: BackendKind;
    /**
     * Creates the secret and writes `value` as a new version, as children of `opts.parent`. With
     * `adopt`, imports the existing secret instead (and its version, when `adopt.version` is set:
     * `value` must then be the value that version holds); adopted resources are retained on delete.
     */
    store(spec: SecretSpec, value: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions, adopt?: BackendAdoption): StoredSecret;
    /** Grants `principal` read access to exactly `secrets`, nothing more. */
    grantRead(
        name: string,
        principal: Principal,
        secrets: readonly StoredSecret[],
        opts: pulumi.CustomResourceOptions,
    ): pulumi.Resource[];
    /** How a consumer references the version of `secret` this program wrote. */
    reference(secret: StoredSecret): SecretReference;
    /**
     * Creates the identity External Secrets Operator reads this backend as, and says how its
     * store and service account are configured. Children go under `opts.parent`.
     */
    externalSecretsAccess(
        name: string,
        reader: KubernetesReader,
        opts: pulumi.ComponentResourceOptions,
    ): ExternalSecretsAccess;
    /**
     * Turns on the backend's record of who read which secret, and when, where the backend needs a
     * resource for it (Secret Manager's Data Access audit logs are off by default). A backend that
     * always records reads, or records them outside this program, leaves it out
     * (docs/guardrails.md, "Audit").
     */
    auditAccess?(name: string, opts: pulumi.CustomResourceOptions): pulumi.Resource[];
}
