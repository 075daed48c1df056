import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import * as bcrypt from "bcryptjs";

import { bcryptHash } from "../../components/secrets/bcryptHash";
import { Evaluation, evaluate, findResource, unwrap } from "../support/evaluate";
import { GCP_SECRET_VERSION as VERSION } from "../support/types";

const dataOf = (e: Evaluation, key: string): string => unwrap(findResource(e, VERSION, `${key}-version`).inputs.secretData);

/** htpasswd -v, from Debian's apache2-utils: an independent bcrypt implementation in C. */
function htpasswdVerifies(password: string, hash: string): boolean {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "htpasswd-"));
    try {
        const file = path.join(dir, "users");
        fs.writeFileSync(file, `admin:${hash}\n`);
        return spawnSync("htpasswd", ["-vb", file, "admin", password], { stdio: "ignore" }).status === 0;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Debian's python3-bcrypt (the pyca library, a third implementation). */
function pythonBcryptVerifies(password: string, hash: string): boolean {
    const out = execFileSync(
        "/usr/bin/python3",
        ["-c", "import sys,bcrypt; print(bcrypt.checkpw(sys.argv[1].encode(), sys.argv[2].encode()))", password, hash],
        { encoding: "utf8" },
    );
    return out.trim() === "True";
}

describe("Dex admin hash (bcrypt)", () => {
    let dev: Evaluation;
    let prod: Evaluation;
    before(async () => {
        dev = await evaluate({ stack: "dev" });
        prod = await evaluate({ stack: "prod" });
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the stored hash verifies the stored password with bcryptjs, htpasswd and python bcrypt`, () => {
            const e = stack === "dev" ? dev : prod;
            const password = dataOf(e, "dex-admin-password");
            const hash = dataOf(e, "dex-admin-hash");
            assert.match(hash, /^\$2b\$\d\d\$[./A-Za-z0-9]{53}$/);
            assert.ok(bcrypt.compareSync(password, hash), "bcryptjs");
            assert.ok(htpasswdVerifies(password, hash), "htpasswd -v");
            assert.ok(pythonBcryptVerifies(password, hash), "python3-bcrypt");
            assert.ok(!htpasswdVerifies(`${password}x`, hash), "htpasswd must reject a wrong password");
        });
    }

    it("uses the configured cost (dev default 10, prod 12)", () => {
        assert.strictEqual(bcrypt.getRounds(dataOf(dev, "dex-admin-hash")), 10);
        assert.strictEqual(bcrypt.getRounds(dataOf(prod, "dex-admin-hash")), 12);
    });

    it("is stable: a second run with the same state gives the same hash", async () => {
        const again = await evaluate({ stack: "dev" });
        assert.strictEqual(dataOf(again, "dex-admin-hash"), dataOf(dev, "dex-admin-hash"));
    });

    it("hashes deterministically from password, salt and cost, and differs per salt", () => {
        const salt = Buffer.alloc(16, 7).toString("base64");
        const other = Buffer.alloc(16, 8).toString("base64");
        assert.strictEqual(bcryptHash("pw", salt, 10), bcryptHash("pw", salt, 10));
        assert.notStrictEqual(bcryptHash("pw", salt, 10), bcryptHash("pw", other, 10));
        assert.throws(() => bcryptHash("pw", Buffer.alloc(8).toString("base64"), 10), /needs 16 bytes/);
    });
});
