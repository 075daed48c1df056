import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";

import { EXTERNAL_SECRETS_API } from "./externalSecret";

export interface ClusterSecretStoreArgs {
    /** Cluster-visible name; every ExternalSecret references it. */
    readonly storeName: string;
    /**
     * The store's `spec.provider` block (`gcpsm`, `aws`, `vault`, `kubernetes`, ...), as the
     * stack's secret backend describes it. Never built here, so a new backend needs no change.
     */
    readonly provider: pulumi.Input<Record<string, unknown>>;
    /** The only namespaces whose ExternalSecrets may use the store. Must not be empty. */
    readonly namespaces: readonly string[];
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The `spec` of a ClusterSecretStore: pure, so tests can validate it against the CRD schema. */
export function clusterSecretStoreSpec(args: ClusterSecretStoreArgs): pulumi.Input<Record<string, unknown>> {
    return {
        provider: args.provider,
        // A ClusterSecretStore serves every namespace unless told otherwise; anyone able to create
        // an ExternalSecret anywhere could then read every secret the store's identity can read.
        conditions: [{ namespaces: [...args.namespaces] }],
    };
}

/** An `external-secrets.io/v1` ClusterSecretStore restricted to the namespaces that consume it. */
export class ClusterSecretStore extends apiextensions.CustomResource {
    constructor(name: string, args: ClusterSecretStoreArgs, opts?: pulumi.CustomResourceOptions) {
        if (args.namespaces.length === 0) {
            throw new pulumi.InputPropertyError({
                propertyPath: "namespaces",
                reason: "a ClusterSecretStore with no namespace condition would serve every namespace",
            });
        }
        const bad = args.namespaces.filter((ns) => !DNS_LABEL.test(ns));
        if (bad.length > 0) {
            throw new pulumi.InputPropertyError({ propertyPath: "namespaces", reason: `not namespace names: ${bad.join(", ")}` });
        }
        super(
            name,
            {
                apiVersion: EXTERNAL_SECRETS_API,
                kind: "ClusterSecretStore",
                // Cluster-scoped: no namespace. No readiness wait here: each ExternalSecret waits
                // for its own Ready, which needs a working store anyway.
                metadata: { name: args.storeName, labels: { ...(args.labels ?? {}) } },
                spec: clusterSecretStoreSpec(args),
            },
            opts,
        );
    }
}
