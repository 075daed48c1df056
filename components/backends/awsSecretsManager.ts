import * as iam from "@pulumi/aws/iam";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";

import { awsSecretName } from "../naming";
import { IamUser, IrsaRole, readPolicy, roleNameOf } from "./awsIam";
import { BackendAccessMode, STORE_KEY_SECRET, SecretBackend, storeKeySecret, storeKeySecretCommand } from "./backend";
import { Stored, defineBackend, jsonEntry } from "./base";

/** Settings of the Secrets Manager backend, from validated stack config. */
export interface AwsSecretsManagerSettings {
    readonly environment: string;
    /** Region of the secrets; every regional resource names it, whatever the provider's default. */
    readonly region: string;
    /** Secret names are `<secretPath>/<key>`, e.g. `app/prod/llm/litellm-master-key`. */
    readonly secretPath: string;
    /** Days a deleted secret stays recoverable; 0 deletes at once (disposable stacks only). */
    readonly recoveryWindowDays: number;
    /** Customer managed KMS key ARN; empty: Secrets Manager's AWS managed key. */
    readonly kmsKeyArn: string;
    /** Extra tags on every secret; the built-in ones (environment, component, ...) win. */
    readonly tags: Readonly<Record<string, string>>;
    /** IAM OIDC provider of the EKS cluster ESO runs in. */
    readonly oidcProviderArn: string;
    /** Rotation Lambda ARN by contract key; those secrets rotate in AWS, not here. */
    readonly rotationLambdas: Readonly<Record<string, string>>;
    /** Days between Lambda rotations. */
    readonly rotationDays: number;
    /** Protect secrets from deletion (Pulumi `protect`). */
    readonly dataProtection: boolean;
    /**
     * How stores authenticate: an IRSA role per store, or an IAM user per store whose access key
     * the operator puts in a Secret (a cluster outside EKS).
     */
    readonly access: BackendAccessMode;
}

/**
 * Data keys of the access key in `secret-store-key`, as ESO's documentation names them for
 * `auth.secretRef` (external-secrets `docs/snippets/aws-sm-store.yaml`).
 */
export const AWS_ACCESS_KEY_KEYS = { accessKeyId: "access-key", secretAccessKey: "secret-access-key" } as const;

/** A secret's name from its ARN (`arn:...:secret:<name>-<6 random characters>`), or the name itself. */
export const awsSecretNameOf = (idOrArn: string): string =>
    idOrArn.startsWith("arn:") ? (idOrArn.split(":secret:")[1] ?? idOrArn).replace(/-[A-Za-z0-9]{6}$/, "") : idOrArn;

/**
 * The JSON property every entry keeps its value under. One AWS secret per contract key (not one
 * per component): IAM scopes access per secret, so a reader gets exactly the keys its consumers
 * name, and a rotation writes a version of exactly one secret.
 */
export const AWS_VALUE_PROPERTY = "value";

/**
 * One Secrets Manager secret and the version holding its current value as `{"value": ...}`:
 * `backendId` is its name (ExternalSecrets' `remoteRef.key`), `version` the VersionId this program
 * wrote, `arn` what read policies name.
 */
export type AwsSecretsManagerSecret = Stored<{ arn: pulumi.Output<string> }>;

/** AWS Secrets Manager behind the backend interface. */
export function awsSecretsManagerBackend(settings: AwsSecretsManagerSettings): SecretBackend<AwsSecretsManagerSecret> {
    return defineBackend({
        kind: "aws-secrets-manager",
        secretType: "llm-platform-secrets:awssm:Secret",
        dataProtection: settings.dataProtection,
        idOf: (key) => awsSecretName(settings.secretPath, key),
        // An adopted secret's id is its ARN, which an import needs; its name is in the ARN.
        write({ spec, value, id, parent, kept, keptVersion, labels }) {
            const rotationLambda = settings.rotationLambdas[spec.key];
            const secret = new secretsmanager.Secret(
                spec.key,
                {
                    name: awsSecretNameOf(id),
                    description: spec.description,
                    region: settings.region,
                    kmsKeyId: settings.kmsKeyArn === "" ? undefined : settings.kmsKeyArn,
                    recoveryWindowInDays: settings.recoveryWindowDays,
                    tags: labels({
                        ...settings.tags,
                        environment: settings.environment,
                        component: spec.component,
                        "contract-key": spec.key,
                        "managed-by": "pulumi",
                    }),
                },
                // Whatever description it had stays; the recovery window is provider-side.
                kept(id, { ignoreChanges: ["description", "recoveryWindowInDays"] }),
            );
            const version = new secretsmanager.SecretVersion(
                `${spec.key}-version`,
                { secretId: secret.arn, region: settings.region, secretString: jsonEntry(AWS_VALUE_PROPERTY, value) },
                // A rotation Lambda moves AWSCURRENT to the versions it writes; without this the next
                // `pulumi up` would move the label back to this one and undo the rotation.
                { ...keptVersion((v) => `${id}|${v}`), ignoreChanges: rotationLambda === undefined ? [] : ["versionStages"] },
            );
            if (rotationLambda !== undefined) {
                new secretsmanager.SecretRotation(
                    `${spec.key}-rotation`,
                    {
                        secretId: secret.arn,
                        region: settings.region,
                        rotationLambdaArn: rotationLambda,
                        rotationRules: { automaticallyAfterDays: settings.rotationDays },
                    },
                    { parent, dependsOn: [version] },
                );
            }
            return { backendId: secret.name, arn: secret.arn, version: version.versionId, dependencies: [version] };
        },
        grant(name, principal, secrets, opts) {
            const arns = secrets.map((s) => s.arn);
            const kms = settings.kmsKeyArn === "" ? undefined : { keyArn: settings.kmsKeyArn, region: settings.region };
            // One inline policy naming every ARN: it lives and dies with its role or user, and
            // nothing broader (no wildcard, no path prefix) can creep in.
            const policy = pulumi.all(arns).apply((a) => JSON.stringify(readPolicy(a, kms)));
            if (principal instanceof IamUser) {
                return [new iam.UserPolicy(name, { user: principal.userName, name, policy }, opts)];
            }
            return [new iam.RolePolicy(name, { role: pulumi.output(principal.member).apply(roleNameOf), name, policy }, opts)];
        },
        reference(secret) {
            // A Lambda-rotated secret is read at AWSCURRENT: the version written here goes stale.
            const pinned = settings.rotationLambdas[secret.key] === undefined;
            return {
                key: secret.backendId,
                property: AWS_VALUE_PROPERTY,
                ...(pinned ? { version: pulumi.interpolate`uuid/${secret.version}` } : {}),
            };
        },
        storeAccess(name, reader, opts) {
            const description = `External Secrets Operator, namespace ${reader.namespace}: reads the secrets its Secrets consume`;
            if (settings.access === "static-credentials") {
                const user = new IamUser(name, { environment: settings.environment }, opts);
                const keys = AWS_ACCESS_KEY_KEYS;
                const dir = `${reader.namespace}-${STORE_KEY_SECRET}`;
                return {
                    principal: user,
                    storeProvider: {
                        aws: {
                            service: "SecretsManager",
                            region: settings.region,
                            // ESO reads both keys from the store's own namespace.
                            auth: {
                                secretRef: {
                                    accessKeyIDSecretRef: { name: STORE_KEY_SECRET, key: keys.accessKeyId },
                                    secretAccessKeySecretRef: { name: STORE_KEY_SECRET, key: keys.secretAccessKey },
                                },
                            },
                        },
                    },
                    operatorSecrets: [
                        storeKeySecret(
                            reader,
                            [keys.accessKeyId, keys.secretAccessKey],
                            user.userName.apply((userName) => [
                                `mkdir -m 700 ${dir}`,
                                // One call returns both halves; jq -j writes them without a newline.
                                `aws iam create-access-key --user-name ${userName} --output json > ${dir}/key.json`,
                                `jq -j .AccessKey.AccessKeyId ${dir}/key.json > ${dir}/${keys.accessKeyId}`,
                                `jq -j .AccessKey.SecretAccessKey ${dir}/key.json > ${dir}/${keys.secretAccessKey}`,
                                storeKeySecretCommand(reader.namespace, {
                                    [keys.accessKeyId]: `${dir}/${keys.accessKeyId}`,
                                    [keys.secretAccessKey]: `${dir}/${keys.secretAccessKey}`,
                                }),
                                `rm -rf ${dir}`,
                            ]),
                        ),
                    ],
                };
            }
            const role = new IrsaRole(
                name,
                { environment: settings.environment, oidcProviderArn: settings.oidcProviderArn, reader, description },
                opts,
            );
            return {
                principal: role,
                // ESO reads the role to assume from the store's service account
                // (external-secrets `providers/v1/aws/auth/auth.go`, credsFromServiceAccount).
                serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": role.arn },
                storeProvider: {
                    aws: {
                        service: "SecretsManager",
                        region: settings.region,
                        auth: { jwt: { serviceAccountRef: { name: reader.serviceAccountName } } },
                    },
                },
            };
        },
    });
}
