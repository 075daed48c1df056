/**
 * The GCP runtime's data stores when they already exist (the Cloud Run guide's `gcloud sql
 * instances create litellm-db` and `gcloud redis instances create litellm-redis`): the program
 * reads them by id instead of creating them, and exposes what its own `Postgres` and `Redis`
 * expose, so the rest of the runtime is wired the same way.
 *
 * They are read, not imported: the program needs their addresses and certificates, not their
 * settings, and an import would make every setting an operator chose (tier, backups, network) an
 * input to match or to change. A read resource is never deleted by Pulumi.
 */
import * as redis from "@pulumi/gcp/redis";
import * as sql from "@pulumi/gcp/sql";
import * as pulumi from "@pulumi/pulumi";

import { componentWithOutputs } from "../data/outputs";
import { PostgresOutputs, PostgresUser, cloudSqlUserArgs, connectorUrlOf } from "../data/postgres";
import { READ_ONLY_USER_DATABASE_ROLES } from "../data/readOnlyUser";
import { RedisOutputs, memorystoreOutputs } from "../data/redis";

export interface ExistingPostgresArgs {
    readonly project: string;
    readonly region: string;
    /** The existing instance's name. */
    readonly instanceName: string;
    /** The existing database LiteLLM uses. */
    readonly databaseName: string;
    /** The user the program's URL names (the active one of `users`). */
    readonly userName: pulumi.Input<string>;
    /** That user's password; a Pulumi secret. */
    readonly password: pulumi.Input<string>;
    /**
     * Users the program creates in the instance: none while the adopted database URL (and its one
     * user) is kept; the alternating users from the switch on.
     */
    readonly users: readonly PostgresUser[];
    /** Read-only users (Grafana's), created in the instance like the program's own. @default [] */
    readonly readOnlyUsers?: readonly PostgresUser[];
}

/**
 * An existing Cloud SQL for PostgreSQL instance and database, read by name. Its `connectorUrl` is
 * the program's own URL (used from the switch on).
 */
export class ExistingPostgres extends componentWithOutputs<PostgresOutputs>() {
    constructor(name: string, args: ExistingPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:adoption:ExistingPostgres", name, opts, (self) => {
            const child = { parent: self };
            const instance = sql.DatabaseInstance.get(
                name,
                `projects/${args.project}/instances/${args.instanceName}`,
                { project: args.project, region: args.region, name: args.instanceName },
                child,
            );
            // Users are the program's own (the alternating pair, after the switch). The guide's user
            // stays as it is: PostgreSQL refuses to drop a role that owns objects, so ABANDON.
            const user = (u: PostgresUser, databaseRoles?: readonly string[]): sql.User =>
                new sql.User(`${name}-user-${u.name}`, cloudSqlUserArgs(args.project, args.instanceName, u, databaseRoles), child);
            const users = [
                ...args.users.map((u) => user(u)),
                ...(args.readOnlyUsers ?? []).map((u) => user(u, READ_ONLY_USER_DATABASE_ROLES)),
            ];
            const userName = pulumi.all([args.userName, ...users.map((u) => u.name)]).apply(([active]) => active);
            return {
                instanceName: pulumi.output(args.instanceName),
                connectionName: instance.connectionName,
                privateAddress: instance.privateIpAddress.apply((a) => a ?? ""),
                databaseName: pulumi.output(args.databaseName),
                userName,
                connectorUrl: connectorUrlOf(userName, args.password, args.databaseName, instance.connectionName),
            };
        });
    }
}

export interface ExistingRedisArgs {
    readonly project: string;
    readonly region: string;
    /** The existing Memorystore instance's id. */
    readonly instanceName: string;
    /** Whether it serves TLS (`gcloud redis instances describe … --format='value(transitEncryptionMode)'`). */
    readonly transitEncryption: boolean;
}

/** An existing Memorystore for Redis instance, read by id. */
export class ExistingRedis extends componentWithOutputs<RedisOutputs>() {
    constructor(name: string, args: ExistingRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:adoption:ExistingRedis", name, opts, (self) => {
            const instance = redis.Instance.get(
                name,
                `projects/${args.project}/locations/${args.region}/instances/${args.instanceName}`,
                { project: args.project, region: args.region, name: args.instanceName },
                { parent: self, additionalSecretOutputs: ["authString"] },
            );
            return memorystoreOutputs(instance, args.transitEncryption);
        });
    }
}
