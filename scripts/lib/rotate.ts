/**
 * The compromised-secret runbook for one secret of one stack: the exact steps (the config change
 * with the next generation read from the stack file, preview, up, who to tell) and what will
 * change, found by evaluating the program offline as the stack is and with the change, and
 * comparing every resource's inputs.
 */
import * as YAML from "yaml";

import { withAgents } from "../../components/agents/contract";
import { SECRET_CONTRACT } from "../../components/contract/contract";
import { describeConsumer } from "../../components/contract/describe";
import { kubernetesConsumers } from "../../components/contract/queries";
import { activeSecrets } from "../../components/contract/resolve";
import { alternationState } from "../../components/rotation/alternation";
import { rotationContextOf, rotationPolicy, rotationReach, rotationRoots } from "../../components/rotation/policy";
import { EvaluateOptions, Evaluation, PROJECT, RecordedResource, changedResources, evaluate } from "../../test/support/evaluate";
import { whoToTell } from "./runbook";
import { stackFileRotations, stackSettings } from "./stacks";

/** A mistake in the request (unknown stack or key): the caller prints it and exits 2. */
export class UsageError extends Error {}

/**
 * What changes between two evaluations, by kind, for people. `keys` are the secrets the change
 * rotates: whatever the backend, what stores them is named after them (`<key>`, `<key>-version`).
 */

/** The step that sets the next rotation generation in the stack file. */
const bumpStep = (file: string, current: number, yaml: string): string =>
    `In ${file}, under config:, set the next generation (${current} there now), keeping the other entries, and commit it:\n${yaml
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n")}`;

export function describeChanges(before: Evaluation, after: Evaluation, keys: readonly string[] = []): string[] {
    const stores = new Set(keys.flatMap((k) => [k, `${k}-version`]));
    const changed = changedResources(before, after);
    const line = (r: RecordedResource): string => {
        const what = `${r.type} ${r.name}`;
        if (r.type.startsWith("random:")) {
            return `new value        ${what}`;
        }
        if (r.type.startsWith("time:")) {
            return `clock restarted  ${what}`;
        }
        if (stores.has(r.name)) {
            return `new version      ${what}`;
        }
        if (r.type === "gcp:sql/user:User") {
            return `new password     ${what} (database user ${r.inputs.name})`;
        }
        return `rolls            ${what} (reads a new version)`;
    };
    return changed.map(line).sort();
}

async function run(opts: EvaluateOptions): Promise<Evaluation> {
    const e = await evaluate(opts);
    if (e.error) {
        throw new Error(`the program fails for stack ${opts.stack}: ${e.error.message}`);
    }
    return e;
}

/**
 * The URN the engine gives `r`: its type qualified by every ancestor's type (the mock monitor's
 * URNs carry the parent's type only).
 */
export function engineUrn(e: Evaluation, r: RecordedResource): string {
    const byUrn = new Map(e.resources.map((x) => [x.urn, x]));
    const types: string[] = [];
    for (let cur: RecordedResource | undefined = r; cur !== undefined; cur = cur.parent === null ? undefined : byUrn.get(cur.parent)) {
        types.unshift(cur.type);
    }
    return `urn:pulumi:${e.stack}::${PROJECT}::${types.join("$")}::${r.name}`;
}

/** The Kubernetes Secret keys a rotation of `key` rewrites (External Secrets projects them). */
function kubernetesReaders(e: Evaluation, key: string): string[] {
    const consumers = kubernetesConsumers(rotationReach(e.platform!.active, key).consumers);
    return [...new Set(consumers.map(describeConsumer))];
}

/** The steps and expected changes for rotating `key` in `stack` now. */
export async function rotationRunbook(stack: string, key: string): Promise<string[]> {
    const { settings, problems } = stackSettings(stack);
    if (problems.length > 0) {
        throw new UsageError(
            `stack ${stack} has config problems (${problems.map((p) => p.key).join(", ")}): npm run plan -- --stack ${stack}`,
        );
    }
    const contract = withAgents(SECRET_CONTRACT, settings.agents);
    const spec = contract.find((s) => s.key === key);
    const active = activeSecrets(contract, settings.features, settings.targets, settings.derivations);
    if (spec === undefined) {
        throw new UsageError(`no secret ${key}; stack ${stack} has: ${active.map((a) => a.spec.key).join(", ")}`);
    }
    const out: string[] = [`Rotate ${key} in stack ${stack}`, "", `  ${spec.description}`];
    if (!active.some((a) => a.spec.key === key)) {
        return [
            ...out,
            `  Stack ${stack} does not use it (it needs ${spec.requires.join(" + ") || "a resource this stack does not run"}): nothing to rotate.`,
        ];
    }
    const policy = rotationPolicy(spec, settings.rotationPeriods, rotationContextOf(settings));
    const file = `Pulumi.${stack}.yaml`;
    const preview = `pulumi preview --refresh --stack ${stack}     # reads the clocks first; expect exactly the changes below`;
    const up = `pulumi up --refresh --stack ${stack}`;
    const base = await run({ stack });
    const reach = rotationReach(base.platform!.active, key);
    const tell = whoToTell(spec, reach.workloads, policy);
    const numbered = (steps: readonly string[]): string[] =>
        steps.flatMap((s, i) => s.split("\n").map((l, j) => (j === 0 ? `  ${i + 1}. ${l}` : `     ${l}`)));
    const changes = (after: Evaluation): string[] => {
        const lines = describeChanges(base, after, reach.secrets);
        const k8s = kubernetesReaders(base, key);
        return [
            "",
            "What will change (the program evaluated offline, as committed and with the change):",
            ...(lines.length === 0 ? ["  nothing"] : lines.map((l) => `  ${l}`)),
            ...(k8s.length > 0
                ? ["Kubernetes Secrets External Secrets refreshes (their workloads roll):", ...k8s.map((c) => `  ${c}`)]
                : []),
        ];
    };

    switch (policy.kind) {
        case "scheduled": {
            const fromFile = stackFileRotations(stack);
            const current = fromFile[key] ?? 0;
            const next = current + 1;
            const rotations = { ...fromFile, [key]: next };
            const yaml = YAML.stringify({ [`${PROJECT}:rotations`]: rotations }).trimEnd();
            out.push(
                `  Rotation class ${policy.rotationClass}, every ${policy.days} days on schedule; this rotates it now: generation ${current} → ${next}.`,
            );
            if (policy.alternating) {
                const now = alternationState(spec.alternatingUsers!.default, current);
                out.push(
                    "  Two database users alternate: the rotation sets a new password on the idle one and moves the URL to it;",
                    "  the user in use now keeps working until the rotation after. The live generation also counts scheduled",
                    `  periods, so which of ${now.active.user} and ${now.idle.user} is idle is whichever the stored litellm-db-username does not name;`,
                    "  the letters below assume no scheduled period yet. If the password leaked, rotate twice (two bumps, two ups).",
                );
            }
            out.push("", "Steps");
            out.push(...numbered([bumpStep(file, current, yaml), preview, up, `Tell ${tell.join("; ")}.`]));
            const bumped = await run({ stack, set: { rotations: { ...settings.rotations, [key]: next } } });
            return [...out, ...changes(bumped)];
        }
        case "manual": {
            const fromFile = stackFileRotations(stack);
            const current = fromFile[key] ?? 0;
            const yaml = YAML.stringify({ [`${PROJECT}:rotations`]: { ...fromFile, [key]: current + 1 } }).trimEnd();
            out.push(
                `  No schedule, by hand only: ${policy.alongside}. This rotates it now: generation ${current} → ${current + 1}.`,
                "",
                "Steps",
            );
            out.push(
                ...numbered([bumpStep(file, current, yaml), preview, up, `Alongside: ${policy.alongside}.`, `Tell ${tell.join("; ")}.`]),
            );
            const bumped = await run({ stack, set: { rotations: { ...settings.rotations, [key]: current + 1 } } });
            return [...out, ...changes(bumped)];
        }
        case "issuer": {
            out.push(`  Provided by the operator: it rotates at ${policy.issuer}.`, "", "Steps");
            out.push(
                ...numbered([
                    `At ${policy.issuer}: create a new key; keep the old one until step 5.`,
                    `pulumi config set --secret --stack ${stack} ${policy.configKey}     # prompts: the value stays out of the shell history`,
                    preview,
                    up,
                    `Revoke the old key at ${policy.issuer} once the workloads have rolled.`,
                    `Tell ${tell.join("; ")}.`,
                ]),
            );
            const rotated = await run({ stack, secrets: { [policy.configKey]: `rotated-${policy.configKey}` } });
            return [...out, ...changes(rotated)];
        }
        case "never": {
            const value = base.resources.find((r) => r.name === key && r.type.startsWith("random:"));
            if (value === undefined) {
                throw new Error(`no generated resource named ${key} in stack ${stack}`);
            }
            const urn = engineUrn(base, value);
            out.push(`  It never rotates silently: ${policy.reason}`, "", "Manual procedure");
            out.push(
                ...numbered([
                    "Prepare what that calls for, in a window: a backup and a re-encryption of what the old value protects, " +
                        "or the same change ready on the system that checks the value.",
                    ...(settings.dataProtection ? [`pulumi state unprotect --stack ${stack} '${urn}'`] : []),
                    `pulumi up --stack ${stack} --replace '${urn}'     # a new value and version; the readers roll${settings.dataProtection ? "; the up after protects it again" : ""}`,
                    `Finish it: re-encrypt or re-enter what ${spec.component} stored with the old value, or set the new value ` +
                        "(read it from the backend) where it is checked.",
                    `Tell ${tell.join("; ")}.`,
                ]),
            );
            // What a replacement reaches: the same evaluation with a new value for that resource.
            const replaced = await run({
                stack,
                mockState: (type, name) =>
                    type === value.type && name === value.name ? { result: "replaced", base64: "cmVwbGFjZWQ=" } : undefined,
            });
            return [...out, ...changes(replaced)];
        }
        case "follows":
        case "derived": {
            const roots = rotationRoots(contract, key).filter((k) => k !== key);
            if (roots.length === 0) {
                const description = spec.source.kind === "derived" ? spec.source.description : "";
                return [
                    ...out,
                    `  Produced by the resource it derives from (${description}): renew it there; the next up stores the new value and rolls its readers.`,
                    `  Then tell ${tell.join("; ")}.`,
                ];
            }
            const nested: string[] = [];
            for (const root of roots) {
                nested.push("", ...(await rotationRunbook(stack, root)));
            }
            return [...out, `  It follows ${roots.join(" and ")}: rotating that rotates it.`, ...nested];
        }
        case "setting":
            return [...out, `  Not secret: change ${policy.configKey} in ${file}, then preview and up.`];
    }
}
