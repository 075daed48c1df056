/**
 * The AWS identities the Secrets Manager backend grants read to (an IRSA role, or an IAM user
 * where no OIDC provider vouches for the cluster), and the policies it writes for them.
 */
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";

import { iamRoleName } from "../naming";
import { Principal, StoreReader } from "./backend";

/** What ESO needs: the value, and the metadata DescribeSecret returns (tags, versions). */
export const AWS_READ_ACTIONS: readonly string[] = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];

/** Trust policy letting exactly one Kubernetes service account assume a role through IRSA. */
export function irsaTrustPolicy(oidcProviderArn: string, namespace: string, serviceAccountName: string): object {
    // The issuer (host/path) is the provider ARN after `oidc-provider/`; its claims are the keys.
    const issuer = oidcProviderArn.split(":oidc-provider/")[1];
    if (issuer === undefined || issuer === "") {
        throw new Error(`"${oidcProviderArn}" is not an IAM OIDC provider ARN`);
    }
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccountName}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    };
}

/**
 * Read access to exactly `secretArns`. With a customer managed key, GetSecretValue also needs
 * kms:Decrypt on it: granted only through Secrets Manager and only for these secrets.
 */
export function readPolicy(secretArns: readonly string[], kms?: { keyArn: string; region: string }): object {
    const statements: object[] = [{ Sid: "ReadSecrets", Effect: "Allow", Action: [...AWS_READ_ACTIONS], Resource: [...secretArns] }];
    if (kms !== undefined) {
        statements.push({
            Sid: "DecryptSecrets",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: kms.keyArn,
            Condition: {
                StringEquals: {
                    "kms:ViaService": `secretsmanager.${kms.region}.amazonaws.com`,
                    "kms:EncryptionContext:SecretARN": [...secretArns],
                },
            },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Role name from a role ARN (`arn:aws:iam::ACCOUNT:role/PATH/NAME`). */
export const roleNameOf = (arn: string): string => arn.split("/").pop() ?? arn;

export interface IrsaRoleArgs {
    readonly environment: string;
    readonly oidcProviderArn: string;
    /** The Kubernetes service account allowed to assume the role. */
    readonly reader: StoreReader;
    readonly description: string;
}

/** An IAM role one Kubernetes service account assumes through IRSA: a principal for grants. */
export class IrsaRole extends pulumi.ComponentResource implements Principal {
    public readonly arn: pulumi.Output<string>;
    /** The role ARN: what read policies attach to. */
    public readonly member: pulumi.Output<string>;

    constructor(
        readonly name: string,
        args: IrsaRoleArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("llm-platform-secrets:awssm:IrsaRole", name, {}, opts);
        if (args.oidcProviderArn === "") {
            throw new pulumi.ResourceError("an IRSA role needs the cluster's OIDC provider (awsOidcProviderArn)", this);
        }
        const role = new iam.Role(
            name,
            {
                name: iamRoleName(args.environment, name),
                description: args.description,
                assumeRolePolicy: JSON.stringify(
                    irsaTrustPolicy(args.oidcProviderArn, args.reader.namespace, args.reader.serviceAccountName),
                ),
                tags: { environment: args.environment, "managed-by": "pulumi" },
            },
            { parent: this },
        );
        this.arn = role.arn;
        this.member = role.arn;
        this.registerOutputs({ arn: this.arn, member: this.member });
    }
}

export interface IamUserArgs {
    readonly environment: string;
}

/**
 * An IAM user with no credentials of its own: a principal for grants where no OIDC provider can
 * vouch for the cluster. The operator makes its access key (never this program: it would be in state).
 */
export class IamUser extends pulumi.ComponentResource implements Principal {
    public readonly arn: pulumi.Output<string>;
    /** The user ARN: what read policies attach to. */
    public readonly member: pulumi.Output<string>;
    public readonly userName: pulumi.Output<string>;

    constructor(
        readonly name: string,
        args: IamUserArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("llm-platform-secrets:awssm:IamUser", name, {}, opts);
        const user = new iam.User(
            name,
            {
                // IAM user names have the role-name charset and length. Users have no description
                // field, and tag values refuse its punctuation: it stays in the plan and docs.
                name: iamRoleName(args.environment, name),
                tags: { environment: args.environment, "managed-by": "pulumi" },
            },
            { parent: this },
        );
        this.arn = user.arn;
        this.member = user.arn;
        this.userName = user.name;
        this.registerOutputs({ arn: this.arn, member: this.member, userName: this.userName });
    }
}
