/**
 * The GitHub workflows, parsed and held to properties rather than to today's settings: code from
 * a pull request never meets prod credentials; each job asks for an OIDC token only when it logs
 * in; prod runs from main behind protected environments; every job that reaches a cluster has its
 * credentials, under the context name its stack names, before Pulumi runs; previews of pull
 * requests read no secret value, while scheduled runs keep the rotation clocks firing and report
 * drift without counting a due clock as drift.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { SCHEDULED_UP_CADENCE_DAYS } from "../../components/config/rotation";
import { PROJECT_DIR, evaluate } from "../support/evaluate";
import { ROTATING } from "../support/types";

const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");
const FILES = fs
    .readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
const load = (file: string): any => YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));

/** Hand-kept: the production stack, and the protected GitHub environments its credentials live in. */
const PROD = "prod";
const PROTECTED_ENVIRONMENTS = ["production", "production-preview", "production-scheduled"];
/** Events whose runs execute code or input an outsider controls (a fork's pull request, a comment). */
const UNTRUSTED_EVENTS = [
    "pull_request",
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "pull_request_review",
    "pull_request_review_comment",
];

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, any>;
    readonly env?: Record<string, unknown>;
}

interface Job {
    readonly file: string;
    readonly name: string;
    readonly workflow: any;
    readonly job: any;
}

const steps = (job: any): Step[] => job.steps ?? [];
const uses =
    (prefix: string) =>
    (s: Step): boolean =>
        s.uses?.startsWith(prefix) ?? false;
const isPulumi = uses("pulumi/actions@");
const isGoogleAuth = uses("google-github-actions/auth@");
const isGkeCredentials = uses("google-github-actions/get-gke-credentials@");
const pulumiSteps = (job: any): Step[] => steps(job).filter(isPulumi);
const events = (wf: any): string[] => (typeof wf.on === "string" ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on ?? {}));
const untrusted = (wf: any): boolean => events(wf).some((e) => UNTRUSTED_EVENTS.includes(e));

const ALL_JOBS: Job[] = FILES.flatMap((file) => {
    const workflow = load(file);
    return Object.entries<any>(workflow.jobs).map(([name, job]) => ({ file, name, workflow, job }));
});
const label = (j: Job): string => `${j.file} ${j.name}`;

/** Every `secrets.X` and `vars.X` a job reads. */
const references = (job: any): string[] =>
    [...JSON.stringify(job).matchAll(/\b(secrets|vars)\.([A-Za-z0-9_]+)/g)].map((m) => `${m[1]}.${m[2]}`);

/** The stacks a job's Pulumi steps operate on. */
const stacksOf = (job: any): string[] => [...new Set(pulumiSteps(job).map((s) => String(s.with?.["stack-name"])))];

/** A stack file, read by hand (not through the program's config code). */
const stackFile = (stack: string): Record<string, any> => {
    const parsed = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
    return Object.fromEntries(Object.entries<any>(parsed.config).map(([k, v]) => [k.replace(/^llm-platform-secrets:/, ""), v]));
};
// Example stacks (`*-example`, e.g. the adoption example) show a setup and have no cloud behind
// them: plan-check evaluates them, no workflow previews or deploys them.
const STACKS = fs
    .readdirSync(PROJECT_DIR)
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
    .filter((s) => !s.endsWith("-example"))
    .sort();

/** A job holds prod credentials when it operates on prod, or reads any prod-named secret or variable. */
const holdsProdCredentials = (job: any): boolean =>
    stacksOf(job).includes(PROD) ||
    references(job).some((r) => /PROD/i.test(r)) ||
    steps(job).some((s) => isGkeCredentials(s) && s.with?.project_id === stackFile(PROD).gcpProject);

/**
 * A Pulumi URN glob as the CLI's --target/--exclude read it: `**` matches anything, `*` anything
 * within one part (no colon; resource names here have none).
 */
const urnGlob = (pattern: string): RegExp =>
    new RegExp(
        `^${pattern
            .split("**")
            .map((p) =>
                p
                    .split("*")
                    .map((x) => x.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
                    .join("[^:]*"),
            )
            .join(".*")}$`,
    );

/** A test job runs exactly the README's quick start, as `.ci/run` does. */
function assertRunsReadmeTests(job: any, name: string): void {
    const runs = steps(job).flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]));
    assert.deepStrictEqual(runs, ["npm ci", "npm test"], `${name}: the README's test commands, nothing else`);
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    assert.match(readme, /^npm ci && npm test\b/m, "README quick start");
    assert.match(fs.readFileSync(path.join(PROJECT_DIR, ".ci", "run"), "utf8"), /^npm ci\b.*\nnpm test$/m, ".ci/run");
}

/** Installs both dependency trees with `npm ci` before the first Pulumi step. */
function assertInstallsFirst(job: any, name: string): void {
    const all = steps(job);
    const firstPulumi = all.findIndex(isPulumi);
    const root = all.findIndex((s) => s.run === "npm ci");
    const pack = all.findIndex((s) => s.run === "npm ci --prefix policy");
    assert.ok(
        root >= 0 && pack >= 0 && root < firstPulumi && pack < firstPulumi,
        `${name}: npm ci and npm ci --prefix policy before Pulumi runs`,
    );
    assert.ok(!all.some((s) => /\bnpm (install|i)\b/.test(s.run ?? "")), `${name}: npm install instead of npm ci`);
}

describe("workflows", () => {
    it("are the expected files, each test job running the README's commands", () => {
        assert.deepStrictEqual(FILES, ["deploy.yml", "pr-checks.yml", "scheduled.yml"]);
        assert.deepStrictEqual(STACKS, ["dev", "prod"]);
        for (const file of ["deploy.yml", "pr-checks.yml"]) {
            assertRunsReadmeTests(load(file).jobs.test, `${file} test`);
        }
        for (const j of ALL_JOBS.filter((j) => pulumiSteps(j.job).length > 0)) {
            assertInstallsFirst(j.job, label(j));
        }
    });

    describe("least privilege", () => {
        it("grant nothing at the workflow level: each job asks for what it uses", () => {
            for (const file of FILES) {
                assert.deepStrictEqual(load(file).permissions, {}, `${file}: top-level permissions`);
            }
        });

        it("give a job id-token: write exactly when it logs in to Google Cloud", () => {
            for (const j of ALL_JOBS) {
                const logsIn = steps(j.job).some(isGoogleAuth);
                assert.strictEqual(j.job.permissions?.["id-token"] === "write", logsIn, `${label(j)}: id-token`);
                assert.ok(!Object.values(j.job.permissions ?? {}).includes("write-all"), label(j));
            }
        });

        it("never run a pull request's code with prod credentials of any kind (cloud, cluster, state decryption)", () => {
            const prs = ALL_JOBS.filter((j) => untrusted(j.workflow));
            assert.ok(prs.length > 0, "a workflow runs on pull requests");
            assert.ok(
                !ALL_JOBS.some((j) => events(j.workflow).includes("pull_request_target")),
                "pull_request_target runs with the base's secrets on a fork's code",
            );
            for (const j of prs) {
                assert.ok(!holdsProdCredentials(j.job), `${label(j)} holds prod credentials: ${references(j.job).join(", ")}`);
                assert.ok(!PROTECTED_ENVIRONMENTS.includes(j.job.environment), `${label(j)}: environment ${j.job.environment}`);
                for (const s of pulumiSteps(j.job)) {
                    assert.deepStrictEqual(s.with?.command, "preview", `${label(j)}: a pull request only previews`);
                }
            }
        });

        it("keep prod credentials in protected environments, in jobs that run from main only", () => {
            const prodJobs = ALL_JOBS.filter((j) => holdsProdCredentials(j.job));
            assert.ok(prodJobs.length >= 3, "prod is previewed, updated and checked");
            for (const j of prodJobs) {
                assert.ok(!untrusted(j.workflow), `${label(j)}: triggered by ${events(j.workflow).join(", ")}`);
                assert.ok(PROTECTED_ENVIRONMENTS.includes(j.job.environment), `${label(j)}: environment ${j.job.environment}`);
                // Belt and braces beside the environments' branch rule: a manual run of a branch stops here.
                assert.match(String(j.job.if), /github\.ref == 'refs\/heads\/main'/, `${label(j)}: runs from main only`);
                if (j.workflow.on.push !== undefined) {
                    assert.deepStrictEqual(j.workflow.on.push.branches, ["main"], label(j));
                }
            }
        });

        it("give each stack its own Pulumi token and Google identity, from secrets and OIDC only", () => {
            for (const j of ALL_JOBS) {
                for (const s of pulumiSteps(j.job)) {
                    const stack = String(s.with?.["stack-name"]);
                    assert.strictEqual(
                        s.env?.PULUMI_ACCESS_TOKEN,
                        `\${{ secrets.PULUMI_${stack.toUpperCase()}_ACCESS_TOKEN }}`,
                        `${label(j)}: token scoped to ${stack}`,
                    );
                    for (const auth of steps(j.job).filter(isGoogleAuth)) {
                        assert.match(
                            String(auth.with?.service_account),
                            new RegExp(`^\\$\\{\\{ vars\\.GCP_${stack.toUpperCase()}_[A-Z_]+ \\}\\}$`),
                            `${label(j)}: a ${stack} identity`,
                        );
                        assert.ok(auth.with?.workload_identity_provider, `${label(j)}: Google auth by OIDC`);
                        assert.strictEqual(auth.with?.credentials_json, undefined, `${label(j)}: no service-account key`);
                    }
                }
                // Any literal value of a credential-named variable or input would be a key in the repository.
                for (const s of steps(j.job)) {
                    for (const [k, v] of Object.entries({ ...(s.env ?? {}), ...(s.with ?? {}) })) {
                        if (
                            /token|secret|password|passphrase|credential|key/i.test(k) &&
                            !/^\$\{\{ (secrets|vars|github)\.[A-Za-z_]+ \}\}$/.test(String(v))
                        ) {
                            assert.fail(`${label(j)}: ${k} is not taken from secrets or vars`);
                        }
                    }
                }
            }
            for (const file of FILES) {
                assert.ok(!/PULUMI_CONFIG_PASSPHRASE:\s*[^$\s]/.test(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")), file);
            }
        });
    });

    describe("pull requests", () => {
        const wf = load("pr-checks.yml");

        it("run on pull requests to main: tests, then a preview of dev with the pack, commented on the pull request", () => {
            assert.deepStrictEqual(wf.on.pull_request.branches, ["main"]);
            assert.strictEqual(wf.jobs.preview.needs, "test");
            assert.strictEqual(wf.jobs.preview.permissions["pull-requests"], "write");
            assert.deepStrictEqual(
                pulumiSteps(wf.jobs.preview).map((s) => s.with),
                [
                    {
                        command: "preview",
                        "stack-name": "dev",
                        refresh: false,
                        policyPacks: "policy",
                        policyPackConfigs: "policy/config/dev.json",
                        "comment-on-pr": true,
                        "github-token": "${{ secrets.GITHUB_TOKEN }}",
                    },
                ],
            );
        });

        it("stay value-blind: no refresh reads a secret version in a pull request's preview", () => {
            const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
            assert.notStrictEqual(project.options?.refresh, "always", "Pulumi.yaml refreshes every preview");
            for (const j of ALL_JOBS.filter((j) => untrusted(j.workflow))) {
                for (const s of pulumiSteps(j.job)) {
                    assert.notStrictEqual(String(s.with?.refresh), "true", `${label(j)} refreshes`);
                }
            }
        });
    });

    describe("deploy", () => {
        const wf = load("deploy.yml");
        const pulumiOf = (job: string) => pulumiSteps(wf.jobs[job]).map((s) => s.with);

        it("runs on merge to main and never cancels an update mid-way", () => {
            assert.deepStrictEqual(events(wf), ["push"]);
            assert.deepStrictEqual(wf.on.push.branches, ["main"]);
            assert.strictEqual(wf.concurrency["cancel-in-progress"], false);
        });

        it("tests, updates dev, previews prod from main, then updates prod, refreshing the clocks on every update", () => {
            assert.strictEqual(wf.jobs.dev.needs, "test");
            assert.deepStrictEqual(pulumiOf("dev"), [
                { command: "up", "stack-name": "dev", refresh: true, policyPacks: "policy", policyPackConfigs: "policy/config/dev.json" },
            ]);
            assert.strictEqual(wf.jobs["prod-preview"].needs, "dev");
            assert.deepStrictEqual(pulumiOf("prod-preview"), [
                {
                    command: "preview",
                    "stack-name": "prod",
                    refresh: false,
                    policyPacks: "policy",
                    policyPackConfigs: "policy/config/prod.json",
                    "comment-on-summary": true,
                },
            ]);
            assert.strictEqual(wf.jobs.prod.needs, "prod-preview");
            assert.strictEqual(wf.jobs.prod.environment, "production");
            assert.deepStrictEqual(pulumiOf("prod"), [
                { command: "up", "stack-name": "prod", refresh: true, policyPacks: "policy", policyPackConfigs: "policy/config/prod.json" },
            ]);
        });
    });

    describe("clusters", () => {
        it("give every job that reaches a stack's cluster its credentials, after logging in and before Pulumi, under the context the stack names", () => {
            const checked: string[] = [];
            for (const j of ALL_JOBS) {
                for (const stack of stacksOf(j.job)) {
                    const config = stackFile(stack);
                    if (!(config.targets ?? []).includes("kubernetes")) {
                        continue;
                    }
                    const all = steps(j.job);
                    const auth = all.findIndex(isGoogleAuth);
                    const gke = all.findIndex(isGkeCredentials);
                    const pulumi = all.findIndex(isPulumi);
                    assert.ok(auth >= 0 && auth < gke && gke < pulumi, `${label(j)}: auth, then GKE credentials, then Pulumi`);
                    const w = all[gke].with ?? {};
                    // get-gke-credentials' action.yml: the context is context_name, else gke_<project>_<location>_<cluster>.
                    const context = w.context_name ?? `gke_${w.project_id}_${w.location}_${w.cluster_name}`;
                    assert.ok(
                        typeof config.kubeContext === "string" && config.kubeContext !== "",
                        `Pulumi.${stack}.yaml names a kubeContext`,
                    );
                    assert.strictEqual(context, config.kubeContext, `${label(j)}: the context Pulumi.${stack}.yaml names`);
                    assert.strictEqual(w.project_id, config.gcpProject, `${label(j)}: the stack's project`);
                    checked.push(`${j.file} ${j.name} ${stack}`);
                }
            }
            assert.ok(checked.length >= 6, checked.join("; "));
        });
    });

    describe("schedule", () => {
        const wf = load("scheduled.yml");
        const jobsOf = (stack: string, command: string) =>
            Object.entries<any>(wf.jobs).filter(([, job]) =>
                pulumiSteps(job).some((s) => s.with?.command === command && s.with?.["stack-name"] === stack),
            );

        it("runs at least as often as the cadence the rotation periods are checked against", () => {
            assert.ok(events(wf).includes("schedule"));
            const crons = wf.on.schedule.map((s: any) => String(s.cron));
            // Daily: fixed minute and hour, every day, month and weekday.
            assert.ok(
                crons.some((c: string) => /^[0-9]{1,2} [0-9]{1,2} \* \* \*$/.test(c)),
                crons.join(", "),
            );
            assert.strictEqual(SCHEDULED_UP_CADENCE_DAYS, 1);
        });

        for (const stack of ["dev", "prod"]) {
            it(`updates ${stack} with a refresh, so its rotation clocks fire`, () => {
                const ups = jobsOf(stack, "up");
                assert.strictEqual(ups.length, 1, `one scheduled up of ${stack}`);
                const [, job] = ups[0];
                const up = pulumiSteps(job)[0];
                assert.strictEqual(up.with?.refresh, true);
                assert.strictEqual(up.with?.policyPackConfigs, `policy/config/${stack}.json`);
                assert.deepStrictEqual(job.concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });
            });

            it(`checks ${stack} for drift before its update, excluding exactly the rotation clocks`, async () => {
                const drifts = jobsOf(stack, "refresh");
                assert.strictEqual(drifts.length, 1, `one drift check of ${stack}`);
                const [driftName, driftJob] = drifts[0];
                const refresh = pulumiSteps(driftJob)[0].with ?? {};
                assert.strictEqual(refresh["expect-no-changes"], true);
                // The update waits for the check (its refresh would absorb drift) but runs whatever it found.
                const [, upJob] = jobsOf(stack, "up")[0];
                assert.strictEqual(upJob.needs, driftName);
                assert.match(String(upJob.if), /!cancelled\(\)|always\(\)/);
                assert.deepStrictEqual(driftJob.concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });

                // Then the versions no refresh sees (one added by hand with gcloud), whatever the refresh found.
                const all = steps(driftJob);
                const versions = all.findIndex((s) => s.run === `npm run drift:versions -- --stack ${stack}`);
                assert.ok(versions > all.findIndex(isPulumi), "the version check runs after the refresh");
                assert.match(String((all[versions] as any).if), /!cancelled\(\)|always\(\)/);
                assert.strictEqual(all[versions].env?.PULUMI_ACCESS_TOKEN, `\${{ secrets.PULUMI_${stack.toUpperCase()}_ACCESS_TOKEN }}`);

                const globs = String(refresh.exclude ?? "")
                    .split(/\n/)
                    .filter((g) => g.trim() !== "")
                    .map(urnGlob);
                const e = await evaluate({ stack });
                assert.ifError(e.error);
                const excluded = e.resources.filter((r) => globs.some((g) => g.test(r.urn)));
                const clocks = e.resources.filter((r) => r.type === ROTATING);
                assert.ok(clocks.length > 0, "the stack has rotation clocks");
                assert.deepStrictEqual(excluded.map((r) => r.urn).sort(), clocks.map((r) => r.urn).sort());
            });
        }
    });
});
