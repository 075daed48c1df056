import * as assert from "assert";

import { PostgresUrlParts, RedisUrlParts, postgresUrl, redisUrl } from "../../components/data/urls";
import { HOSTILE_PASSWORD } from "../support/hostile";

describe("connection URLs", () => {
    const postgresCases: [string, PostgresUrlParts, string][] = [
        [
            "plain TCP",
            { user: "litellm", password: "s3cret", host: "10.1.2.3", database: "litellm" },
            "postgresql://litellm:s3cret@10.1.2.3:5432/litellm",
        ],
        [
            "every troublesome character in user and password",
            { user: "li@te:llm", password: HOSTILE_PASSWORD, host: "127.0.0.1", port: 6543, database: "litellm" },
            "postgresql://li%40te%3Allm:p%40ss%3Aw%2Frd%23%3F%25%20%22q'%5C%20%2525%20%C3%BCn%C3%AF%E6%97%A5%E6%9C%AC%E2%82%AC@127.0.0.1:6543/litellm",
        ],
        [
            "Cloud SQL connector socket",
            { user: "litellm", password: "pw", socketDir: "/cloudsql/proj:europe-west4:prod-litellm-1a2b", database: "litellm" },
            "postgresql://litellm:pw@localhost:5432/litellm?host=%2Fcloudsql%2Fproj%3Aeurope-west4%3Aprod-litellm-1a2b",
        ],
        [
            "IPv6 host and extra parameters",
            { user: "u", password: "p", host: "fd00::3", database: "app_db", params: { sslmode: "require" } },
            "postgresql://u:p@[fd00::3]:5432/app_db?sslmode=require",
        ],
    ];
    for (const [what, parts, expected] of postgresCases) {
        it(`postgres: ${what}`, () => {
            const url = postgresUrl(parts);
            assert.strictEqual(url, expected);
            const parsed = new URL(url);
            assert.strictEqual(decodeURIComponent(parsed.username), parts.user);
            assert.strictEqual(decodeURIComponent(parsed.password), parts.password);
        });
    }

    const redisCases: [string, RedisUrlParts, string][] = [
        ["no AUTH", { host: "10.0.0.4", tls: false }, "redis://10.0.0.4:6379"],
        ["Memorystore AUTH, no TLS", { host: "10.0.0.4", password: "a-b-c", tls: false }, "redis://:a-b-c@10.0.0.4:6379"],
        [
            "Memorystore AUTH with TLS on 6378",
            { host: "10.0.0.4", port: 6378, password: HOSTILE_PASSWORD, tls: true },
            "rediss://:p%40ss%3Aw%2Frd%23%3F%25%20%22q'%5C%20%2525%20%C3%BCn%C3%AF%E6%97%A5%E6%9C%AC%E2%82%AC@10.0.0.4:6378",
        ],
        [
            "ACL user and database",
            { host: "cache.internal", username: "app@x", password: "p", tls: false, db: 2 },
            "redis://app%40x:p@cache.internal:6379/2",
        ],
    ];
    for (const [what, parts, expected] of redisCases) {
        it(`redis: ${what}`, () => {
            assert.strictEqual(redisUrl(parts), expected);
        });
    }

    it("keeps a literal %25 in a password distinct from a %", () => {
        const a = postgresUrl({ user: "u", password: "%25", host: "h", database: "d" });
        const b = postgresUrl({ user: "u", password: "%", host: "h", database: "d" });
        assert.notStrictEqual(a, b);
        assert.strictEqual(decodeURIComponent(new URL(a).password), "%25");
    });

    const refusals: [string, () => string, RegExp][] = [
        ["an empty user", () => postgresUrl({ user: "", password: "p", host: "h", database: "d" }), /needs a user/],
        [
            "a database name clients decode differently",
            () => postgresUrl({ user: "u", password: "p", host: "h", database: "a/b" }),
            /database name "a\/b"/,
        ],
        [
            "a relative socket directory",
            () => postgresUrl({ user: "u", password: "p", socketDir: "cloudsql/x", database: "d" }),
            /absolute path/,
        ],
        ["a host with a slash", () => postgresUrl({ user: "u", password: "p", host: "h/x", database: "d" }), /not a host/],
        ["an empty host", () => redisUrl({ host: "", tls: false }), /not a host/],
        ["a port out of range", () => redisUrl({ host: "h", port: 70000, tls: false }), /not a TCP port/],
        ["a negative database", () => redisUrl({ host: "h", tls: false, db: -1 }), /not a whole number/],
    ];
    for (const [what, build, error] of refusals) {
        it(`refuses ${what}`, () => {
            assert.throws(build, error);
        });
    }
});
