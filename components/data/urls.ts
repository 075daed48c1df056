/**
 * Connection URLs for PostgreSQL and Redis, built with the WHATWG `URL` class.
 *
 * User and password pass through `encodeURIComponent` before the URL's setters take them: the
 * setters alone leave `%` untouched, so a password holding a literal `%25` would reach the server
 * as `%`. `encodeURIComponent` escapes everything outside the unreserved set (UTF-8 for non-ASCII),
 * and the setters leave its output as it is. Every builder checks that the URL decodes back to
 * its parts, so a value no URL can carry fails here instead of at login.
 */

/** Where PostgreSQL listens: a TCP host, or a Unix socket directory (Cloud SQL on Cloud Run). */
export type PostgresEndpoint =
    | { readonly host: string; readonly port?: number }
    | {
          /**
           * Directory of the server's socket, e.g. `/cloudsql/<connection name>`. The URL's host is
           * then `localhost` and the directory goes in the `host` query parameter, which libpq,
           * node-postgres and Prisma all read as the socket directory.
           */
          readonly socketDir: string;
          readonly port?: number;
      };

export type PostgresUrlParts = PostgresEndpoint & {
    readonly user: string;
    readonly password: string;
    /** Letters, digits and `_` only: clients decode the path differently from userinfo. */
    readonly database: string;
    /** Extra query parameters (`sslmode`, say), in the order given. */
    readonly params?: Readonly<Record<string, string>>;
};

export interface RedisUrlParts {
    readonly host: string;
    /** @default 6379 */
    readonly port?: number;
    /** AUTH password (Memorystore's AUTH string); none leaves the URL without userinfo. */
    readonly password?: string;
    /** ACL user; Memorystore's AUTH has none (the `default` user). */
    readonly username?: string;
    /** `rediss://`: TLS. */
    readonly tls: boolean;
    /** Database number in the path. @default none (the server's default, 0) */
    readonly db?: number;
}

const POSTGRES_PORT = 5432;
const REDIS_PORT = 6379;

/** `host` as a URL authority host: IPv6 literals go in brackets. */
const authorityHost = (host: string): string => (host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);

function base(scheme: string, host: string, port: number): URL {
    if (typeof host !== "string" || host === "" || /[\s/?#@]/.test(host)) {
        throw new Error(`"${host}" is not a host name or address`);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`port ${port} is not a TCP port`);
    }
    return new URL(`${scheme}://${authorityHost(host)}:${port}`);
}

function setUserinfo(url: URL, user: string, password: string | undefined): void {
    url.username = encodeURIComponent(user);
    if (password !== undefined) {
        url.password = encodeURIComponent(password);
    }
}

/** Throws unless `url` decodes back to the user and password it was built from. */
function checkUserinfo(url: URL, user: string, password: string | undefined): void {
    const parsed = new URL(url.href);
    if (decodeURIComponent(parsed.username) !== user || decodeURIComponent(parsed.password) !== (password ?? "")) {
        throw new Error(`${parsed.protocol} URL does not carry its user and password intact`);
    }
}

/**
 * The URL of a Cloud SQL database through the Cloud SQL connector's socket directory
 * `/cloudsql/<project>:<region>:<instance>` (Cloud Run's Cloud SQL volume), on the port the
 * socket is named after (`.s.PGSQL.5432`).
 */
export function cloudSqlConnectorUrl(login: { user: string; password: string; database: string }, connectionName: string): string {
    return postgresUrl({ ...login, socketDir: `/cloudsql/${connectionName}`, port: POSTGRES_PORT });
}

/** `postgresql://USER:PASSWORD@HOST:PORT/DATABASE[?params]`, user and password percent-encoded. */
export function postgresUrl(parts: PostgresUrlParts): string {
    if (parts.user === "") {
        throw new Error("a PostgreSQL URL needs a user");
    }
    if (!/^[A-Za-z0-9_]{1,63}$/.test(parts.database)) {
        throw new Error(`database name "${parts.database}" must be 1 to 63 letters, digits or _`);
    }
    const port = parts.port ?? POSTGRES_PORT;
    const socketDir = "socketDir" in parts ? parts.socketDir : undefined;
    if (socketDir !== undefined && !socketDir.startsWith("/")) {
        throw new Error(`socket directory "${socketDir}" must be an absolute path`);
    }
    const url = base("postgresql", socketDir === undefined ? (parts as { host: string }).host : "localhost", port);
    setUserinfo(url, parts.user, parts.password);
    url.pathname = `/${parts.database}`;
    if (socketDir !== undefined) {
        url.searchParams.set("host", socketDir);
    }
    for (const [k, v] of Object.entries(parts.params ?? {})) {
        url.searchParams.set(k, v);
    }
    checkUserinfo(url, parts.user, parts.password);
    return url.href;
}

/** `redis://[USER]:PASSWORD@HOST:PORT[/DB]`, or `rediss://` with TLS; userinfo percent-encoded. */
export function redisUrl(parts: RedisUrlParts): string {
    const url = base(parts.tls ? "rediss" : "redis", parts.host, parts.port ?? REDIS_PORT);
    if (parts.password !== undefined || parts.username !== undefined) {
        setUserinfo(url, parts.username ?? "", parts.password);
        checkUserinfo(url, parts.username ?? "", parts.password);
    }
    if (parts.db !== undefined) {
        if (!Number.isInteger(parts.db) || parts.db < 0) {
            throw new Error(`Redis database ${parts.db} is not a whole number ≥ 0`);
        }
        url.pathname = `/${parts.db}`;
    }
    return url.href;
}
