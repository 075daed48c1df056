/**
 * The stack's one Kubernetes provider. Every Kubernetes object the program creates (the source
 * backend's namespace and Secrets, ESO, the store, the ExternalSecrets, the releases) goes through
 * it to the configured cluster, never to whatever the ambient kubeconfig's current context is.
 */
import * as k8s from "@pulumi/kubernetes";

/** Logical name of the provider resource. */
export const KUBERNETES_PROVIDER = "kubernetes";

/** The cluster to reach: a kubeconfig context and cluster; undefined: the kubeconfig's current one. */
export interface ClusterTarget {
    readonly context?: string;
    readonly cluster?: string;
}

export function kubernetesProvider(settings: ClusterTarget): k8s.Provider {
    // No default namespace: every object names its own, and a cluster-scoped store is never given one.
    return new k8s.Provider(KUBERNETES_PROVIDER, {
        ...(settings.context === undefined ? {} : { context: settings.context }),
        ...(settings.cluster === undefined ? {} : { cluster: settings.cluster }),
        enableServerSideApply: true,
        // Adopt objects that already exist (a namespace another tool made, an ExternalSecret
        // applied by hand before this program) instead of failing the first up. The price is
        // that a logical rename without an alias would delete the object after re-creating
        // it: names here are keyed on namespace/name and frozen, and namespaces are retained.
        upsertExistingObjects: true,
    });
}
