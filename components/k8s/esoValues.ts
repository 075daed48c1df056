/** External Secrets Operator's chart and the values this program sets on it. */
import { ChartLocation } from "./helmRelease";

export const ESO_CHART: ChartLocation = {
    kind: "repository",
    repo: "https://charts.external-secrets.io",
    chart: "external-secrets",
};

export interface ExternalSecretsOperatorValuesArgs {
    /**
     * Name of the operator's Kubernetes service account. It holds no backend identity: each
     * namespace's store authenticates as that namespace's own service account.
     */
    readonly serviceAccountName: string;
}

/** Values of the `external-secrets` chart. Every path exists in the chart's values.schema.json. */
export function externalSecretsOperatorValues(args: ExternalSecretsOperatorValuesArgs): Record<string, unknown> {
    return {
        // The chart installs and upgrades the CRDs; the store and ExternalSecrets wait for it.
        installCRDs: true,
        // Every store is a namespaced SecretStore. A ClusterSecretStore serves any namespace it
        // is not told to refuse: the operator ignores them, so none can be used to widen access.
        processClusterStore: false,
        serviceAccount: { create: true, name: args.serviceAccountName },
    };
}
