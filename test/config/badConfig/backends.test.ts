/**
 * Bad config in the backends (access mode, replication, AWS Secrets Manager, Vault, the Kubernetes
 * source): each case is refused before any resource is registered, with one problem that names its
 * key and the fix (see ./support.ts).
 */
import { BadConfig, VAULT, AWS, KUBERNETES_ONLY, KUBERNETES_SOURCE, refusesEach } from "./support";

const CASES: readonly BadConfig[] = [
    // Malformed names and regions.
    {
        what: "an unknown replica region",
        stack: "prod",
        set: { replicationLocations: ["europe-west4", "mars"] },
        key: "replicationLocations",
        says: /unknown entry "mars"/,
    },
    // Identities (who runs as what, and where values live).
    {
        what: "source values in kube-system",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "kube-system" },
        key: "kubernetesSourceNamespace",
        says: /"kube-system" is a namespace the cluster shares/,
    },
    {
        what: "source values in kube-public",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "kube-public" },
        key: "kubernetesSourceNamespace",
        says: /"kube-public" is a namespace the cluster shares/,
    },
    {
        what: "source values in the default namespace",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "default" },
        key: "kubernetesSourceNamespace",
        says: /"default" is a namespace the cluster shares/,
    },
    {
        what: "source values in ESO's namespace",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceNamespace: "external-secrets" },
        key: "kubernetesSourceNamespace",
        says: /External Secrets Operator's namespace/,
    },
    {
        what: "static credentials with Vault",
        stack: "dev",
        set: { ...KUBERNETES_ONLY, backend: "vault", vaultAddress: "https://vault.example.com", backendAccess: "static-credentials" },
        key: "backendAccess",
        says: /backend "vault" authenticates stores through the cluster's own service accounts/,
    },
    {
        what: "an unknown backend access mode",
        stack: "dev",
        set: { backendAccess: "json-key" },
        key: "backendAccess",
        says: /unknown value "json-key"; expected one of workload-identity, static-credentials/,
    },
    {
        what: "an unknown writer of source values",
        stack: "dev",
        set: { ...KUBERNETES_SOURCE, kubernetesSourceValues: "sealed-secrets" },
        key: "kubernetesSourceValues",
        says: /unknown value "sealed-secrets"; expected one of program, operator/,
    },
    // Hostile values.
    {
        what: "a Vault path stepping out with ..",
        stack: "dev",
        set: { ...VAULT, vaultPath: "../prod" },
        key: "vaultPath",
        says: /"..\/prod" has a . or .. segment/,
    },
    {
        what: "a Vault mount under sys",
        stack: "dev",
        set: { ...VAULT, vaultMount: "sys" },
        key: "vaultMount",
        says: /reserved sys\/ mount/,
    },
    {
        what: "a Vault address with port 0",
        stack: "dev",
        set: { ...VAULT, vaultAddress: "https://vault.example.com:0" },
        key: "vaultAddress",
        says: /port 0 is outside 1 to 65535/,
    },
    {
        what: "a tag map entry named constructor",
        stack: "dev",
        set: { ...AWS, awsTags: '{"constructor": "x"}' },
        key: "awsTags.constructor",
        says: /not a name this map accepts/,
    },
    {
        what: "an AWS secret path too long for its keys",
        stack: "dev",
        set: { ...AWS, awsSecretPath: `app/${"x".repeat(480)}` },
        key: "awsSecretPath",
        says: /secret names \(<awsSecretPath>\/<key>\) are at most 512/,
    },
    // Rotations that could cut a database off or leave a hash stale.
    {
        what: "an AWS rotation Lambda on a value with a paired hash",
        stack: "dev",
        set: { ...AWS, awsRotationLambdas: { "dex-admin-password": "arn:aws:lambda:eu-west-1:123456789012:function:rotate" } },
        key: "awsRotationLambdas.dex-admin-password",
        says: /has a hash computed by this program \(dex-admin-hash\)/,
    },
    {
        what: "an AWS rotation Lambda on a never-rotated value",
        stack: "dev",
        set: { ...AWS, awsRotationLambdas: { "litellm-salt-key": "arn:aws:lambda:eu-west-1:123456789012:function:rotate" } },
        key: "awsRotationLambdas.litellm-salt-key",
        says: /never rotates silently/,
    },
];

refusesEach("the backends (access mode, replication, AWS Secrets Manager, Vault, the Kubernetes source)", CASES);
