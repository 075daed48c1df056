import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type * as gcpInput from "@pulumi/gcp/types/input";
import * as pulumi from "@pulumi/pulumi";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import { labelValue, secretId } from "../naming";
import { WorkloadServiceAccount } from "../identity/serviceAccount";
import type { RotationReminderTarget } from "../monitoring/rotationReminders";
import {
    BackendAccessMode,
    Principal,
    STORE_KEY_SECRET,
    SecretBackend,
    SecretReference,
    StoreAccess,
    StoreReader,
    StoredSecret,
    storeKeySecretCommand,
} from "./backend";

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
    /**
     * Secret Manager's rotation schedule for the values issued elsewhere (provided rows): the
     * service notifies the topic each period, and an alert reaches a person. Unset: no schedule.
     */
    readonly rotationReminder?: RotationReminderTarget;
    /**
     * How stores authenticate: GKE Workload Identity, or a JSON key of each store's service
     * account in a Secret the operator creates (a cluster outside GKE).
     */
    readonly access: BackendAccessMode;
}

/**
 * The data key of the JSON key in `secret-store-key`: the key ESO's documentation uses for
 * `auth.secretRef.secretAccessKeySecretRef` (external-secrets `docs/snippets/full-cluster-secret-store.yaml`).
 */
export const GCP_KEY_FILE_KEY = "secret-access-credentials";

/** The Workload Identity member of a Kubernetes service account (`PROJECT.svc.id.goog[NS/NAME]`). */
export const workloadIdentityMember = (project: string, reader: StoreReader): string =>
    `serviceAccount:${project}.svc.id.goog[${reader.namespace}/${reader.serviceAccountName}]`;

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
const replicationOf = (locations: readonly string[]): gcpInput.secretmanager.SecretReplication =>
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
        // Only a value issued elsewhere needs a reminder (the program rotates its own), and not on
        // an adopted secret, whose import must find the inputs the live secret has.
        const reminder = args.spec.source.kind === "provided" && adopt === undefined ? args.rotationReminder : undefined;
        const secret = new secretmanager.Secret(
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
                ...(reminder === undefined
                    ? {}
                    : {
                          topics: [{ name: reminder.topic }],
                          rotation: { rotationPeriod: reminder.rotationPeriod, nextRotationTime: reminder.nextRotationTime },
                      }),
            },
            {
                parent: this,
                protect: args.dataProtection,
                ...(adopt === undefined ? {} : { import: `projects/${args.project}/secrets/${id}`, retainOnDelete: true }),
                // The service advances nextRotationTime by the period after each notification.
                ...(reminder === undefined ? {} : { dependsOn: [...reminder.dependsOn], ignoreChanges: ["rotation.nextRotationTime"] }),
            },
        );
        const keptVersion = adopt?.version;
        const version = new secretmanager.SecretVersion(
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
export function gcpSecretManagerBackend(settings: GcpSecretManagerSettings): SecretBackend<GcpSecretManagerSecret> {
    return {
        kind: "gcp-secret-manager",
        store(
            spec: SecretSpec,
            value: pulumi.Output<string>,
            opts: pulumi.ComponentResourceOptions,
            adopt?: BackendAdoption,
        ): GcpSecretManagerSecret {
            return new GcpSecretManagerSecret(spec.key, { ...settings, spec, value, adopt }, opts);
        },
        grantRead(name: string, principal: Principal, secrets: readonly GcpSecretManagerSecret[], opts: pulumi.CustomResourceOptions) {
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
        reference(secret: GcpSecretManagerSecret): SecretReference {
            return { key: secret.backendId, version: secret.version };
        },
        storeAccess(name: string, reader: StoreReader, opts: pulumi.ComponentResourceOptions): StoreAccess {
            const account = new WorkloadServiceAccount(
                name,
                {
                    project: settings.project,
                    environment: settings.environment,
                    // Short enough for the 30-character account id: <env>-eso-<namespace>.
                    role: `eso-${reader.namespace}`,
                    description: `External Secrets Operator, namespace ${reader.namespace}: reads the secrets its Secrets consume`,
                },
                opts,
            );
            if (settings.access === "static-credentials") {
                // The key is made by the operator, never here: a Key resource would keep the
                // private key in state. ESO reads it from the store's own namespace.
                const file = `${reader.namespace}-${STORE_KEY_SECRET}.json`;
                return {
                    principal: account,
                    serviceAccountAnnotations: {},
                    storeProvider: {
                        gcpsm: {
                            projectID: settings.project,
                            auth: { secretRef: { secretAccessKeySecretRef: { name: STORE_KEY_SECRET, key: GCP_KEY_FILE_KEY } } },
                        },
                    },
                    operatorSecrets: [
                        {
                            namespace: reader.namespace,
                            name: STORE_KEY_SECRET,
                            keys: [GCP_KEY_FILE_KEY],
                            commands: account.email.apply((email) => [
                                `gcloud iam service-accounts keys create ${file} --iam-account=${email}`,
                                storeKeySecretCommand(reader.namespace, { [GCP_KEY_FILE_KEY]: file }),
                                `rm -f ${file}`,
                            ]),
                        },
                    ],
                };
            }
            // GKE Workload Identity: only the store's own Kubernetes service account may act as
            // this account. ESO asks for its token, trades it for an identity binding token and
            // calls generateAccessToken on the account named in the annotation
            // (external-secrets `providers/v1/gcp/secretmanager/workload_identity.go`).
            new serviceaccount.IAMMember(
                `${name}-workload-identity`,
                {
                    serviceAccountId: pulumi.interpolate`projects/${settings.project}/serviceAccounts/${account.email}`,
                    role: "roles/iam.workloadIdentityUser",
                    member: workloadIdentityMember(settings.project, reader),
                },
                { parent: account },
            );
            return {
                principal: account,
                serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": account.email },
                storeProvider: {
                    gcpsm: {
                        projectID: settings.project,
                        // A namespaced store names no namespace: ESO looks in the store's own.
                        auth: { workloadIdentity: { serviceAccountRef: { name: reader.serviceAccountName } } },
                    },
                },
                operatorSecrets: [],
            };
        },
    };
}
