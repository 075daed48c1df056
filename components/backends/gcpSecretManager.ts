import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import { labelValue, secretId } from "../naming";
import { WorkloadServiceAccount } from "../identity/serviceAccount";
import { ExternalSecretsAccess, KubernetesReader, Principal, SecretBackend, SecretReference, StoredSecret } from "./backend";

/** Settings of the Secret Manager backend, from validated stack config. */
export interface GcpSecretManagerSettings {
    readonly project: string;
    readonly environment: string;
    /** Secret ids are `<prefix>-<key>`. */
    readonly prefix: string;
    /** Replica locations; empty means automatic replication. */
    readonly replicationLocations: readonly string[];
    /**
     * Keep data on delete: secrets get deletion protection and `protect`, replaced versions are
     * disabled instead of destroyed.
     */
    readonly dataProtection: boolean;
}

export interface GcpSecretManagerSecretArgs extends GcpSecretManagerSettings {
    readonly spec: SecretSpec;
    /** The value to store; must be a Pulumi secret. */
    readonly value: pulumi.Input<string>;
    /**
     * Import this existing secret (and version) instead of creating one.
     * @default undefined (create)
     */
    readonly adopt?: BackendAdoption;
}

/** Replication as the API has it: automatic, or user-managed in these locations. */
const replicationOf = (locations: readonly string[]): gcp.types.input.secretmanager.SecretReplication =>
    locations.length === 0 ? { auto: {} } : { userManaged: { replicas: locations.map((location) => ({ location })) } };

const ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";
/** Data Access log types that answer "who read which secret, and when" (reads of values and of metadata). */
export const SECRET_ACCESS_LOG_TYPES = ["ADMIN_READ", "DATA_READ"] as const;

/** One Secret Manager secret and the version holding its current value. */
export class GcpSecretManagerSecret extends pulumi.ComponentResource implements StoredSecret {
    public readonly key: string;
    public readonly backendId: pulumi.Output<string>;
    public readonly version: pulumi.Output<string>;
    public readonly dependencies: readonly pulumi.Resource[];

    constructor(name: string, args: GcpSecretManagerSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:gsm:Secret", name, {}, opts);
        this.key = args.spec.key;
        const adopt = args.adopt;
        const id = adopt?.id ?? secretId(args.prefix, args.spec.key);
        // An import must find the inputs the live secret has: an adopted one gets the labels and
        // replication it has (from config, copied from gcloud secrets describe). Deletion
        // protection is a flag the provider keeps (an import reads it as off): turning it on is
        // an update of state alone, no API call. Pulumi never deletes an adopted secret: it is
        // retained (and protected where data must stay).
        const secret = new gcp.secretmanager.Secret(
            name,
            {
                project: args.project,
                secretId: id,
                labels:
                    adopt !== undefined
                        ? { ...adopt.labels }
                        : {
                              environment: labelValue(args.environment),
                              component: labelValue(args.spec.component),
                              "managed-by": "pulumi",
                          },
                replication: replicationOf(adopt?.locations ?? args.replicationLocations),
                // Deleting a secret deletes every version: the provider refuses it where data must stay.
                deletionProtection: args.dataProtection,
            },
            {
                parent: this,
                protect: args.dataProtection,
                ...(adopt === undefined ? {} : { import: `projects/${args.project}/secrets/${id}`, retainOnDelete: true }),
            },
        );
        const keptVersion = adopt?.version;
        const version = new gcp.secretmanager.SecretVersion(
            `${name}-version`,
            {
                secret: secret.id,
                secretData: args.value,
                // A rotation replaces the version: keep the old one disabled (recoverable) where
                // data must stay, destroy it where the stack is disposable.
                deletionPolicy: args.dataProtection ? "DISABLE" : "DELETE",
            },
            keptVersion === undefined
                ? { parent: this }
                : {
                      parent: this,
                      // The import reads the version's payload and compares it with secretData: a
                      // wrong adopted value fails the import instead of writing anything. The
                      // deletion policy is provider-side (an import reads "DELETE"); a retained
                      // version is never deleted by Pulumi, whatever the policy.
                      import: `projects/${args.project}/secrets/${id}/versions/${keptVersion}`,
                      ignoreChanges: ["deletionPolicy"],
                      retainOnDelete: true,
                  },
        );

        this.backendId = secret.secretId;
        this.version = version.version;
        this.dependencies = [version];
        this.registerOutputs({ backendId: this.backendId, version: this.version });
    }
}

/** Google Secret Manager behind the backend interface. */
export function gcpSecretManagerBackend(settings: GcpSecretManagerSettings): SecretBackend {
    return {
        kind: "gcp-secret-manager",
        store(spec: SecretSpec, value: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions, adopt?: BackendAdoption): StoredSecret {
            return new GcpSecretManagerSecret(spec.key, { ...settings, spec, value, adopt }, opts);
        },
        grantRead(name: string, principal: Principal, secrets: readonly StoredSecret[], opts: pulumi.CustomResourceOptions) {
            // Additive and per secret: a SecretIamMember never removes grants others made, and a
            // project-level grant would open every secret in the project.
            return secrets.map(
                (s) =>
                    new gcp.secretmanager.SecretIamMember(
                        `${name}-${s.key}`,
                        { project: settings.project, secretId: s.backendId, role: ACCESSOR_ROLE, member: principal.member },
                        opts,
                    ),
            );
        },
        auditAccess(name: string, opts: pulumi.CustomResourceOptions) {
            // An audit config is not a grant: it changes what is logged, never who may read. It is
            // additive per service (other services' audit configs, and every binding, stay as they are).
            return [
                new gcp.projects.IAMAuditConfig(
                    name,
                    {
                        project: settings.project,
                        service: "secretmanager.googleapis.com",
                        auditLogConfigs: SECRET_ACCESS_LOG_TYPES.map((logType) => ({ logType })),
                    },
                    opts,
                ),
            ];
        },
        reference(secret: StoredSecret): SecretReference {
            return { key: secret.backendId, version: secret.version };
        },
        externalSecretsAccess(name: string, reader: KubernetesReader, opts: pulumi.ComponentResourceOptions): ExternalSecretsAccess {
            const account = new WorkloadServiceAccount(
                name,
                {
                    project: settings.project,
                    environment: settings.environment,
                    role: name,
                    description: "External Secrets Operator: reads the secrets Kubernetes workloads consume",
                },
                opts,
            );
            // GKE Workload Identity: ESO's Kubernetes service account may act as this account.
            new gcp.serviceaccount.IAMMember(
                `${name}-workload-identity`,
                {
                    serviceAccountId: pulumi.interpolate`projects/${settings.project}/serviceAccounts/${account.email}`,
                    role: "roles/iam.workloadIdentityUser",
                    member: `serviceAccount:${settings.project}.svc.id.goog[${reader.namespace}/${reader.serviceAccountName}]`,
                },
                { parent: account },
            );
            return {
                principal: account,
                serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": account.email },
                storeProvider: {
                    gcpsm: {
                        projectID: settings.project,
                        auth: {
                            workloadIdentity: {
                                serviceAccountRef: { name: reader.serviceAccountName, namespace: reader.namespace },
                            },
                        },
                    },
                },
            };
        },
    };
}
