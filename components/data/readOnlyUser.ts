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
import { quoteIdent } from "../rotation/alternation";

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
 * shared-role SQL: the owner role must exist. Safe to run again.
 */
export function readOnlyUserSql(args: ReadOnlyUserSqlArgs): string[] {
    const user = quoteIdent(args.user);
    const db = quoteIdent(args.database);
    const schema = quoteIdent(args.schema ?? "public");
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
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${user}`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(args.owner)} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${user}`,
    ];
}
