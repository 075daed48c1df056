/** The stack's existing data stores, when config adopts them: the adoption components built from settings. */
import * as pulumi from "@pulumi/pulumi";

import { ExistingPostgres, ExistingPostgresArgs, ExistingRedis } from "../adoption/runtime";
import type { PlatformSettings } from "../config";
import { LITELLM_KEYS } from "../contract";

/**
 * The stack's existing Cloud SQL instance, when config adopts one (undefined: create one). While
 * the adopted database URL is kept, its one user is the only one: the program adds its users at
 * the switch.
 */
export function existingPostgres(
    name: string,
    config: PlatformSettings,
    login: Pick<ExistingPostgresArgs, "userName" | "password" | "users" | "readOnlyUsers">,
    opts?: pulumi.ComponentResourceOptions,
): ExistingPostgres | undefined {
    const adopted = config.adoption.runtime;
    if (adopted.cloudSqlInstance === undefined) {
        return undefined;
    }
    return new ExistingPostgres(
        name,
        {
            project: config.gcp.project,
            region: config.gcp.region,
            instanceName: adopted.cloudSqlInstance,
            databaseName: adopted.cloudSqlDatabase,
            userName: login.userName,
            password: login.password,
            users: config.adoption.valuesGiven.has(LITELLM_KEYS.databaseUrl) ? [] : login.users,
            readOnlyUsers: login.readOnlyUsers ?? [],
        },
        opts,
    );
}

/** The stack's existing Memorystore instance, when config adopts one (undefined: create one). */
export function existingRedis(name: string, config: PlatformSettings, opts?: pulumi.ComponentResourceOptions): ExistingRedis | undefined {
    const adopted = config.adoption.runtime;
    if (adopted.redisInstance === undefined) {
        return undefined;
    }
    return new ExistingRedis(
        name,
        {
            project: config.gcp.project,
            region: config.gcp.region,
            instanceName: adopted.redisInstance,
            transitEncryption: config.gcpRuntime.redis.transitEncryption,
        },
        opts,
    );
}
