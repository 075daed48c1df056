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

/**
 * On every Secret this program projects: Stakater Reloader's opt-in pair (its README, "Targeted
 * Reload (Match + Search Annotations)"): a workload annotated `reloader.stakater.com/search: "true"`
 * restarts when a Secret it references that carries this annotation changes. That is how a
 * rotation reaches workloads this program does not install (docs/kubernetes.md, "Rotation").
 */
export const RELOADER_MATCH = { "reloader.stakater.com/match": "true" } as const;

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
    /** Labels of the ExternalSecret itself. @default {} */
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * Labels and annotations of the Secret it writes. Always set through the template: without
     * one, ESO copies the ExternalSecret's own labels and annotations onto the Secret, which on a
     * merged Secret would overwrite its owner's (Argo CD's `app.kubernetes.io/part-of`).
     * @default {}
     */
    readonly targetLabels?: Readonly<Record<string, string>>;
    /** @default {} */
    readonly targetAnnotations?: Readonly<Record<string, string>>;
    /**
     * `Merge`: the Secret belongs to its workload, which creates it; ESO only merges these keys
     * into it (and waits while it is missing), never deleting it or the workload's own keys.
     * @default "Owner"
     */
    readonly creationPolicy?: "Owner" | "Merge";
}

/** The `spec` of an ExternalSecret: pure, so tests can validate it against the CRD schema. */
export function externalSecretSpec(args: ExternalSecretArgs): pulumi.Input<Record<string, unknown>> {
    const merge = args.creationPolicy === "Merge";
    return {
        refreshInterval: args.refreshInterval,
        // The namespace's own store: it can read only what this namespace's Secrets need.
        secretStoreRef: { kind: "SecretStore", name: args.storeName },
        target: {
            name: args.secretName,
            // Owner: the Secret is ESO's and goes with its ExternalSecret. Merge: the workload's
            // Secret, which ESO never creates or deletes (ESO refuses deletionPolicy Delete with
            // it). Retain: a store outage or a deleted backend entry never empties a Secret a
            // running workload depends on, nor removes a merged key.
            creationPolicy: merge ? "Merge" : "Owner",
            deletionPolicy: "Retain",
            template: {
                // v2: the engine that renders metadata templates (ESO docs, templating v2).
                engineVersion: "v2",
                // A merged Secret keeps its owner's type.
                ...(merge ? {} : { type: "Opaque" }),
                metadata: { labels: { ...(args.targetLabels ?? {}) }, annotations: { ...(args.targetAnnotations ?? {}) } },
                // Without data templates ESO writes the fetched keys as they are; with them, the
                // Secret holds exactly the templated keys.
                ...(args.template === undefined ? {} : { mergePolicy: "Replace", data: args.template }),
            },
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
