/**
 * A read-only user on LiteLLM's database, for Grafana's LiteLLM datasource (the platform guide's
 * `litellm/litellm-grafana-ro` and `monitoring/grafana-datasource-litellm`).
 *
 * Cloud SQL's API makes a built-in user a member of `cloudsqlsuperuser`, with CREATEROLE and
 * CREATEDB (Cloud SQL docs, "About PostgreSQL users and roles"), unless the request names its
 * roles: the program names `READ_ONLY_USER_DATABASE_ROLES`. The user reads LiteLLM's tables
 * once an administrator has run this SQL, which the runbook prints: it grants SELECT on them and
 * nothing else, drops any membership or attribute an older user still has, and checks.
 */
import { quoteIdent, quoteLiteral } from "../rotation/alternation";

/**
 * The database roles a read-only user is created with through Cloud SQL's API (`sql.User`
 * `databaseRoles`). The API makes a user a member of `cloudsqlsuperuser` unless the request
 * names other roles (Cloud SQL Admin API, users.insert / users.update `databaseRoles`); naming
 * PostgreSQL's own monitoring role keeps Grafana's user out of `cloudsqlsuperuser` from the
 * start. On a user that exists, a change of the list is an update with `revokeExistingRoles`
 * (terraform-provider-google `resource_sql_user.go`): Cloud SQL, as its own superuser, revokes
 * the roles not listed, which on PostgreSQL 16 no `postgres` can (the runbook's SQL checks).
 * `pg_monitor` (PostgreSQL docs, "Predefined Roles") reads statistics and settings, never table
 * data or anything it could change.
 */
export const READ_ONLY_USER_DATABASE_ROLES: readonly string[] = ["pg_monitor"];

export interface ReadOnlyUserSqlArgs {
    /** The read-only user (config `cloudSqlGrafanaUser`). */
    readonly user: string;
    /** LiteLLM's database. */
    readonly database: string;
    /**
     * The role that owns LiteLLM's tables: the shared role of the alternating users (config
     * `litellmDbUsername`), so tables its migrations create later are readable too.
     */
    readonly owner: string;
    /** The schema LiteLLM's tables live in. @default "public" */
    readonly schema?: string;
}

/**
 * The statements, in order, to run once as an administrator (Cloud SQL: `postgres`) after the
 * shared-role SQL: the owner role must exist. Safe to run again. One statement a line, each
 * ending in `;`: the runbook prints them so and its test runs them line by line.
 *
 * On Cloud SQL `postgres` is no superuser (CREATEROLE, CREATEDB, a member of
 * `cloudsqlsuperuser`), so it may grant on LiteLLM's tables, and set default privileges for the
 * owner role, only as a member of that role: hence the `GRANT owner TO CURRENT_USER` first.
 * Where PostgreSQL only warns (a REVOKE matching no grant: on PostgreSQL 16 and later a
 * membership granted by another role), the last statement checks the outcome and fails.
 */
export function readOnlyUserSql(args: ReadOnlyUserSqlArgs): string[] {
    const user = quoteIdent(args.user);
    const db = quoteIdent(args.database);
    const schema = quoteIdent(args.schema ?? "public");
    const owner = quoteIdent(args.owner);
    const userLiteral = quoteLiteral(args.user);
    return [
        // What Cloud SQL's API gave a user created before it named the user's roles: the
        // superuser-like role and the right to make roles and databases. Each only when there,
        // since on PostgreSQL 16 even a no-op needs ADMIN OPTION.
        `DO $$BEGIN IF pg_has_role(${userLiteral}, 'cloudsqlsuperuser', 'MEMBER') THEN REVOKE cloudsqlsuperuser FROM ${user}; END IF; END$$`,
        `DO $$BEGIN IF (SELECT rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = ${userLiteral}) THEN ALTER ROLE ${user} NOCREATEDB NOCREATEROLE; END IF; END$$`,
        // PUBLIC may create in the public schema (PostgreSQL before 15) and make temporary tables
        // (every version); LiteLLM's shared role holds both explicitly, so only others lose them.
        `REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`,
        `REVOKE TEMPORARY ON DATABASE ${db} FROM PUBLIC`,
        `GRANT CONNECT ON DATABASE ${db} TO ${user}`,
        `GRANT USAGE ON SCHEMA ${schema} TO ${user}`,
        // A non-superuser grants on another role's tables, and sets that role's default
        // privileges, only as a member of it (PostgreSQL: GRANT, ALTER DEFAULT PRIVILEGES).
        `GRANT ${owner} TO CURRENT_USER`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${user}`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${user}`,
        `DO $$BEGIN IF pg_has_role(${userLiteral}, 'cloudsqlsuperuser', 'MEMBER') OR (SELECT rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = ${userLiteral}) THEN RAISE EXCEPTION '% is still a member of cloudsqlsuperuser or may create roles or databases', ${userLiteral}; END IF; END$$`,
    ];
}
