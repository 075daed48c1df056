import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { PROJECT_DIR } from "../scripts/lib/evaluate";

const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");
const load = (file: string): any => YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, unknown>;
}

const steps = (job: any): Step[] => job.steps ?? [];
const pulumiSteps = (job: any): Step[] => steps(job).filter((s) => s.uses?.startsWith("pulumi/actions@"));
const indexOf = (job: any, match: (s: Step) => boolean): number => steps(job).findIndex(match);

/** Installs both dependency trees with `npm ci` before the first Pulumi step. */
function assertInstallsFirst(job: any, name: string): void {
    const firstPulumi = indexOf(job, (s) => s.uses?.startsWith("pulumi/actions@") ?? false);
    const root = indexOf(job, (s) => s.run === "npm ci");
    const pack = indexOf(job, (s) => s.run === "npm ci --prefix policy");
    assert.ok(root >= 0 && pack >= 0, `${name}: npm ci and npm ci --prefix policy`);
    assert.ok(firstPulumi < 0 || (root < firstPulumi && pack < firstPulumi), `${name}: installs before Pulumi runs`);
    assert.ok(!steps(job).some((s) => /\bnpm (install|i)\b/.test(s.run ?? "")), `${name}: npm install instead of npm ci`);
}

/**
 * A test job runs exactly the README's quick start (`npm ci`, then `npm test`, which sets up what
 * the tests need), as `.ci/run` does: a green check means the README works on a fresh runner.
 */
function assertRunsReadmeTests(job: any, name: string): void {
    const runs = steps(job).flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]));
    assert.deepStrictEqual(runs, ["npm ci", "npm test"], `${name}: the README's test commands, nothing else`);
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    assert.match(readme, /^npm ci && npm test\b/m, "README quick start");
    assert.match(fs.readFileSync(path.join(PROJECT_DIR, ".ci", "run"), "utf8"), /^npm ci\b.*\nnpm test$/m, ".ci/run");
}

/** Pulumi and cloud credentials come from secrets or OIDC, never from the repository. */
function assertCredentials(workflow: any, file: string): void {
    assert.strictEqual(workflow.permissions["id-token"], "write", `${file}: OIDC needs id-token: write`);
    for (const [name, job] of Object.entries<any>(workflow.jobs)) {
        for (const s of pulumiSteps(job)) {
            assert.strictEqual(s.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}", `${file} ${name}`);
        }
        for (const s of steps(job).filter((s) => s.uses?.startsWith("google-github-actions/auth@"))) {
            assert.ok(s.with?.workload_identity_provider, `${file} ${name}: Google auth by OIDC`);
            assert.strictEqual(s.with?.credentials_json, undefined, `${file} ${name}: no service-account key`);
        }
        // Any literal value of a credential-named variable or input would be a key in the repository.
        for (const s of steps(job)) {
            for (const [k, v] of Object.entries({ ...(s.env ?? {}), ...(s.with ?? {}) })) {
                if (/token|secret|password|passphrase|credential|key/i.test(k) && !/^\$\{\{ (secrets|vars|github)\.[A-Za-z_]+ \}\}$/.test(String(v))) {
                    assert.fail(`${file} ${name}: ${k} is not taken from secrets or vars`);
                }
            }
        }
    }
    assert.ok(!/PULUMI_CONFIG_PASSPHRASE:\s*[^$\s]/.test(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")));
}

describe("workflows", () => {
    // Example stacks (`*-example`, e.g. the adoption example) show a setup and have no cloud behind
// them: plan-check evaluates them, no workflow previews or deploys them.
const stacks = fs
    .readdirSync(PROJECT_DIR)
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
    .filter((s) => !s.endsWith("-example"))
    .sort();

    describe("pr-checks.yml", () => {
        const wf = load("pr-checks.yml");

        it("runs on pull requests to main, and may comment on them", () => {
            assert.deepStrictEqual(wf.on.pull_request.branches, ["main"]);
            assert.strictEqual(wf.permissions["pull-requests"], "write");
        });

        it("tests with the README's commands before previewing", () => {
            assertRunsReadmeTests(wf.jobs.test, "test");
            assert.strictEqual(wf.jobs.preview.needs, "test");
        });

        it("previews every stack with the policy pack and its config, commenting on the pull request", () => {
            const preview = wf.jobs.preview;
            assert.deepStrictEqual([...preview.strategy.matrix.stack].sort(), stacks);
            assert.deepStrictEqual(stacks, ["dev", "prod"]);
            assertInstallsFirst(preview, "preview");
            const [pulumi] = pulumiSteps(preview);
            assert.match(pulumi.uses!, /^pulumi\/actions@v6$/);
            assert.deepStrictEqual(pulumi.with, {
                command: "preview",
                "stack-name": "${{ matrix.stack }}",
                policyPacks: "policy",
                policyPackConfigs: "policy/config/${{ matrix.stack }}.json",
                "comment-on-pr": true,
                "github-token": "${{ secrets.GITHUB_TOKEN }}",
            });
            for (const stack of stacks) {
                assert.ok(fs.existsSync(path.join(PROJECT_DIR, "policy", "config", `${stack}.json`)), stack);
            }
        });

        it("takes credentials from secrets and OIDC only", () => assertCredentials(wf, "pr-checks.yml"));
    });

    describe("deploy.yml", () => {
        const wf = load("deploy.yml");

        it("runs on merge to main and never cancels an update mid-way", () => {
            assert.deepStrictEqual(wf.on.push.branches, ["main"]);
            assert.strictEqual(wf.on.pull_request, undefined);
            assert.strictEqual(wf.concurrency["cancel-in-progress"], false);
        });

        it("tests, then updates dev, with the pack", () => {
            assertRunsReadmeTests(wf.jobs.test, "test");
            assert.strictEqual(wf.jobs.dev.needs, "test");
            assertInstallsFirst(wf.jobs.dev, "dev");
            assert.deepStrictEqual(pulumiSteps(wf.jobs.dev).map((s) => s.with), [
                { command: "up", "stack-name": "dev", policyPacks: "policy", policyPackConfigs: "policy/config/dev.json" },
            ]);
        });

        it("updates prod only after dev, behind the protected production environment, pack mandatory", () => {
            const prod = wf.jobs.prod;
            assert.strictEqual(prod.needs, "dev");
            assert.strictEqual(prod.environment, "production");
            assertInstallsFirst(prod, "prod");
            assert.deepStrictEqual(pulumiSteps(prod).map((s) => s.with), [
                { command: "up", "stack-name": "prod", policyPacks: "policy", policyPackConfigs: "policy/config/prod.json" },
            ]);
            // No other job touches prod.
            const touching = Object.entries<any>(wf.jobs).filter(([, j]) => pulumiSteps(j).some((s) => s.with?.["stack-name"] === "prod"));
            assert.deepStrictEqual(touching.map(([n]) => n), ["prod"]);
        });

        it("takes credentials from secrets and OIDC only", () => assertCredentials(wf, "deploy.yml"));
    });
});
