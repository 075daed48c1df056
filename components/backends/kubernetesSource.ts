import * as core from "@pulumi/kubernetes/core/v1";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as rbac from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import { Principal, SecretBackend, SecretReference, StoreAccess, StoreReader, StoredSecret } from "./backend";
import { VersionKey, keyedVersion } from "./contentVersion";
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

export interface KubernetesSourceSecretArgs {
    readonly environment: string;
    readonly namespace: pulumi.Input<string>;
    readonly spec: SecretSpec;
    /** The value to store; must be a Pulumi secret. */
    readonly value: pulumi.Input<string>;
    readonly dataProtection: boolean;
    /** The stack's `VersionKey`: `version` is a keyed digest of the value. */
    readonly versionKey: pulumi.Input<string>;
    /**
     * Import this existing Secret of the source namespace (`id`: its name) instead of creating
     * it. It must already keep its value under the `value` key.
     * @default undefined (create)
     */
    readonly adopt?: BackendAdoption;
    /** Name of the source namespace, for the import id (`<namespace>/<name>`). Required with `adopt`. */
    readonly namespaceName?: string;
}

/** One Secret in the source namespace, named by its contract key, with the value under `value`. */
export class KubernetesSourceSecret extends pulumi.ComponentResource implements StoredSecret {
    public readonly key: string;
    /** The Secret's name in the source namespace: ExternalSecrets' `remoteRef.key`. */
    public readonly backendId: pulumi.Output<string>;
    /** Keyed digest of the value (see `contentVersion`). */
    public readonly version: pulumi.Output<string>;
    public readonly dependencies: readonly pulumi.Resource[];
    /** The Secret's name: the key's, or an adopted Secret's own. */
    public readonly secretName: string;

    constructor(name: string, args: KubernetesSourceSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:k8ssource:Secret", name, {}, opts);
        this.key = args.spec.key;
        const adopt = args.adopt;
        this.secretName = adopt?.id ?? args.spec.key;
        const secret = new core.Secret(
            name,
            {
                // Contract keys are lowercase letters, digits and dashes: valid Secret names.
                metadata: {
                    name: this.secretName,
                    namespace: args.namespace,
                    // An adopted Secret keeps the labels it has: an import must match them.
                    labels: adopt !== undefined ? { ...adopt.labels } : labelsOf(args.environment, args.spec.component),
                },
                type: "Opaque",
                stringData: { [KUBERNETES_VALUE_PROPERTY]: pulumi.secret(args.value) },
            },
            {
                parent: this,
                protect: args.dataProtection,
                ...(adopt === undefined ? {} : { import: `${args.namespaceName ?? ""}/${this.secretName}`, retainOnDelete: true }),
            },
        );
        this.backendId = secret.metadata.name;
        this.version = keyedVersion(args.versionKey, args.value);
        this.dependencies = [secret];
        this.registerOutputs({ backendId: this.backendId, version: this.version });
    }
}

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
    let versionKey: pulumi.Output<string> | undefined;
    const versionKeyOf = (): pulumi.Output<string> => (versionKey ??= new VersionKey("secret-version-key").key);
    const namespaceResource = (opts: pulumi.ComponentResourceOptions): SourceNamespace =>
        (sourceNamespace ??= new SourceNamespace("secret-source", settings, onCluster(opts)));
    const namespaceOf = (opts: pulumi.ComponentResourceOptions): pulumi.Output<string> => namespaceResource(opts).namespaceName;
    const fromOperator = settings.values === "operator";
    return {
        kind: "kubernetes",
        valuesFromOperator: fromOperator,
        store(
            spec: SecretSpec,
            value: pulumi.Output<string>,
            opts: pulumi.ComponentResourceOptions,
            adopt?: BackendAdoption,
        ): SourceSecret {
            if (fromOperator) {
                // Nothing is written: the operator creates `<namespace>/<key>` with data key
                // `value` (npm run plan lists each one).
                return new OperatorSourceSecret(spec.key, [namespaceResource(opts)]);
            }
            return new KubernetesSourceSecret(
                spec.key,
                {
                    environment: settings.environment,
                    namespace: namespaceOf(opts),
                    spec,
                    value,
                    dataProtection: settings.dataProtection,
                    versionKey: versionKeyOf(),
                    adopt,
                    namespaceName: settings.namespace,
                },
                onCluster(opts),
            );
        },
        grantRead(name: string, principal: Principal, secrets: readonly SourceSecret[], opts: pulumi.CustomResourceOptions) {
            if (secrets.length === 0) {
                return [];
            }
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
        reference(secret: SourceSecret): SecretReference {
            // The provider has no versions; without `property` it would return the whole Secret as JSON.
            return { key: secret.backendId, property: KUBERNETES_VALUE_PROPERTY };
        },
        storeAccess(name: string, reader: StoreReader, opts: pulumi.ComponentResourceOptions): StoreAccess {
            // The store reads as its own namespace's service account (ESO resolves a namespaced
            // store's service account in the store's namespace), which `grantRead` lets `get`
            // exactly its Secrets' entries. ESO's store check (a SelfSubjectRulesReview) needs no
            // grant: Kubernetes' default `system:basic-user` role lets every authenticated
            // subject create self reviews.
            const namespace = namespaceOf(opts);
            return {
                principal: { name, member: serviceAccountMember(reader) },
                serviceAccountAnnotations: {},
                storeProvider: {
                    kubernetes: {
                        remoteNamespace: namespace,
                        // A namespaced store's caProvider names no namespace: the store's own
                        // namespace has the cluster CA in this ConfigMap, like every namespace.
                        server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
                        auth: { serviceAccount: { name: reader.serviceAccountName } },
                    },
                },
                operatorSecrets: [],
            };
        },
    };
}
