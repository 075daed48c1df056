/** External Secrets Operator's chart and the values this program sets on it. */
import * as pulumi from "@pulumi/pulumi";

import { ChartLocation } from "../config/kubernetes";

export const ESO_CHART: ChartLocation = {
    kind: "repository",
    repo: "https://charts.external-secrets.io",
    chart: "external-secrets",
};

export interface ExternalSecretsOperatorValuesArgs {
    /** Name of the operator's Kubernetes service account (the backend identity is bound to it). */
    readonly serviceAccountName: string;
    /** Annotations that bind it to the backend identity (GKE Workload Identity, IRSA). */
    readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Values of the `external-secrets` chart. Every path exists in the chart's values.schema.json. */
export function externalSecretsOperatorValues(args: ExternalSecretsOperatorValuesArgs): Record<string, unknown> {
    return {
        // The chart installs and upgrades the CRDs; the store and ExternalSecrets wait for it.
        installCRDs: true,
        // The program's one store is a ClusterSecretStore: its controller must run.
        processClusterStore: true,
        serviceAccount: {
            create: true,
            name: args.serviceAccountName,
            annotations: { ...args.serviceAccountAnnotations },
        },
    };
}
