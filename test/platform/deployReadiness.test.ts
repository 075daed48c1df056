/**
 * What a live `pulumi up` of the committed stacks needs beyond what mocks check (issue 16):
 * settings the real APIs accept, placeholders reported as missing, and the facts each item relies
 * on, taken from upstream sources (cited per case), never from the code under test.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { createCipheriv, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { formatProblem, parseConfig } from "../../components/config";
import { byType, evaluate, findResource, promiseOf, unwrap } from "../support/evaluate";
import { ciphertextCanDecrypt, undecryptableSecureKeys } from "../../scripts/lib/stacks";
import { GCP_SQL_INSTANCE, GCP_SQL_USER, GCP_RUN_SERVICE, GCP_RUN_IAM_MEMBER } from "../support/types";

const ROOT = path.resolve(__dirname, "..", "..");
const runtime = {
    gcpProject: "llm-platform-dev",
    gcpRuntime: "true",
    litellmImage: "us-central1-docker.pkg.dev/p/ghcr/berriai/litellm-database:main-v1.74.3-stable",
};
const problemsOf = (values: Record<string, string>, stack = "dev") => parseConfig(values, { stack }).problems.map(formatProblem);

describe("no placeholder a real up rejects (issue 16.3)", () => {
    it("refuses example invokers: IAM answers 400 for a member that does not exist (RFC 2606 domains)", () => {
        for (const member of [
            "group:llm-platform-users@example.com",
            "user:a@example.org",
            "serviceAccount:x@p.example",
            "domain:example.net",
        ]) {
            const problems = problemsOf({ ...runtime, litellmInvokers: JSON.stringify([member]) });
            assert.strictEqual(problems.length, 1, `${member}: ${problems.join("\n")}`);
            assert.match(problems[0], /^litellmInvokers: .*example member.*IAM refuses.*Fix: /);
        }
        assert.deepStrictEqual(problemsOf({ ...runtime, litellmInvokers: '["group:llm-users@acme.io"]' }), []);
    });

    it("a passphrase ciphertext built the way Pulumi builds one can decrypt; the committed placeholders cannot", () => {
        // pulumi/pulumi sdk/go/common/resource/config/crypt.go: "v1:" + base64(12-byte nonce) + ":" +
        // base64(AES-256-GCM sealed text with its tag).
        const nonce = randomBytes(12);
        const cipher = createCipheriv("aes-256-gcm", randomBytes(32), nonce);
        const sealed = Buffer.concat([cipher.update("value"), cipher.final(), cipher.getAuthTag()]);
        assert.ok(ciphertextCanDecrypt(`v1:${nonce.toString("base64")}:${sealed.toString("base64")}`));
        assert.ok(ciphertextCanDecrypt(sealed.toString("base64")), "service/KMS providers write one base64 string");
        assert.ok(!ciphertextCanDecrypt("v1:placeholder:set-with-pulumi-config-set-secret"));
        assert.ok(!ciphertextCanDecrypt(`v1:${randomBytes(8).toString("base64")}:${sealed.toString("base64")}`), "wrong nonce size");
    });

    it("the plan of prod reports every secure: placeholder as MISSING, none as set", function () {
        this.timeout(120_000);
        // Hand list: the provided secrets of prod's features (anthropic, langfuse, huggingface, cloudflare).
        const placeholders = ["anthropicApiKey", "cloudflareApiToken", "hfToken", "langfusePublicKey", "langfuseSecretKey"];
        assert.deepStrictEqual(undecryptableSecureKeys("prod"), placeholders);
        const run = spawnSync(
            process.execPath,
            ["--stack-trace-limit=0", "-r", "ts-node/register/transpile-only", "scripts/plan.ts", "--stack", "prod"],
            { cwd: ROOT, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
        );
        assert.strictEqual(run.status, 0, run.stderr);
        // One entry per provided secret: "<key> (config <configKey>): MISSING, set it with", the
        // command on the next line (the plan fits 100 columns).
        const section = run.stdout.split("Provided secrets\n")[1].split("\n\n")[0].split("\n");
        const entries = section.filter((l) => /^ {2}\S/.test(l));
        assert.strictEqual(entries.length, placeholders.length, section.join("\n"));
        for (const key of placeholders) {
            const at = section.findIndex((l) => l.endsWith(`(config ${key}): MISSING, set it with`));
            assert.ok(at >= 0 && section[at + 1].startsWith(`    pulumi config set --secret ${key} `), `${key}:\n${section.join("\n")}`);
        }
    });
});

describe("one network topology: LiteLLM on the cluster reaches the database that knows its users (issue 16.2)", () => {
    const cluster = { ...runtime, targets: '["cloudRun","kubernetes"]' };
    const adopted = { vpcNetwork: "llm-dev-gke", vpcSubnetwork: "llm-dev-run" };
    // Cloud SQL's private IP is reached from the VPC holding private service access; "VPC Network
    // Peering does not provide transitive routing" (cloud.google.com/vpc/docs/vpc-peering); the
    // chart runs no Cloud SQL connector (BerriAI/litellm deploy/charts/litellm-helm values.yaml:
    // db.endpoint is a plain host); users exist only on the instance the program creates.
    const cases: [string, Record<string, string>, string][] = [
        ["a VPC created here, which no cluster is on", { ...cluster }, "vpcNetwork: "],
        ["a public-IP Cloud SQL the chart cannot reach", { ...cluster, ...adopted, cloudSqlPrivateIp: "false" }, "cloudSqlPrivateIp: "],
        [
            "another database host, which never gets the generated users",
            { ...cluster, ...adopted, litellmDbEndpoint: "10.10.0.3" },
            "litellmDbEndpoint: ",
        ],
    ];
    for (const [what, values, starts] of cases) {
        it(`refuses ${what}`, () => {
            const problems = problemsOf(values);
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(starts), problems[0]);
            assert.match(problems[0], /Fix: /);
        });
    }
    it("accepts the cluster's VPC adopted, with a private IP", () => {
        assert.deepStrictEqual(problemsOf({ ...cluster, ...adopted }), []);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the chart's LiteLLM connects to the private IP of the Cloud SQL instance that holds its users, on the cluster's VPC`, async () => {
            const e = await evaluate({ stack });
            assert.ifError(e.error);
            const instance = findResource(e, GCP_SQL_INSTANCE, "litellm-db");
            // Hand-kept: the GKE VPC each committed stack names.
            const vpc =
                stack === "dev"
                    ? "projects/llm-platform-dev/global/networks/llm-dev-gke"
                    : "projects/llm-platform-prod/global/networks/llm-prod-gke";
            assert.strictEqual(instance.inputs.settings.ipConfiguration.privateNetwork, vpc);
            assert.strictEqual(instance.inputs.settings.ipConfiguration.ipv4Enabled, false);
            const release = findResource(e, "kubernetes:helm.sh/v3:Release", "litellm");
            const values = unwrap(release.inputs.values);
            // The instance's privateIpAddress output, as the mock provider answers it.
            const privateIp = await promiseOf(e.platform!.runtime!.data.postgres.privateAddress);
            assert.match(privateIp, /^10\./);
            assert.strictEqual(values.db.endpoint, privateIp);
            // LiteLLM's two alternating users and (feature grafana) Grafana's read-only user; an
            // agent's own user is test/agents/agents.test.ts's.
            const users = byType(e, GCP_SQL_USER).filter((u) => !u.name.startsWith("agent-"));
            assert.deepStrictEqual(users.map((u) => u.inputs.name).sort(), ["litellm_a", "litellm_b", "litellm_grafana_ro"]);
            assert.ok(
                users.every((u) => u.inputs.instance === instance.inputs.name),
                "every user is on that instance",
            );
        });
    }
});

describe("the first Cloud Run revision waits for its grants to propagate (issue 16.7)", () => {
    // IAM: a changed allow policy is "typically 2 minutes, potentially 7 minutes or longer"
    // (cloud.google.com/iam/docs/access-change-propagation).
    const SLEEP = "time:index/sleep:Sleep";
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the service waits on a 2-minute sleep that waits on every grant of its account`, async () => {
            const e = await evaluate({ stack });
            assert.ifError(e.error);
            // LiteLLM's (an agent's own wait is test/agents/agents.test.ts's).
            const sleep = byType(e, SLEEP).find((s) => s.name === "cloudrun-litellm-iam-propagation");
            assert.ok(sleep, "a sleep after the grants");
            assert.strictEqual(sleep.inputs.createDuration, "120s");
            const service = findResource(e, GCP_RUN_SERVICE, "litellm");
            assert.ok(service.dependencies.includes(sleep.urn), "the service waits for the sleep");
            const email = unwrap(service.inputs.template).serviceAccount;
            const grants = e.resources.filter(
                (r) => /IamMember|IAMMember/.test(r.type) && r.type !== GCP_RUN_IAM_MEMBER && r.inputs.member === `serviceAccount:${email}`,
            );
            assert.ok(grants.length >= 5);
            for (const g of grants) {
                assert.ok(sleep.dependencies.includes(g.urn), `the sleep waits for ${g.type} ${g.name}`);
            }
        });
    }

    it("does not wait again on a rotation (same grants), and can be turned off", async () => {
        const before = await evaluate({ stack: "dev" });
        const after = await evaluate({ stack: "dev", set: { rotations: { "litellm-master-key": 1 } } });
        assert.ifError(after.error);
        const sleepBefore = byType(before, SLEEP)[0];
        const sleepAfter = byType(after, SLEEP)[0];
        assert.strictEqual(JSON.stringify(sleepAfter.inputs), JSON.stringify(sleepBefore.inputs));
        const off = await evaluate({ stack: "dev", set: { iamPropagationSeconds: 0 } });
        assert.ifError(off.error);
        assert.deepStrictEqual(byType(off, SLEEP), []);
    });
});

describe("the Google APIs the program uses, opt-in (issue 16.8)", () => {
    const SERVICE = "gcp:projects/service:Service";
    // Hand list, from what the program creates: Resource Manager (project IAM, audit config), IAM
    // (service accounts), Secret Manager, IAM Credentials (Workload Identity for ESO), Run, SQL
    // Admin, Redis (Memorystore), Compute (VPC), Service Networking (private service access).
    const ALL = [
        "cloudresourcemanager.googleapis.com",
        "compute.googleapis.com",
        "iam.googleapis.com",
        "iamcredentials.googleapis.com",
        "redis.googleapis.com",
        "run.googleapis.com",
        "secretmanager.googleapis.com",
        "servicenetworking.googleapis.com",
        "sqladmin.googleapis.com",
    ];

    it("is off by default: the committed stacks enable no API", async () => {
        const e = await evaluate({ stack: "prod" });
        assert.ifError(e.error);
        assert.deepStrictEqual(byType(e, SERVICE), []);
    });

    it("on, enables each API once, never disabling it on destroy, and every Google resource waits for them", async () => {
        const e = await evaluate({ stack: "dev", set: { enableGcpApis: true } });
        assert.ifError(e.error);
        const services = byType(e, SERVICE);
        assert.deepStrictEqual(services.map((s) => s.inputs.service).sort(), ALL);
        for (const s of services) {
            assert.strictEqual(s.inputs.project, "llm-platform-dev");
            assert.strictEqual(s.inputs.disableOnDestroy, false, s.inputs.service);
            assert.strictEqual(s.inputs.disableDependentServices, false, s.inputs.service);
        }
        const google = e.resources.filter((r) => r.custom && r.type.startsWith("gcp:") && r.type !== SERVICE);
        assert.ok(google.length > 40);
        for (const r of google) {
            for (const s of services) {
                assert.ok(r.dependencies.includes(s.urn), `${r.type} ${r.name} does not wait for ${s.inputs.service}`);
            }
        }
    });

    it("without the GCP runtime, enables only what secrets and grants need", async () => {
        const e = await evaluate({ stack: "dev", set: { enableGcpApis: true, gcpRuntime: false, targets: ["cloudRun"] } });
        assert.ifError(e.error);
        assert.deepStrictEqual(
            byType(e, SERVICE)
                .map((s) => s.inputs.service)
                .sort(),
            ["cloudresourcemanager.googleapis.com", "iam.googleapis.com", "secretmanager.googleapis.com"],
        );
    });
});

describe("docs/deploy.md: the first deploy and the call to the private service (issues 16.10, 16.11)", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "deploy.md"), "utf8");
    const declared = Object.keys(YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config);

    it("calls LiteLLM with the ID token in X-Serverless-Authorization and the sk- key in Authorization", () => {
        // Cloud Run checks X-Serverless-Authorization when present and leaves Authorization to the app
        // (cloud.google.com/run/docs/authenticating/service-to-service); LiteLLM reads its key from
        // Authorization or x-litellm-api-key (BerriAI/litellm litellm/proxy/_types.py, SpecialHeaders).
        const call = doc
            .split("\n```sh\n")
            .map((b) => b.split("\n```")[0])
            .find((b) => b.includes("/v1/chat/completions"));
        assert.ok(call, "an example call");
        assert.match(call, /-H "X-Serverless-Authorization: Bearer \$\(gcloud auth print-identity-token[^)]*\)"/);
        assert.match(call, /-H "Authorization: Bearer \$LITELLM_KEY"/);
        assert.ok(
            !/Authorization: Bearer \$\(gcloud/.test(call.replace("X-Serverless-Authorization", "")),
            "the ID token is not in Authorization",
        );
    });

    it("names only stack outputs the program produces and config keys Pulumi.yaml declares", async () => {
        const e = await evaluate({ stack: "prod" });
        assert.ifError(e.error);
        const outputs = e.outputs as Record<string, { value: any }>;
        assert.ok(typeof outputs.serviceUrls.value.litellm === "string", "serviceUrls.litellm");
        assert.ok(outputs.serviceSecrets.value.litellm, "serviceSecrets.litellm");
        assert.ok(outputs.kubernetes.value.secrets.litellm, "kubernetes.secrets.<namespace>");
        for (const m of doc.matchAll(/pulumi stack output (\w+)/g)) {
            assert.ok(m[1] in outputs, `stack output ${m[1]}`);
        }
        for (const m of doc.matchAll(/pulumi config set (?:--secret |--path ')?([a-zA-Z]+)/g)) {
            assert.ok(declared.includes(m[1]), `config key ${m[1]}`);
        }
        // Every step a first deploy needs is there.
        for (const heading of [
            "## 0. What you need",
            "### The deployer's roles",
            "### The Google APIs",
            "## 1. The stack's config",
            "## 2. Preview and up",
            "## 3. Check that each consumer got its secret",
            "## 4. Calling the private LiteLLM on Cloud Run",
        ]) {
            assert.ok(doc.includes(heading), heading);
        }
    });
});
