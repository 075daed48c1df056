import * as compute from "@pulumi/gcp/compute";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import * as pulumi from "@pulumi/pulumi";

import { networkResourceName } from "../naming";

export interface PrivateNetworkArgs {
    readonly project: string;
    readonly region: string;
    /** Created resources are named `<environment>-llm…`. */
    readonly environment: string;
    /**
     * Adopt this network and subnetwork (names, or `projects/…` paths) instead of creating them.
     * Mutually exclusive with `subnetCidr` and `privateServiceAccess`.
     * @default undefined (create both)
     */
    readonly existing?: { readonly network: string; readonly subnetwork: string };
    /**
     * Range of the subnetwork created in `region`, from which Cloud Run's Direct VPC egress takes
     * addresses (at least a /26).
     * @default "10.8.0.0/24"
     */
    readonly subnetCidr?: string;
    /**
     * Reserve a range and connect private service access, so Cloud SQL can have a private IP on
     * this network. Only for a network created here: an adopted one brings its own.
     * @default false
     */
    readonly privateServiceAccess?: boolean;
    /**
     * Prefix length of the range reserved for private service access.
     * @default 20
     */
    readonly privateServiceRangePrefixLength?: number;
}

/**
 * The VPC the GCP runtime lives on: Memorystore is peered to it, Cloud SQL reaches it through
 * private service access, and Cloud Run sends private traffic into its subnetwork.
 */
export class PrivateNetwork extends pulumi.ComponentResource {
    /** `projects/<p>/global/networks/<n>`. */
    public readonly networkId: pulumi.Output<string>;
    /** `projects/<p>/regions/<r>/subnetworks/<n>`: Cloud Run's Direct VPC egress subnetwork. */
    public readonly subnetworkId: pulumi.Output<string>;
    /**
     * The network id, resolved only once private service access is connected: a Cloud SQL
     * instance given this for its private network waits for the peering without a `dependsOn`.
     */
    public readonly privateServicesNetworkId: pulumi.Output<string>;

    constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:network:PrivateNetwork", name, {}, opts);
        const child = { parent: this };
        const privateServiceAccess = args.privateServiceAccess ?? false;
        if (args.existing !== undefined && args.subnetCidr !== undefined) {
            throw new pulumi.InputPropertyError({
                propertyPath: "subnetCidr",
                reason: "existing and subnetCidr are mutually exclusive: an adopted network brings its own subnetwork",
            });
        }
        if (args.existing !== undefined && privateServiceAccess) {
            throw new pulumi.InputPropertyError({
                propertyPath: "privateServiceAccess",
                reason: "existing and privateServiceAccess are mutually exclusive: connect private service access on the adopted network itself",
            });
        }

        if (args.existing !== undefined) {
            const { network, subnetwork } = args.existing;
            this.networkId = pulumi.output(
                network.startsWith("projects/") ? network : `projects/${args.project}/global/networks/${network}`,
            );
            this.subnetworkId = pulumi.output(
                subnetwork.startsWith("projects/")
                    ? subnetwork
                    : `projects/${args.project}/regions/${args.region}/subnetworks/${subnetwork}`,
            );
            this.privateServicesNetworkId = this.networkId;
        } else {
            // 10.8.0.0/24 leaves room for Memorystore's and private service access's own ranges.
            const subnetCidr = args.subnetCidr ?? "10.8.0.0/24";
            const network = new compute.Network(
                name,
                {
                    project: args.project,
                    name: networkResourceName(args.environment, "llm"),
                    description: "LLM platform: Cloud Run egress, Cloud SQL and Memorystore",
                    // One subnetwork where it is needed, not one in every region.
                    autoCreateSubnetworks: false,
                    routingMode: "REGIONAL",
                },
                child,
            );
            const subnetwork = new compute.Subnetwork(
                `${name}-run`,
                {
                    project: args.project,
                    region: args.region,
                    name: networkResourceName(args.environment, "llm-run"),
                    network: network.id,
                    ipCidrRange: subnetCidr,
                    // Google APIs (Secret Manager, Cloud SQL Admin) without a public address.
                    privateIpGoogleAccess: true,
                },
                child,
            );
            this.networkId = network.id;
            this.subnetworkId = subnetwork.id;

            if (privateServiceAccess) {
                const range = new compute.GlobalAddress(
                    `${name}-services-range`,
                    {
                        project: args.project,
                        name: networkResourceName(args.environment, "llm-services"),
                        purpose: "VPC_PEERING",
                        addressType: "INTERNAL",
                        prefixLength: args.privateServiceRangePrefixLength ?? 20,
                        network: network.id,
                    },
                    child,
                );
                const connection = new servicenetworking.Connection(
                    `${name}-services`,
                    {
                        network: network.id,
                        service: "servicenetworking.googleapis.com",
                        reservedPeeringRanges: [range.name],
                        // Removing the peering fails while a producer (Cloud SQL) still holds
                        // addresses in it; the network's own deletion removes it afterwards.
                        deletionPolicy: "ABANDON",
                    },
                    child,
                );
                this.privateServicesNetworkId = pulumi.all([network.id, connection.id]).apply(([id]) => id);
            } else {
                this.privateServicesNetworkId = network.id;
            }
        }
        this.registerOutputs({
            networkId: this.networkId,
            subnetworkId: this.subnetworkId,
            privateServicesNetworkId: this.privateServicesNetworkId,
        });
    }
}
