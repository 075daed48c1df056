import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";

import { SecretReference } from "../backends/backend";

/** External Secrets Operator's API version: `v1beta1` is no longer served by ESO 2.x. */
export const EXTERNAL_SECRETS_API = "external-secrets.io/v1";

/**
 * Makes Pulumi wait until ESO reports the object Ready (pulumi-kubernetes user-defined await,
 * provider 4.18+), so nothing that reads the Secret is installed before the Secret exists.
 */
export const WAIT_FOR_READY = { "pulumi.com/waitFor": "condition=Ready" } as const;

/** One value fetched from the store. */
export interface ExternalSecretData {
    /** Secret key it lands in or, with a `template`, the template variable holding it. */
    readonly secretKey: string;
    /** Where the store finds it; `version` pins what this program wrote. */
    readonly remoteRef: SecretReference;
}

export interface ExternalSecretArgs {
    /** Namespace of the ExternalSecret and of the Secret it writes. */
    readonly namespace: string;
    /** Name of the ExternalSecret and of the Secret it writes. */
    readonly secretName: string;
    /** The SecretStore, in the same namespace, to read from. */
    readonly storeName: string;
    /** How often ESO re-reads the store (a Go duration). */
    readonly refreshInterval: string;
    readonly data: readonly ExternalSecretData[];
    /**
     * Keys of the Secret, each rendered by ESO's template engine (v2) from the `data` variables.
     * When set, the Secret holds exactly these keys and the variables themselves are not written.
     * @default undefined (the Secret holds `data` as is)
     */
    readonly template?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

/** The `spec` of an ExternalSecret: pure, so tests can validate it against the CRD schema. */
export function externalSecretSpec(args: ExternalSecretArgs): pulumi.Input<Record<string, unknown>> {
    return {
        refreshInterval: args.refreshInterval,
        // The namespace's own store: it can read only what this namespace's Secrets need.
        secretStoreRef: { kind: "SecretStore", name: args.storeName },
        target: {
            name: args.secretName,
            // Owner: the Secret is ESO's and goes with its ExternalSecret. Retain: a store outage
            // or a deleted backend entry never empties a Secret a running workload depends on.
            creationPolicy: "Owner",
            deletionPolicy: "Retain",
            ...(args.template === undefined
                ? {}
                : { template: { engineVersion: "v2", mergePolicy: "Replace", type: "Opaque", data: args.template } }),
        },
        data: args.data.map((d) => ({
            secretKey: d.secretKey,
            remoteRef: {
                key: d.remoteRef.key,
                ...(d.remoteRef.version === undefined ? {} : { version: d.remoteRef.version }),
                ...(d.remoteRef.property === undefined ? {} : { property: d.remoteRef.property }),
            },
        })),
    };
}

/** An `external-secrets.io/v1` ExternalSecret: one Kubernetes Secret projected from the store. */
export class ExternalSecret extends apiextensions.CustomResource {
    constructor(name: string, args: ExternalSecretArgs, opts?: pulumi.CustomResourceOptions) {
        if (args.data.length === 0) {
            throw new pulumi.InputPropertyError({
                propertyPath: "data",
                reason: `ExternalSecret ${args.namespace}/${args.secretName} needs at least one value`,
            });
        }
        super(
            name,
            {
                apiVersion: EXTERNAL_SECRETS_API,
                kind: "ExternalSecret",
                metadata: {
                    name: args.secretName,
                    namespace: args.namespace,
                    labels: { ...(args.labels ?? {}) },
                    annotations: { ...WAIT_FOR_READY },
                },
                spec: externalSecretSpec(args),
            },
            opts,
        );
    }
}
