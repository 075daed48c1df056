/** Renders `docs/secret-contract.md`: the contract, what an operator provides, and each stack. */
import { ProvidedRow, providedRows } from "../../../components/contract/queries";
import { providedSecrets } from "../../../components/contract/resolve";
import { Feature, SecretSpec } from "../../../components/contract/types";
import { code, consumerLines, describeRequires, describeRotation, describeSource } from "./describe";
import { StackModel, shortType } from "./model";

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
];

const list = (items: readonly string[], empty = "none"): string => (items.length === 0 ? empty : items.map(code).join(", "));

function contractSection(contract: readonly SecretSpec[]): string[] {
    return [
        "## The contract",
        "",
        `Every secret of the platform, once (${contract.length} rows). A stack stores a secret when every`,
        "feature it needs is on, and wires each consumer whose target (Cloud Run, Kubernetes) is on.",
        "",
        ...table(
            ["secret", "component", "source", "needed when", "consumers", "rotation"],
            contract.map((s) => [
                code(s.key),
                s.component,
                describeSource(s.source),
                describeRequires(s),
                consumerLines(s.consumers),
                describeRotation(s),
            ]),
        ),
        "",
    ];
}

/** Provided secrets grouped by the exact feature set that makes them needed. */
function providedSection(contract: readonly SecretSpec[], stacks: readonly StackModel[]): string[] {
    const minimal = providedSecrets(contract, new Set<Feature>());
    const groups = new Map<string, ProvidedRow[]>();
    for (const row of providedRows(contract)) {
        const set = [...row.spec.requires].sort().join(" + ");
        groups.set(set, [...(groups.get(set) ?? []), row]);
    }
    const rows: string[][] = [];
    for (const [set, provided] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        for (const { spec, source } of provided) {
            rows.push([set === "" ? "always" : set.split(" + ").map(code).join(" + "), code(spec.key), code(source.configKey), source.issuer]);
        }
    }
    const perStack = stacks.map((m) => {
        const needed = providedSecrets(contract, new Set(m.features as Feature[]));
        const keys = providedRows(needed).map(({ source }) => source.configKey);
        return `- ${code(m.stack)}: ${list(keys)}`;
    });
    return [
        "## What an operator must provide",
        "",
        minimal.length === 0
            ? "A minimal stack (no feature on) needs none: every other value is generated, hashed, a setting or derived."
            : `Even a minimal stack (no feature on) needs: ${list(minimal.map((s) => s.key))}.`,
        "Each row below is needed once every feature of its set is on; set it with",
        "`pulumi config set --secret <config key> <value>`.",
        "",
        ...(rows.length === 0 ? ["No secret is provided by an operator."] : table(["features on", "secret", "config key", "issued by"], rows)),
        "",
        "Per committed stack (config keys):",
        "",
        ...perStack,
        "",
    ];
}

function stackSection(m: StackModel): string[] {
    const secrets = table(
        ["secret", "source", "needed when", "backend id", "made by", "consumers in this stack"],
        m.secrets.map((s) => [
            code(s.spec.key),
            describeSource(s.spec.source),
            describeRequires(s.spec),
            code(s.backendId),
            s.madeBy.length === 0 ? "stack config" : s.madeBy.map((r) => `${code(shortType(r.type))} ${code(r.name)}`).join("<br>"),
            consumerLines(s.consumers),
        ]),
    );
    const readers = table(
        ["principal", "member", "reads", "grant resources"],
        m.principals.map((p) => [
            code(p.name),
            code(p.member),
            `${p.keys.length}: ${p.keys.map(code).join(", ")}`,
            p.grantResources.map(([t, n]) => `${n} × ${code(shortType(t))}`).join("<br>"),
        ]),
    );
    const resources = table(
        ["type", "count"],
        m.resourceTypes.map(([t, n]) => [code(t), String(n)]),
    );
    return [
        `## Stack \`${m.stack}\``,
        "",
        `Environment ${code(m.environment)}, backend ${code(m.backend)}, targets ${list(m.targets)}, features ${list(m.features)}.`,
        `${m.secrets.length} secrets, ${m.principals.length} principals, ${m.resourceCount} resources registered.`,
        "",
        "### Secrets",
        "",
        ...secrets,
        "",
        "### Who reads what",
        "",
        "Each Kubernetes Secret `<namespace>/<name>` above is written by its namespace's own store, which reads",
        "the backend as principal `external-secrets-<namespace>` (only the keys listed for it here), and is read",
        "by the workload named beside it (pods of that namespace). `npm run plan` prints the same per Secret.",
        "",
        ...readers,
        "",
        "### Resources",
        "",
        ...resources,
        "",
    ];
}

export function renderContractDoc(contract: readonly SecretSpec[], stacks: readonly StackModel[]): string {
    return [
        "# Secret contract",
        "",
        "<!-- Generated by `npm run docs` from components/contract/contract.ts and a mock evaluation of each",
        "     committed stack. Edit the contract or the program, not this file: the tests fail when they differ. -->",
        "",
        "Every secret of the platform: where its value comes from, when a stack needs it, where the backend",
        "keeps it and who reads it. The delivery flow (values → backend → grants → Kubernetes Secrets and",
        "Cloud Run env → workloads) is drawn in [delivery-flow.svg](delivery-flow.svg); local development",
        "variables are listed in [.env.example](../.env.example).",
        "",
        `Committed stacks: ${list(stacks.map((m) => m.stack))}.`,
        "",
        ...contractSection(contract),
        ...providedSection(contract, stacks),
        ...stacks.flatMap(stackSection),
    ].join("\n");
}
