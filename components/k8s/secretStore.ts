import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as core from "@pulumi/kubernetes/core";
import * as pulumi from "@pulumi/pulumi";

import { EXTERNAL_SECRETS_API } from "./externalSecret";

/**
 * Name of each namespace's store: the guides' one store name (`../shared/seeds/004_*.txt`, "Every
 * `ExternalSecret` references one store named `secret-store`"), kept per namespace.
 */
export const STORE_NAME = "secret-store";

/**
 * The service account each namespace's store authenticates as: the name the platform guide gives
 * the store's reader (`../shared/seeds/004_*.txt`, "No hosted secret store": `eso-reader`).
 */
export const STORE_READER = "eso-reader";

export interface NamespaceStoreArgs {
    /** The namespace the store serves: a namespaced store serves no other. */
    readonly namespace: string;
    /**
     * The store's `spec.provider` block (`gcpsm`, `aws`, `vault`, `kubernetes`, ...), as the
     * stack's secret backend describes it for this namespace. Never built here.
     */
    readonly provider: pulumi.Input<Record<string, unknown>>;
    /** Annotations binding the store's service account to its backend identity. @default {} */
    readonly serviceAccountAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * What the service account and the store wait for: the operator's release (CRDs), the
     * namespace, the identity and its grants. @default []
     */
    readonly after?: readonly pulumi.Resource[];
}

/** The `spec` of a namespace's SecretStore: pure, so tests can validate it against the CRD schema. */
export function secretStoreSpec(args: Pick<NamespaceStoreArgs, "provider">): pulumi.Input<Record<string, unknown>> {
    return { provider: args.provider };
}

/**
 * One namespace's access to the backend: the service account its store authenticates as (bound
 * to an identity that can read exactly this namespace's secrets) and an `external-secrets.io/v1`
 * `SecretStore`. Whoever can create an ExternalSecret here reads only what this namespace's
 * Secrets need.
 */
export class NamespaceStore extends pulumi.ComponentResource {
    public readonly storeName: pulumi.Output<string>;
    public readonly serviceAccountName: pulumi.Output<string>;
    /** The store: ExternalSecrets depend on it. */
    public readonly store: apiextensions.CustomResource;

    constructor(name: string, args: NamespaceStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:k8s:NamespaceStore", name, {}, opts);
        const child = { parent: this, dependsOn: [...(args.after ?? [])] };
        const labels = { ...(args.labels ?? {}) };
        const account = new core.v1.ServiceAccount(
            `${name}-reader`,
            {
                metadata: {
                    name: STORE_READER,
                    namespace: args.namespace,
                    labels,
                    annotations: { ...(args.serviceAccountAnnotations ?? {}) },
                },
                // No pod runs as it: ESO requests short-lived tokens for it (TokenRequest).
                automountServiceAccountToken: false,
            },
            child,
        );
        this.store = new apiextensions.CustomResource(
            name,
            {
                apiVersion: EXTERNAL_SECRETS_API,
                kind: "SecretStore",
                // No readiness wait here: each ExternalSecret waits for its own Ready, which needs
                // a working store anyway.
                metadata: { name: STORE_NAME, namespace: args.namespace, labels },
                spec: secretStoreSpec(args),
            },
            { ...child, dependsOn: [...child.dependsOn, account] },
        );
        this.storeName = this.store.metadata.name;
        this.serviceAccountName = account.metadata.name;
        this.registerOutputs({ storeName: this.storeName, serviceAccountName: this.serviceAccountName });
    }
}
