/**
 * A read-only user on LiteLLM's database, for Grafana's LiteLLM datasource (the platform guide's
 * `litellm/litellm-grafana-ro` and `monitoring/grafana-datasource-litellm`).
 *
 * Cloud SQL's API creates every built-in user as a member of `cloudsqlsuperuser`, with CREATEROLE
 * and CREATEDB (Cloud SQL docs, "About PostgreSQL users and roles"), and the API has no way to
 * make a user without them. So the user is read-only only once an administrator has run this
 * SQL, which the runbook prints: it drops that membership and those attributes, and grants
 * SELECT on LiteLLM's tables and nothing else.
 */
import { quoteIdent, quoteLiteral } from "../rotation/alternation";

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
        // What Cloud SQL's API gave it: the superuser-like role and the right to make roles and databases.
        `REVOKE cloudsqlsuperuser FROM ${user}`,
        `ALTER ROLE ${user} NOCREATEDB NOCREATEROLE`,
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
