import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type * as gcpInput from "@pulumi/gcp/types/input";
import * as pulumi from "@pulumi/pulumi";

import { labelValue, secretId } from "../naming";
import { WorkloadServiceAccount } from "../identity/serviceAccount";
import type { RotationReminderTarget } from "../monitoring/rotationReminders";
import { BackendAccessMode, STORE_KEY_SECRET, SecretBackend, StoreReader, storeKeySecret, storeKeySecretCommand } from "./backend";
import { Stored, defineBackend } from "./base";

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

/** Replication as the API has it: automatic, or user-managed in these locations. */
const replicationOf = (locations: readonly string[]): gcpInput.secretmanager.SecretReplication =>
    locations.length === 0 ? { auto: {} } : { userManaged: { replicas: locations.map((location) => ({ location })) } };

const ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";
/** Data Access log types that answer "who read which secret, and when" (reads of values and of metadata). */
export const SECRET_ACCESS_LOG_TYPES = ["ADMIN_READ", "DATA_READ"] as const;

/** One Secret Manager secret and the version holding its current value. */
export type GcpSecretManagerSecret = Stored;

/** Google Secret Manager behind the backend interface. */
export function gcpSecretManagerBackend(settings: GcpSecretManagerSettings): SecretBackend<GcpSecretManagerSecret> {
    return defineBackend({
        kind: "gcp-secret-manager",
        secretType: "llm-platform-secrets:gsm:Secret",
        dataProtection: settings.dataProtection,
        idOf: (key) => secretId(settings.prefix, key),
        write({ spec, value, adopt, id, kept, keptVersion, labels }) {
            // An import must find the inputs the live secret has: an adopted one gets the labels and
            // replication it has (from config, copied from gcloud secrets describe). Deletion
            // protection is a flag the provider keeps (an import reads it as off): turning it on is
            // an update of state alone, no API call.
            // Only a value issued elsewhere needs a reminder (the program rotates its own), and not on
            // an adopted secret, whose import must find the inputs the live secret has.
            const reminder = spec.source.kind === "provided" && adopt === undefined ? settings.rotationReminder : undefined;
            const secret = new secretmanager.Secret(
                spec.key,
                {
                    project: settings.project,
                    secretId: id,
                    labels: labels({
                        environment: labelValue(settings.environment),
                        component: labelValue(spec.component),
                        "managed-by": "pulumi",
                    }),
                    replication: replicationOf(adopt?.locations ?? settings.replicationLocations),
                    // Deleting a secret deletes every version: the provider refuses it where data must stay.
                    deletionProtection: settings.dataProtection,
                    ...(reminder === undefined
                        ? {}
                        : {
                              topics: [{ name: reminder.topic }],
                              rotation: { rotationPeriod: reminder.rotationPeriod, nextRotationTime: reminder.nextRotationTime },
                          }),
                },
                {
                    ...kept(`projects/${settings.project}/secrets/${id}`),
                    // The service advances nextRotationTime by the period after each notification.
                    ...(reminder === undefined ? {} : { dependsOn: [...reminder.dependsOn], ignoreChanges: ["rotation.nextRotationTime"] }),
                },
            );
            const version = new secretmanager.SecretVersion(
                `${spec.key}-version`,
                {
                    secret: secret.id,
                    secretData: value,
                    // A rotation replaces the version: keep the old one disabled (recoverable) where
                    // data must stay, destroy it where the stack is disposable.
                    deletionPolicy: settings.dataProtection ? "DISABLE" : "DELETE",
                },
                // The import reads the version's payload and compares it with secretData: a wrong
                // adopted value fails the import instead of writing anything. The deletion policy
                // is provider-side (an import reads "DELETE"); a retained version is never deleted
                // by Pulumi, whatever the policy.
                keptVersion((v) => `projects/${settings.project}/secrets/${id}/versions/${v}`, { ignoreChanges: ["deletionPolicy"] }),
            );
            return { backendId: secret.secretId, version: version.version, dependencies: [version] };
        },
        grant(name, principal, secrets, opts) {
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
        auditAccess(name, opts) {
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
        reference(secret) {
            return { key: secret.backendId, version: secret.version };
        },
        storeAccess(name, reader, opts) {
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
                    storeProvider: {
                        gcpsm: {
                            projectID: settings.project,
                            auth: { secretRef: { secretAccessKeySecretRef: { name: STORE_KEY_SECRET, key: GCP_KEY_FILE_KEY } } },
                        },
                    },
                    operatorSecrets: [
                        storeKeySecret(
                            reader,
                            [GCP_KEY_FILE_KEY],
                            account.email.apply((email) => [
                                `gcloud iam service-accounts keys create ${file} --iam-account=${email}`,
                                storeKeySecretCommand(reader.namespace, { [GCP_KEY_FILE_KEY]: file }),
                                `rm -f ${file}`,
                            ]),
                        ),
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
            };
        },
    });
}
