/**
 * URL schemes the clients of each URL config key can open. LLMTrace's are fixed by how its proxy
 * is built (epappas/llmtrace at e63d439, crates/llmtrace-storage/Cargo.toml and the features
 * crates/llmtrace-proxy/Cargo.toml turns on):
 * - PostgreSQL: `sqlx` 0.8 with `runtime-tokio-rustls`, so TLS works (`?sslmode=require` or
 *   `verify-full`); `postgres://` and `postgresql://` are both sqlx's PostgreSQL schemes.
 * - Redis: `redis` 0.27 with only `tokio-comp` and `connection-manager`; without `tls-rustls`
 *   or `tokio-native-tls-comp` the crate refuses `rediss://` ("can't connect with TLS, the
 *   feature is not enabled"). Plain `redis://` only: keep Redis on a private network.
 * - ClickHouse: `clickhouse` 0.14 with `uuid` and `chrono` only; its HTTPS needs the
 *   `rustls-tls` or `native-tls` feature, so `http://` only (a private address, or a TLS sidecar).
 */
export interface UrlSchemes {
    readonly schemes: readonly string[];
    /** Why other schemes fail, and what TLS options exist. */
    readonly why: string;
}

export const SERVICE_URL_SCHEMES: Readonly<Record<string, UrlSchemes>> = {
    llmtracePostgresUrl: {
        schemes: ["postgres", "postgresql"],
        why: "LLMTrace's PostgreSQL client (sqlx) opens postgres:// or postgresql:// URLs (TLS with ?sslmode=require)",
    },
    llmtraceRedisUrl: {
        schemes: ["redis"],
        why: "LLMTrace's Redis client is built without TLS support, so only redis:// connects (no rediss://)",
    },
    llmtraceClickhouseUrl: {
        schemes: ["http"],
        why: "LLMTrace's ClickHouse client is built without TLS support, so only http:// connects (no https://)",
    },
};
