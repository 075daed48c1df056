/**
 * URLs of services whose password lives in the backend: config holds the URL minus the password,
 * and the cluster assembles the whole URL (see `urlWithPassword`). Pure, table-tested.
 */

/** A service URL without a password, split into the parts a template reassembles. */
export interface EndpointUrl {
    /** `postgres`, `redis`, `http`, ... */
    readonly scheme: string;
    /** Percent-encoded user name; empty for a password-only login (Redis `AUTH <password>`). */
    readonly username: string;
    /** Host name or address (IPv6 in brackets). */
    readonly hostname: string;
    /** Port, or empty for the scheme's default. */
    readonly port: string;
    /** Path and query, e.g. `/llmtrace?sslmode=require`; empty when the URL has none. */
    readonly rest: string;
}

/** Parses a URL given in config; returns a reason when it cannot be used. */
export function parseEndpointUrl(raw: string): EndpointUrl | { readonly error: string } {
    // The assembled URL is an External Secrets template: braces would be read as template syntax.
    if (/[{}\s]/.test(raw)) {
        return { error: "must not contain spaces or braces" };
    }
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        return { error: "is not a URL" };
    }
    const scheme = url.protocol.replace(/:$/, "");
    if (!raw.startsWith(`${scheme}://`) || url.hostname === "") {
        return { error: "needs a scheme and a host, like postgres://user@host:5432/db" };
    }
    if (url.password !== "") {
        return { error: "holds a password: the password comes from the secret backend, never from config" };
    }
    if (url.hash !== "") {
        return { error: "must not have a #fragment" };
    }
    // WHATWG gives special schemes (http) a "/" path even when none was written.
    const path = url.pathname === "/" && !raw.replace(/[?].*$/, "").endsWith("/") ? "" : url.pathname;
    return { scheme, username: url.username, hostname: url.hostname, port: url.port, rest: `${path}${url.search}` };
}

/**
 * The URL with `password` (a template expression or a URL-safe value) as its password, and
 * optionally another host: `scheme://user:password@host:port/rest`.
 */
export function urlWithPassword(endpoint: EndpointUrl, password: string, hostname: string = endpoint.hostname): string {
    const port = endpoint.port === "" ? "" : `:${endpoint.port}`;
    return `${endpoint.scheme}://${endpoint.username}:${password}@${hostname}${port}${endpoint.rest}`;
}
