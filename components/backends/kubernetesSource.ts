import * as core from "@pulumi/kubernetes/core/v1";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as rbac from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";

import { SecretBackend, StoreReader, StoredSecret } from "./backend";
import { Stored, defineBackend } from "./base";
import { keyedVersion } from "./contentVersion";
import { SourceValues } from "./kinds";

/** Settings of the Kubernetes source-namespace backend, from validated stack config. */
export interface KubernetesSourceSettings {
    readonly environment: string;
    /** Namespace holding one Secret per contract key. */
    readonly namespace: string;
    /**
     * Who writes the source Secrets: this program (from the values it generates and is given), or
     * the operator, by any means (Sealed Secrets, kubectl), with the program writing no value.
     */
    readonly values: SourceValues;
    /** Protect the namespace and its Secrets (Pulumi `protect`). */
    readonly dataProtection: boolean;
}

/** The data key each source Secret keeps its value under; ExternalSecrets name it as `property`. */
export const KUBERNETES_VALUE_PROPERTY = "value";

const labelsOf = (environment: string, component?: string): Record<string, string> => ({
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "llm-platform-secrets",
    "llm-platform-secrets/environment": environment,
    ...(component === undefined ? {} : { "llm-platform-secrets/component": component }),
});

export interface SourceNamespaceArgs {
    readonly environment: string;
    readonly namespace: string;
    readonly dataProtection: boolean;
}

/** The namespace that holds the values: deleting it would delete every one of them. */
export class SourceNamespace extends pulumi.ComponentResource {
    public readonly namespaceName: pulumi.Output<string>;

    constructor(name: string, args: SourceNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:k8ssource:Namespace", name, {}, opts);
        const ns = new core.Namespace(
            name,
            { metadata: { name: args.namespace, labels: labelsOf(args.environment) } },
            { parent: this, protect: args.dataProtection },
        );
        this.namespaceName = ns.metadata.name;
        this.registerOutputs({ namespaceName: this.namespaceName });
    }
}

/**
 * One Secret in the source namespace, named by its contract key (or an adopted Secret's own name,
 * `secretName`), with the value under `value`. `backendId` is its name (ExternalSecrets'
 * `remoteRef.key`); `version` a keyed digest of the value (see `contentVersion`).
 */
export type KubernetesSourceSecret = Stored<{ secretName: string }>;

/** A source value the operator creates: the program only names it. */
class OperatorSourceSecret implements StoredSecret {
    public readonly backendId: pulumi.Output<string>;
    /**
     * Constant: the program cannot see the value, so a rotation by the operator rolls no
     * workload through the rollout checksums (docs/backends.md).
     */
    public readonly version = pulumi.output("operator");
    /** The Secret's name: the key (an operator-made Secret is never adopted). */
    public readonly secretName: string;

    constructor(
        public readonly key: string,
        public readonly dependencies: readonly pulumi.Resource[],
    ) {
        this.backendId = pulumi.output(key);
        this.secretName = key;
    }
}

/** What the Kubernetes source backend stores: a Secret it writes, or one the operator makes. */
type SourceSecret = KubernetesSourceSecret | OperatorSourceSecret;

/** `system:serviceaccount:<namespace>:<name>`: the RBAC and token subject of a store's reader. */
export const serviceAccountMember = (reader: StoreReader): string =>
    `system:serviceaccount:${reader.namespace}:${reader.serviceAccountName}`;

/** The RBAC subject of a `system:serviceaccount:NS:NAME` member. */
export function serviceAccountSubject(member: string): { kind: string; name: string; namespace: string } {
    const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(member);
    if (m === null) {
        throw new Error(`"${member}" is not a Kubernetes service account (system:serviceaccount:NAMESPACE:NAME)`);
    }
    return { kind: "ServiceAccount", namespace: m[1], name: m[2] };
}

/**
 * Plain Kubernetes Secrets in a source namespace, read by ESO's Kubernetes provider. Every object
 * goes through `provider`, the stack's explicit cluster, whatever the caller's options say.
 */
export function kubernetesSourceBackend(settings: KubernetesSourceSettings, provider: KubernetesProvider): SecretBackend<SourceSecret> {
    const onCluster = (opts: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions =>
        pulumi.mergeOptions(opts, { providers: { kubernetes: provider } });
    const onClusterCustom = (opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => pulumi.mergeOptions(opts, { provider });
    // Created once, on first use, with the options of that call (the platform passes the same
    // options to every store call, so it sits beside the Secrets).
    let sourceNamespace: SourceNamespace | undefined;
    const namespaceResource = (opts: pulumi.ComponentResourceOptions): SourceNamespace =>
        (sourceNamespace ??= new SourceNamespace("secret-source", settings, onCluster(opts)));
    const namespaceOf = (opts: pulumi.ComponentResourceOptions): pulumi.Output<string> => namespaceResource(opts).namespaceName;
    const backend = defineBackend<{ secretName: string }>({
        kind: "kubernetes",
        secretType: "llm-platform-secrets:k8ssource:Secret",
        dataProtection: settings.dataProtection,
        storeOptions: onCluster,
        // Contract keys are lowercase letters, digits and dashes: valid Secret names.
        idOf: (key) => key,
        write({ spec, value, id: secretName, opts, kept, labels, versionKey }) {
            const secret = new core.Secret(
                spec.key,
                {
                    metadata: {
                        name: secretName,
                        namespace: namespaceOf(opts),
                        labels: labels(labelsOf(settings.environment, spec.component)),
                    },
                    type: "Opaque",
                    stringData: { [KUBERNETES_VALUE_PROPERTY]: pulumi.secret(value) },
                },
                kept(`${settings.namespace}/${secretName}`),
            );
            return { backendId: secret.metadata.name, version: keyedVersion(versionKey(), value), secretName, dependencies: [secret] };
        },
        grant(name, principal, secrets, opts) {
            const namespace = namespaceOf({});
            const metadata = { name, namespace, labels: labelsOf(settings.environment) };
            // `get` on exactly these names. No list or watch: RBAC cannot limit them by name, and a
            // list would return every value in the namespace (the Dex admin password too). ESO
            // reads each remoteRef with a get, and its store check looks for `get` on secrets.
            const role = new rbac.Role(
                name,
                {
                    metadata,
                    rules: [
                        {
                            apiGroups: [""],
                            resources: ["secrets"],
                            resourceNames: secrets.map((s) => s.secretName),
                            verbs: ["get"],
                        },
                    ],
                },
                onClusterCustom(opts),
            );
            const binding = new rbac.RoleBinding(
                name,
                {
                    metadata,
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                    subjects: [pulumi.output(principal.member).apply(serviceAccountSubject)],
                },
                onClusterCustom(opts),
            );
            return [role, binding];
        },
        reference(secret) {
            // The provider has no versions; without `property` it would return the whole Secret as JSON.
            return { key: secret.backendId, property: KUBERNETES_VALUE_PROPERTY };
        },
        storeAccess(name, reader, opts) {
            // The store reads as its own namespace's service account (ESO resolves a namespaced
            // store's service account in the store's namespace), which `grantRead` lets `get`
            // exactly its Secrets' entries. ESO's store check (a SelfSubjectRulesReview) needs no
            // grant: Kubernetes' default `system:basic-user` role lets every authenticated
            // subject create self reviews.
            const namespace = namespaceOf(opts);
            return {
                principal: { name, member: serviceAccountMember(reader) },
                storeProvider: {
                    kubernetes: {
                        remoteNamespace: namespace,
                        // A namespaced store's caProvider names no namespace: the store's own
                        // namespace has the cluster CA in this ConfigMap, like every namespace.
                        server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
                        auth: { serviceAccount: { name: reader.serviceAccountName } },
                    },
                },
            };
        },
    });
    if (settings.values === "program") {
        return backend;
    }
    return {
        ...backend,
        valuesFromOperator: true,
        // Nothing is written: the operator creates `<namespace>/<key>` with data key `value`
        // (npm run plan lists each one).
        store: (spec, _value, opts) => new OperatorSourceSecret(spec.key, [namespaceResource(opts)]),
    };
}
