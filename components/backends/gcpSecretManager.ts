import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type * as gcpInput from "@pulumi/gcp/types/input";
import * as pulumi from "@pulumi/pulumi";

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
}

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
        const replication: gcpInput.secretmanager.SecretReplication =
            args.replicationLocations.length === 0
                ? { auto: {} }
                : { userManaged: { replicas: args.replicationLocations.map((location) => ({ location })) } };

        const secret = new secretmanager.Secret(
            name,
            {
                project: args.project,
                secretId: secretId(args.prefix, args.spec.key),
                labels: {
                    environment: labelValue(args.environment),
                    component: labelValue(args.spec.component),
                    "managed-by": "pulumi",
                },
                replication,
                // Deleting a secret deletes every version: the API refuses it where data must stay.
                deletionProtection: args.dataProtection,
            },
            { parent: this, protect: args.dataProtection },
        );
        const version = new secretmanager.SecretVersion(
            `${name}-version`,
            {
                secret: secret.id,
                secretData: args.value,
                // A rotation replaces the version: keep the old one disabled (recoverable) where
                // data must stay, destroy it where the stack is disposable.
                deletionPolicy: args.dataProtection ? "DISABLE" : "DELETE",
            },
            { parent: this },
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
        store(spec: SecretSpec, value: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions): StoredSecret {
            return new GcpSecretManagerSecret(spec.key, { ...settings, spec, value }, opts);
        },
        grantRead(name: string, principal: Principal, secrets: readonly StoredSecret[], opts: pulumi.CustomResourceOptions) {
            // Additive and per secret: a SecretIamMember never removes grants others made, and a
            // project-level grant would open every secret in the project.
            return secrets.map(
                (s) =>
                    new secretmanager.SecretIamMember(
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
                new projects.IAMAuditConfig(
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
            new serviceaccount.IAMMember(
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
