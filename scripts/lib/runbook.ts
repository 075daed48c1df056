/**
 * `docs/runbook.md`, generated from the secret contract and the committed stacks: for every
 * secret, how it rotates on schedule, how to rotate it now (compromised), what a rotation rolls,
 * and who must be told. Deterministic: the same contract and stacks give the same text.
 */
import { PlatformSettings } from "../../components/config";
import { mergeContracts, withAgents } from "../../components/agents/contract";
import { APP_KEYS, LITELLM_KEYS, everyConsumer } from "../../components/contract";
import { SECRET_CONTRACT } from "../../components/contract/contract";
import { describeConsumer, describeRequires, describeSource } from "../../components/contract/describe";
import { ActiveSecret, activeSecrets } from "../../components/contract/resolve";
import { ROTATION_CLASSES, ROTATION_CLASS_NAMES, RotationClass, SecretSpec } from "../../components/contract/types";
import { readOnlyUserSql } from "../../components/data/readOnlyUser";
import { sampleDays, sharedRoleSql, slotUser } from "../../components/rotation/alternation";
import { RotationPolicy, rotationPolicy, rotationReach, rotationRoots } from "../../components/rotation/policy";
import { committedStacks, stackSettings } from "./stacks";

/** The path of the generated runbook, relative to the project. */
export const RUNBOOK_PATH = "docs/runbook.md";

export interface RunbookStack {
    readonly name: string;
    readonly settings: PlatformSettings;
}

/** The committed stacks, validated; a stack whose config has problems is an error here. */
export function runbookStacks(): RunbookStack[] {
    return committedStacks().map((name) => {
        const { settings, problems } = stackSettings(name);
        if (problems.length > 0) {
            throw new Error(`stack ${name} has config problems: ${problems.map((p) => p.key).join(", ")}`);
        }
        return { name, settings };
    });
}

const code = (s: string): string => `\`${s}\``;
const list = (items: readonly string[]): string => (items.length === 0 ? "nothing" : items.join(", "));

/** Who must be told when `spec` rotates: the operators of what rolls, and whoever holds a copy. */
export function whoToTell(spec: SecretSpec, workloads: readonly string[], policy: RotationPolicy): string[] {
    const who: string[] = [];
    if (workloads.length > 0) {
        who.push(`the operators of ${workloads.join(", ")} (they roll to the new value)`);
    }
    if (spec.heldBy !== undefined) {
        who.push(spec.heldBy);
    }
    if (policy.kind === "issuer") {
        who.push(`whoever manages the account at ${policy.issuer}, where the old key is revoked`);
    }
    return who.length === 0 ? ["nobody outside this program: nothing reads it but the backend"] : who;
}

/** Steps to rotate `spec` now, with `<stack>` left for the reader. */
export function compromisedSteps(
    spec: SecretSpec,
    policy: RotationPolicy,
    tell: readonly string[],
    contract: readonly SecretSpec[] = SECRET_CONTRACT,
): string[] {
    const bump = [
        `${code(`npm run rotate -- --stack <stack> ${spec.key}`)} prints these steps with the next generation and what will roll.`,
        `In ${code("Pulumi.<stack>.yaml")}, raise ${code(`rotations.${spec.key}`)} by one (from 0 if absent), and commit it.`,
    ];
    const preview =
        "`pulumi preview --refresh --stack <stack>`: it reads the clocks first; only the changes `npm run rotate` listed may appear.";
    const up = "`pulumi up --refresh --stack <stack>`.";
    const told = `Tell ${tell.join("; ")}.`;
    switch (policy.kind) {
        case "manual":
            return [...bump, preview, up, `Alongside: ${policy.alongside}.`, told];
        case "scheduled":
            return [
                ...bump,
                preview,
                up,
                ...(policy.alternating
                    ? [
                          "The previous user still signs in with its password until the next rotation: when that password leaked, " +
                              "bump once more and run a second up, which gives it a new password too.",
                      ]
                    : []),
                told,
            ];
        case "issuer":
            return [
                `At ${policy.issuer}: create a new key. Keep the old one until the last step.`,
                `${code(`pulumi config set --secret --stack <stack> ${policy.configKey}`)}: it prompts for the value, which stays out of the shell history.`,
                preview,
                up,
                `Revoke the old key at ${policy.issuer} once the workloads have rolled.`,
                told,
            ];
        case "never":
            return [
                `Never by a config change: ${policy.reason}`,
                "Prepare what that calls for, in a window: a backup and a re-encryption of what the old value protects, " +
                    "or the same change ready on the system that checks the value.",
                `${code(`npm run rotate -- --stack <stack> ${spec.key}`)} prints the value's URN.`,
                "Where data protection is on (prod): `pulumi state unprotect --stack <stack> '<URN>'`.",
                "`pulumi up --stack <stack> --replace '<URN>'`: a new value and version; the readers roll. The next up protects it again.",
                `Finish it: re-encrypt or re-enter what ${spec.component} stored with the old value, or set the new value ` +
                    "(read it from the backend) where it is checked.",
                told,
            ];
        case "follows":
            return [`Rotates with ${code(policy.of)}: follow its steps.`];
        case "derived": {
            const follows = spec.source.kind === "derived" ? (spec.source.follows ?? []) : [];
            return follows.length > 0
                ? [
                      `Rotates with ${follows.map(code).join(" and ")}: follow the steps of ${list(rotationRoots(contract, spec.key).map(code))}.`,
                  ]
                : [
                      `Produced by the resource it derives from (${spec.source.kind === "derived" ? spec.source.description : ""}): renew it there, ` +
                          "then `pulumi up --stack <stack>` stores the new value and rolls its readers.",
                      told,
                  ];
        }
        case "setting":
            return [`Not secret: change ${code(policy.configKey)} in the stack's config, then preview and up.`];
    }
}

const DEFAULT_PERIODS = Object.fromEntries(ROTATION_CLASS_NAMES.map((c) => [c, ROTATION_CLASSES[c].days])) as Record<RotationClass, number>;

function scheduleText(spec: SecretSpec, policy: RotationPolicy, stacks: readonly RunbookStack[]): string {
    switch (policy.kind) {
        case "scheduled": {
            const per = stacks.map((s) => `${s.name} ${s.settings.rotationPeriods[policy.rotationClass]}`).join(", ");
            const how = policy.alternating
                ? "on a fixed calendar of that many days, two users alternating (see above)"
                : "after its clock's period, at the first refresh";
            return `${code(policy.rotationClass)}, every ${ROTATION_CLASSES[policy.rotationClass].days} days by default (${per}): ${how}.`;
        }
        case "manual":
            return `by hand only (a \`rotations\` bump), no schedule: ${policy.alongside}.`;
        case "never":
            return `never: ${policy.reason}`;
        case "issuer":
            return `at its issuer, ${policy.issuer}: nothing here rotates it on a schedule.`;
        case "follows":
            return `with ${code(policy.of)}.`;
        case "derived": {
            const follows = spec.source.kind === "derived" ? (spec.source.follows ?? []) : [];
            return follows.length > 0 ? `with ${follows.map(code).join(" and ")}.` : "with the resource it derives from.";
        }
        case "setting":
            return "not secret; it changes with its config key.";
    }
}

/** The whole runbook. */
export function renderRunbook(stacks: readonly RunbookStack[] = runbookStacks(), table: readonly SecretSpec[] = SECRET_CONTRACT): string {
    // The table with every committed stack's agents in it: their own rows rotate too.
    const contract = mergeContracts([table, ...stacks.map((s) => withAgents(table, s.settings.agents))]);
    const all: ActiveSecret[] = everyConsumer(contract);
    const defaults = DEFAULT_PERIODS;
    const out: string[] = [];
    out.push("# Rotation runbook");
    out.push("");
    out.push("Generated by `npm run runbook` from the secret contract (`components/contract/contract.ts`) and the");
    out.push("committed stacks; a test fails when it is stale. Do not edit by hand.");
    out.push("");
    out.push("## How rotation works here");
    out.push("");
    out.push("- **On a schedule.** Every value generated here has a rotation class and a clock in state (a");
    out.push("  `time.Rotating` per secret). Its base timestamp is a keeper of the value: when a refresh finds");
    out.push("  the period over, the clock is recreated and the value, its backend version and its readers change");
    out.push("  in that `pulumi up`. Before that, an up changes nothing. The clocks are read by a refresh: the");
    out.push("  deploy and the daily scheduled updates run `pulumi up --refresh` (`.github/workflows/`), while");
    out.push("  pull-request previews do not refresh and read no secret value. Periods shorter than twice the");
    out.push("  scheduled cadence are refused, so every period is sampled.");
    out.push("- **By hand.** `rotations: { <key>: <n> }` in `Pulumi.<stack>.yaml`: raising a generation rotates");
    out.push("  that value only, and restarts its clock. `npm run rotate -- --stack <stack> <key>` prints the");
    out.push("  exact steps and what will roll. `npm run plan -- --stack <stack>` shows every clock.");
    const pinned = contract.filter((x) => x.neverRotate !== undefined).map((x) => code(x.key));
    out.push(`- **Never silently.** ${pinned.join(", ")}: no clock, and the config refuses a bump; each has`);
    out.push("  its reason and manual procedure below.");
    const manual = contract.filter((x) => x.manualRotation !== undefined).map((x) => code(x.key));
    if (manual.length > 0) {
        out.push(`- **By hand only.** ${manual.join(", ")}: checked by stores this program does not run, so no`);
        out.push("  clock; a bump rotates them, with the same change made on the store.");
    }
    out.push("- **At the issuer.** Provided values (API keys of OpenAI, Anthropic, ...) rotate where they are");
    out.push("  issued; the program stores the new value and rolls the readers.");
    out.push("");
    out.push("Periods in days, by class and stack (`rotationPeriods` in stack config overrides a default):");
    out.push("");
    out.push(`| class | what | default | ${stacks.map((s) => s.name).join(" | ")} |`);
    out.push(`| --- | --- | --- | ${stacks.map(() => "---").join(" | ")} |`);
    for (const c of ROTATION_CLASS_NAMES) {
        out.push(
            `| ${code(c)} | ${ROTATION_CLASSES[c].description} | ${defaults[c]} | ${stacks.map((s) => s.settings.rotationPeriods[c]).join(" | ")} |`,
        );
    }
    out.push("");

    const alternating = contract.filter((s) => s.alternatingUsers !== undefined);
    if (alternating.length > 0) {
        out.push("## Database passwords: two users, no downtime");
        out.push("");
        for (const spec of alternating) {
            const base = spec.alternatingUsers!.default;
            const users = `${code(slotUser(base, "a"))} and ${code(slotUser(base, "b"))}`;
            out.push(`${code(spec.key)} belongs to two users, ${users} (base name from ${code(spec.alternatingUsers!.configKey)}).`);
            out.push("The generation (the `rotations` entry plus the scheduled periods so far) picks the active one:");
            out.push("even is `_a`, odd is `_b`. A rotation from generation *g* to *g + 1*:");
            out.push("");
            out.push("1. sets a new password on the idle user, the one nothing signs in as;");
            out.push("2. stores that user, its new password and the database URL as new versions;");
            out.push("3. rolls the readers to those versions: they sign in as that user from then on;");
            out.push("4. leaves the previously active user and its password alone: connections opened before, and");
            out.push("   readers still rolling, keep working until the rotation after gives it a new password.");
            out.push("");
            out.push(`Scheduled rotations follow a fixed calendar (periods of ${defaults["database-password"]} days by default from`);
            out.push(
                `1970-01-01 UTC), which a clock samples every half period (${sampleDays(defaults["database-password"])} days): one step per period,`,
            );
            out.push("as long as an up runs at least every half period. Two steps in one up (a bump in the same up as");
            out.push("a scheduled step, a change of the period, or no up for more than half a period) change both");
            out.push("passwords at once: connections made with the old URL then fail until the readers have rolled.");
            out.push("");
            out.push("Both users act as one shared role, which owns the tables, so either can run LiteLLM's migrations.");
            out.push("Run this once as an administrator after the first deployment and before the first rotation");
            out.push("(Cloud SQL: as `postgres`); without it, the second user cannot use the tables the first created.");
            out.push("It is safe to run again, e.g. after a user is re-created.");
            out.push("On PostgreSQL 16 and later, `ALTER ROLE ... SET role` needs ADMIN OPTION on each user; a");
            out.push("`permission denied to alter role` means `postgres` lacks it on the users Cloud SQL's API made:");
            out.push("");
            out.push("```sql");
            out.push(...sharedRoleSql(base, "litellm").map((s) => `${s};`));
            out.push("```");
            out.push("");
        }
    }

    out.push(...grafanaReadOnlySection(contract, stacks));

    out.push("## Secrets");
    out.push("");
    for (const spec of contract) {
        const policy = rotationPolicy(spec, defaults);
        const reach = rotationReach(all, spec.key);
        const tell = whoToTell(spec, reach.workloads, policy);
        const inStacks = stacks
            .filter((s) =>
                activeSecrets(contract, s.settings.features, s.settings.targets, s.settings.derivations).some(
                    (a) => a.spec.key === spec.key,
                ),
            )
            .map((s) => s.name);
        out.push(`### ${code(spec.key)}`);
        out.push("");
        out.push(spec.description);
        out.push("");
        out.push(`- **Source:** ${describeSource(spec.source)}`);
        out.push(`- **Needed:** ${describeRequires(spec)}; in ${inStacks.length === 0 ? "no committed stack" : inStacks.join(", ")}`);
        out.push(`- **Rotates:** ${scheduleText(spec, policy, stacks)}`);
        out.push(`- **Read by:** ${list(spec.consumers.map(describeConsumer))}`);
        out.push(`- **A rotation writes** new versions of ${list(reach.secrets.map(code))} and **rolls** ${list(reach.workloads)}`);
        out.push(`- **Who must be told:** ${tell.join("; ")}`);
        out.push("");
        out.push("To rotate it now (compromised):");
        out.push("");
        compromisedSteps(spec, policy, tell, contract).forEach((step, i) => out.push(`${i + 1}. ${step}`));
        out.push("");
    }
    return `${out.join("\n").trimEnd()}\n`;
}

/** The contract row of the read-only user's password, and the owner of LiteLLM's tables. */
const GRAFANA_RO_PASSWORD = APP_KEYS.grafanaReadOnlyPassword;
const LITELLM_DB_PASSWORD = LITELLM_KEYS.dbPassword;

/**
 * The SQL that makes Grafana's Cloud SQL user read-only, per stack that creates it (the GCP
 * runtime with feature grafana), or nothing when no committed stack does.
 */
export function grafanaReadOnlySection(contract: readonly SecretSpec[], stacks: readonly RunbookStack[]): string[] {
    const owner = contract.find((s) => s.key === LITELLM_DB_PASSWORD)?.alternatingUsers;
    if (owner === undefined || !contract.some((s) => s.key === GRAFANA_RO_PASSWORD)) {
        return [];
    }
    const withUser = stacks.filter((s) => s.settings.gcpRuntime.enabled && s.settings.features.has("grafana"));
    if (withUser.length === 0) {
        return [];
    }
    const out = [
        "## Grafana's read-only database user",
        "",
        `With the GCP runtime and feature grafana, Cloud SQL gets a user for Grafana's LiteLLM datasource, with`,
        `password ${code(GRAFANA_RO_PASSWORD)} (Kubernetes: ${code("litellm/litellm-grafana-ro")} and`,
        `${code("monitoring/grafana-datasource-litellm")}). Cloud SQL's API would make it a member of`,
        "`cloudsqlsuperuser`; the program names its roles instead (`pg_monitor`: statistics, no data), and on",
        "a user made before that, the next `up` asks Cloud SQL to revoke the rest. Run this once as",
        "`postgres`, after the shared-role SQL above and after each re-creation of the user; it is safe to run",
        "again. It grants SELECT on LiteLLM's tables only (including the ones later migrations create) and",
        "drops any `cloudsqlsuperuser` membership, CREATEROLE or CREATEDB the user still has. `postgres` is",
        "no superuser on Cloud SQL, so it first joins the role that owns LiteLLM's tables",
        "(`GRANT ... TO CURRENT_USER`): PostgreSQL lets only the owner's members grant on them and set its",
        "default privileges. The last statement checks the result and fails if the user is still a member",
        "of `cloudsqlsuperuser` or may create roles or databases; on PostgreSQL 16 and later",
        "(`cloudSqlDatabaseVersion` defaults to `POSTGRES_16`) dropping CREATEROLE or CREATEDB needs ADMIN",
        "OPTION on the user (`permission denied to alter role`). If it fails, the user is not read-only:",
        `guard ${code(GRAFANA_RO_PASSWORD)} like LiteLLM's own password until it passes.`,
        "Tests run this SQL on PostgreSQL as a superuser and as a Cloud SQL-like `postgres`, and check the",
        "user reads and can neither write nor create.",
        "",
    ];
    const blocks = new Map<string, string[]>();
    for (const stack of withUser) {
        const sql = readOnlyUserSql({
            user: stack.settings.gcpRuntime.cloudSql.grafanaUser,
            database: "litellm",
            owner: stack.settings.settingValues[owner.configKey] ?? owner.default,
        });
        const text = sql.map((x) => `${x};`).join("\n");
        blocks.set(text, [...(blocks.get(text) ?? []), stack.name]);
    }
    for (const [text, names] of blocks) {
        out.push(`Stacks ${names.join(", ")}:`, "", "```sql", text, "```", "");
    }
    return out;
}
