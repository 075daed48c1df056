import * as sql from "@pulumi/gcp/sql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

import { componentWithOutputs } from "./outputs";
import { READ_ONLY_USER_DATABASE_ROLES } from "./readOnlyUser";
import { cloudSqlConnectorUrl } from "./urls";

export interface PostgresArgs {
    readonly project: string;
    readonly region: string;
    /**
     * Instance name before its suffix. A deleted instance's name stays taken for a week, so a
     * short random suffix, kept in state, follows it.
     */
    readonly instanceName: string;
    /** Cloud SQL version, e.g. `POSTGRES_16`. */
    readonly databaseVersion: string;
    /** Machine tier, e.g. `db-f1-micro` or `db-custom-2-7680`. */
    readonly tier: string;
    /**
     * `ENTERPRISE` or `ENTERPRISE_PLUS`. Set explicitly: for POSTGRES_16 and later the API picks
     * ENTERPRISE_PLUS, which refuses shared-core and custom tiers.
     * @default "ENTERPRISE"
     */
    readonly edition?: "ENTERPRISE" | "ENTERPRISE_PLUS";
    /**
     * `REGIONAL` keeps a standby in a second zone; it needs backups with point-in-time recovery,
     * so it needs `dataProtection`.
     * @default "ZONAL"
     */
    readonly availabilityType?: "ZONAL" | "REGIONAL";
    /**
     * The application's database.
     * @default "litellm"
     */
    readonly databaseName?: string;
    /** The application's database user: the one the connection URL names. */
    readonly userName: pulumi.Input<string>;
    /** That user's password; must be a Pulumi secret. */
    readonly password: pulumi.Input<string>;
    /**
     * Every login user of the application, when there is more than the URL's: two users that
     * take turns (`userName` then names the active one, and the other keeps working until the
     * next rotation). One `sql.User` each, named after the user.
     * @default [] (one user: `userName` with `password`)
     */
    readonly users?: readonly PostgresUser[];
    /**
     * Users that only read the application's tables (Grafana's): created with
     * `READ_ONLY_USER_DATABASE_ROLES`, not in `cloudsqlsuperuser`; they read the tables once
     * the SQL of `readOnlyUserSql` (docs/runbook.md) has run. Never the URL's user.
     * @default []
     */
    readonly readOnlyUsers?: readonly PostgresUser[];
    /**
     * VPC network for a private IP only (private service access must be connected on it first:
     * pass an Output that resolves after it). Unset: a public IP with no authorized networks, so
     * the instance is reachable only through the Cloud SQL connector with IAM.
     * @default undefined
     */
    readonly privateNetwork?: pulumi.Input<string>;
    /**
     * Keep the data: Pulumi `protect` and the API's deletion protection on the instance, daily
     * backups with point-in-time recovery, and the database abandoned rather than dropped.
     * @default true
     */
    readonly dataProtection?: boolean;
    /**
     * Automated backups kept, when `dataProtection` is on.
     * @default 14
     */
    readonly retainedBackups?: number;
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

export interface PostgresUser {
    readonly name: string;
    /** Must be a Pulumi secret. */
    readonly password: pulumi.Input<string>;
}

/**
 * A built-in Cloud SQL user, on an instance made here or adopted. `databaseRoles` names its
 * roles (unset: the API's default, `cloudsqlsuperuser`).
 */
export const cloudSqlUserArgs = (
    project: pulumi.Input<string>,
    instance: pulumi.Input<string>,
    user: { readonly name: pulumi.Input<string>; readonly password: pulumi.Input<string> },
    databaseRoles?: readonly string[],
): sql.UserArgs => ({
    project,
    instance,
    name: user.name,
    password: user.password,
    type: "BUILT_IN",
    // PostgreSQL refuses to drop a role that owns objects (LiteLLM's tables).
    deletionPolicy: "ABANDON",
    ...(databaseRoles === undefined ? {} : { databaseRoles: [...databaseRoles] }),
});

/**
 * What the runtime reads of its PostgreSQL, whether the program creates it (`Postgres`) or reads
 * one that exists (`ExistingPostgres`); both register exactly these as their outputs.
 */
export interface PostgresOutputs {
    /** The instance's name (with its suffix, where the program named it). */
    readonly instanceName: pulumi.Output<string>;
    /** `<project>:<region>:<instance>`: what Cloud Run attaches and the connector dials. */
    readonly connectionName: pulumi.Output<string>;
    readonly databaseName: pulumi.Output<string>;
    /** The user the connection URL names. */
    readonly userName: pulumi.Output<string>;
    /** The private IP ("" without one): what workloads in a peered VPC (GKE) connect to. */
    readonly privateAddress: pulumi.Output<string>;
    /**
     * `postgresql://` URL through the Cloud SQL connector's socket at
     * `/cloudsql/<connection name>` (Cloud Run's Cloud SQL volume): the connector encrypts and
     * authorizes with IAM, for a private or a public instance alike. A Pulumi secret.
     */
    readonly connectorUrl: pulumi.Output<string>;
}

/** The connector URL of `user` (with `password`) to `database` on the instance `connectionName`; a Pulumi secret. */
export const connectorUrlOf = (
    user: pulumi.Input<string>,
    password: pulumi.Input<string>,
    database: pulumi.Input<string>,
    connectionName: pulumi.Input<string>,
): pulumi.Output<string> =>
    pulumi.secret(
        pulumi
            .all([user, password, connectionName, database])
            .apply(([user, password, connectionName, database]) => cloudSqlConnectorUrl({ user, password, database }, connectionName)),
    );

/** Cloud SQL for PostgreSQL with one application database and its user. */
export class Postgres extends componentWithOutputs<PostgresOutputs>() {
    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:data:Postgres", name, opts, (self) => postgres(self, name, args));
    }
}

function postgres(self: pulumi.ComponentResource, name: string, args: PostgresArgs): PostgresOutputs {
    const child = { parent: self };
    const dataProtection = args.dataProtection ?? true;
    const availabilityType = args.availabilityType ?? "ZONAL";
    const databaseName = args.databaseName ?? "litellm";
    if (availabilityType === "REGIONAL" && !dataProtection) {
        throw new pulumi.ResourceError(
            "availabilityType REGIONAL needs dataProtection: high availability requires backups with point-in-time recovery",
            self,
        );
    }
    if (!/^POSTGRES_[0-9]+$/.test(args.databaseVersion)) {
        throw new pulumi.ResourceError(`databaseVersion "${args.databaseVersion}" is not a PostgreSQL version`, self);
    }

    const userNames = (args.users ?? []).map((u) => u.name);
    const readOnlyNames = (args.readOnlyUsers ?? []).map((u) => u.name);
    const allNames = [...userNames, ...readOnlyNames, ...(typeof args.userName === "string" ? [args.userName] : [])];
    if (new Set([...userNames, ...readOnlyNames]).size !== userNames.length + readOnlyNames.length) {
        throw new pulumi.ResourceError(`users and readOnlyUsers list a name twice: ${allNames.join(", ")}`, self);
    }
    if (typeof args.userName === "string" && readOnlyNames.includes(args.userName)) {
        throw new pulumi.InputPropertyError({
            propertyPath: "readOnlyUsers",
            reason: `${args.userName} is the URL's user: it cannot be read-only`,
        });
    }
    if (typeof args.userName === "string" && userNames.length > 0 && !userNames.includes(args.userName)) {
        throw new pulumi.InputPropertyError({
            propertyPath: "userName",
            reason: `userName ${args.userName} is not one of users (${userNames.join(", ")}): the URL must name a user that exists`,
        });
    }

    const suffix = new random.RandomId(`${name}-suffix`, { byteLength: 2 }, child);
    const instance = new sql.DatabaseInstance(
        name,
        {
            project: args.project,
            region: args.region,
            name: pulumi.interpolate`${args.instanceName}-${suffix.hex}`,
            databaseVersion: args.databaseVersion,
            // Pulumi's guard (the provider refuses to delete) and the API's (nothing can).
            deletionProtection: dataProtection,
            settings: {
                tier: args.tier,
                edition: args.edition ?? "ENTERPRISE",
                availabilityType,
                diskType: "PD_SSD",
                diskAutoresize: true,
                deletionProtectionEnabled: dataProtection,
                backupConfiguration: dataProtection
                    ? {
                          enabled: true,
                          pointInTimeRecoveryEnabled: true,
                          startTime: "02:00",
                          transactionLogRetentionDays: 7,
                          backupRetentionSettings: {
                              retainedBackups: args.retainedBackups ?? 14,
                              retentionUnit: "COUNT",
                          },
                      }
                    : { enabled: false },
                ipConfiguration:
                    args.privateNetwork !== undefined
                        ? { ipv4Enabled: false, privateNetwork: args.privateNetwork, sslMode: "ENCRYPTED_ONLY" }
                        : // No authorized networks: only the connector (IAM-checked) gets in.
                          { ipv4Enabled: true, sslMode: "ENCRYPTED_ONLY" },
                userLabels: { ...(args.labels ?? {}) },
            },
        },
        { ...child, protect: dataProtection },
    );
    const database = new sql.Database(
        `${name}-${databaseName}`,
        {
            project: args.project,
            instance: instance.name,
            name: databaseName,
            // Dropping a PostgreSQL database fails while anyone is connected; where data must
            // stay, leave it to the instance's own lifecycle.
            deletionPolicy: dataProtection ? "ABANDON" : "DELETE",
        },
        { ...child, protect: dataProtection },
    );
    const userArgs = (user: Parameters<typeof cloudSqlUserArgs>[2], databaseRoles?: readonly string[]): sql.UserArgs =>
        cloudSqlUserArgs(args.project, instance.name, user, databaseRoles);
    const users =
        (args.users ?? []).length === 0
            ? [new sql.User(`${name}-user`, userArgs({ name: args.userName, password: args.password }), child)]
            : (args.users ?? []).map((u) => new sql.User(`${name}-user-${u.name}`, userArgs(u), child));
    for (const u of args.readOnlyUsers ?? []) {
        new sql.User(`${name}-user-${u.name}`, userArgs(u, READ_ONLY_USER_DATABASE_ROLES), child);
    }
    // The URL is built once every user has its password, so a rotation's new URL is never
    // stored (and rolled out) before the password it carries is set.
    const userName = pulumi.all([args.userName, ...users.map((u) => u.name)]).apply(([active]) => {
        if (userNames.length > 0 && !userNames.includes(active)) {
            throw new Error(`the URL's user ${active} is not one of ${userNames.join(", ")}`);
        }
        return active;
    });

    return {
        instanceName: instance.name,
        connectionName: instance.connectionName,
        privateAddress: instance.privateIpAddress,
        databaseName: database.name,
        userName,
        connectorUrl: connectorUrlOf(userName, args.password, database.name, instance.connectionName),
    };
}
