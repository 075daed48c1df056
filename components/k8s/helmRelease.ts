import { Release } from "@pulumi/kubernetes/helm/v3/release";
import * as pulumi from "@pulumi/pulumi";

/** Where Helm finds a chart. */
export type ChartLocation =
    /** An OCI reference (`oci://registry/path/chart`) or a chart directory/archive on disk. */
    | { readonly kind: "reference"; readonly chart: string }
    /** A classic chart repository and the chart's name in it. */
    | { readonly kind: "repository"; readonly repo: string; readonly chart: string };

export interface HelmReleaseArgs {
    /** Helm's release name in the cluster (also the prefix of the chart's object names). */
    readonly releaseName: string;
    /** Namespace to install into; it must exist (this program creates namespaces itself). */
    readonly namespace: string;
    readonly chart: ChartLocation;
    /** Pinned chart version: an unpinned chart changes under a stack without any diff in it. */
    readonly version: string;
    /**
     * Chart values. They are stored in plain text in Pulumi state and in Helm's release history:
     * names of Secrets, never a secret value.
     */
    readonly values: pulumi.Input<Record<string, unknown>>;
}

/** One Helm release with a pinned chart (helm.sh/v3 Release: Helm itself installs and tracks it). */
export class HelmRelease extends pulumi.ComponentResource {
    public readonly releaseName: pulumi.Output<string>;
    public readonly namespace: pulumi.Output<string>;
    public readonly chartVersion: pulumi.Output<string>;

    constructor(name: string, args: HelmReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:k8s:HelmRelease", name, {}, opts);
        if (args.version === "") {
            throw new pulumi.ResourceError(`chart of release ${args.releaseName} has no pinned version`, this);
        }
        const source =
            args.chart.kind === "repository"
                ? { chart: args.chart.chart, repositoryOpts: { repo: args.chart.repo } }
                : { chart: args.chart.chart };
        const release = new Release(
            name,
            {
                name: args.releaseName,
                namespace: args.namespace,
                ...source,
                version: args.version,
                values: args.values,
                // The namespace is this program's (created, labelled, retained on delete).
                createNamespace: false,
                // Wait for the workloads to be ready: what depends on a release (a custom
                // resource its webhook validates, say) must not start before it serves.
                skipAwait: false,
            },
            // The engine records a component's dependsOn on the component only: repeat it on the
            // release so the graph itself says it installs after what it reads.
            { parent: this, dependsOn: opts?.dependsOn },
        );
        this.releaseName = release.name;
        this.namespace = pulumi.output(args.namespace);
        this.chartVersion = pulumi.output(args.version);
        this.registerOutputs({ releaseName: this.releaseName, namespace: this.namespace, chartVersion: this.chartVersion });
    }
}
