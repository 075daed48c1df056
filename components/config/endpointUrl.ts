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

/**
 * Query parameters that carry a credential: libpq's `password` and `sslpassword`, and the usual
 * spellings of a token or key. Config holds no secret: they come from the secret backend.
 */
const CREDENTIAL_PARAM = /^(password|passwd|pwd|pass|sslpassword|secret|token|access_token|api_?key|auth|authtoken)$/i;

/** Why `url` would put a credential into plain config, or undefined when it holds none. */
export function credentialInUrl(url: URL): string | undefined {
    if (url.password !== "") {
        return "holds a password: the password comes from the secret backend, never from config";
    }
    const params = [...url.searchParams.keys()].filter((k) => CREDENTIAL_PARAM.test(k));
    if (params.length > 0) {
        return `holds a credential in its query (${params.join(", ")}): credentials come from the secret backend, never from config`;
    }
    return undefined;
}

/** A TCP port: a whole number from 1 to 65535 (WHATWG URL accepts 0). */
export const isPort = (port: string): boolean => /^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;

/** Parses a URL given in config; returns a reason when it cannot be used. */
export function parseEndpointUrl(raw: string): EndpointUrl | { readonly error: string } {
    // The assembled URL is an External Secrets template: braces would be read as template syntax.
    if (/[{}\s]/.test(raw)) {
        return { error: "must not contain spaces or braces" };
    }
    // WHATWG URL rejects a port above 65535 with a bare "Invalid URL": say which part is wrong.
    const port = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*:([0-9]+)(?:[/?#]|$)/.exec(raw)?.[1];
    if (port !== undefined && !isPort(port)) {
        return { error: `has port ${port}, outside 1 to 65535` };
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
    const credential = credentialInUrl(url);
    if (credential !== undefined) {
        return { error: credential };
    }
    if (url.port !== "" && !isPort(url.port)) {
        return { error: `has port ${url.port}, outside 1 to 65535` };
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
