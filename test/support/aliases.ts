/**
 * Aliases as the Pulumi engine resolves them, so a test can tell which URNs of a recorded state
 * a planned program still claims. Followed from the engine (pkg/resource/deploy/step_generator.go:
 * `collapseAliasToUrn`, `inheritedChildAlias`, `generateAliases`; sdk/go/common/resource/urn.go:
 * `NewURN`), which does the work for the Node SDK since it sends structured aliases (`aliasSpecs`,
 * on under the mock runtime too); the SDK's own `collapseAliasToUrn` (sdk/nodejs/resource.ts)
 * follows the same defaults.
 *
 * The mock monitor builds a resource's URN from its parent's last type only (runtime/mocks.js
 * `newUrn`); the harness replaces that with `engineUrn`, the parent's whole qualified type, so the
 * planned URNs and test/fixtures/state-urns.json are the ones a real state holds.
 */

/** The root stack resource's type: never part of a child's qualified type. */
const ROOT_STACK = "pulumi:pulumi:Stack";

/** One alias of a RegisterResourceRequest: a whole URN, or a spec whose empty fields default to the resource's own. */
export interface AliasSpec {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly stack?: string;
    readonly project?: string;
    /** The alias's parent; the SDK sends the resource's own parent when the alias names none. */
    readonly parentUrn?: string;
    /** `{ parent: undefined }` (or `pulumi.rootStackResource`): the resource had no parent. */
    readonly noParent?: boolean;
}

/** The aliases a RegisterResourceRequest carries: structured ones (`aliases`) and plain URNs (`aliasURNs`, older SDKs). */
export function requestAliases(req: any): AliasSpec[] {
    const specs = (req.getAliasesList() as any[]).map((a): AliasSpec => {
        if (a.hasUrn()) {
            return { urn: a.getUrn() };
        }
        const s = a.getSpec();
        return {
            name: s.getName(),
            type: s.getType(),
            stack: s.getStack(),
            project: s.getProject(),
            parentUrn: s.getParenturn(),
            noParent: s.getNoparent(),
        };
    });
    return [...specs, ...(req.getAliasurnsList() as string[]).map((urn) => ({ urn }))];
}

const parts = (urn: string): string[] => urn.replace(/^urn:pulumi:/, "").split("::");
/** The qualified type of a URN: its parents' types and its own, joined by `$`. */
const qualifiedType = (urn: string): string => parts(urn)[2];
/** The last type of a URN's qualified type: the resource's own. */
const baseType = (urn: string): string => qualifiedType(urn).split("$").pop() as string;
const nameOf = (urn: string): string => parts(urn).slice(3).join("::");

/** A resource's URN: the parent's qualified type (the root stack's left out), `$`, its own type. */
export function newUrn(stack: string, project: string, parentType: string, type: string, name: string): string {
    const qualified = parentType !== "" && parentType !== ROOT_STACK ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The URN the engine gives a resource registered under `parent` (a URN, or "" for none). */
export const engineUrn = (stack: string, project: string, parent: string, type: string, name: string): string =>
    newUrn(stack, project, parent === "" ? "" : qualifiedType(parent), type, name);

/** What a resource registers that its aliases default to. */
export interface AliasedGoal {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
}

/**
 * The URN `alias` stands for, against no state. (With a state, the engine puts the old URN of a
 * parent found through an alias in place of `parentUrn`; `claimedUrns` covers that through the
 * aliases a child inherits.)
 */
export function aliasUrn(alias: AliasSpec, goal: AliasedGoal): string {
    if (alias.urn) {
        return alias.urn;
    }
    let parent = alias.parentUrn || goal.parent || "";
    if (alias.noParent || (parent !== "" && qualifiedType(parent) === ROOT_STACK)) {
        parent = "";
    }
    const [stack, project] = parts(goal.urn);
    return newUrn(
        alias.stack || stack,
        alias.project || project,
        parent === "" ? "" : qualifiedType(parent),
        alias.type || goal.type,
        alias.name || goal.name,
    );
}

/**
 * The alias a child gets from its parent's: the parent's old qualified type, and the child's name
 * with the parent's name prefix replaced by the old one (the `<parent>-<detail>` naming convention).
 */
function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string): string {
    const name = childName.startsWith(parentName) ? nameOf(parentAlias) + childName.slice(parentName.length) : childName;
    const [stack, project] = parts(parentAlias);
    return newUrn(stack, project, qualifiedType(parentAlias), childType, name);
}

/** A planned resource as the plan JSON gives it: `aliases` are the URNs its aliases stand for. */
export interface PlannedResource extends AliasedGoal {
    readonly aliases?: readonly string[];
}

/**
 * The URNs of `state` that the planned resources claim at the next update, as the engine matches
 * them: in registration order, each resource takes its own URN if the state holds it, else the
 * first of its aliases the state holds: its own, then, when its parent was itself found through
 * an alias, those inherited from the parent's old URN. (One case is left out: an own alias whose
 * name starts with a renamed parent's name is tried with the parent's old name prefix only.)
 */
export function claimedUrns(resources: readonly PlannedResource[], state: ReadonlySet<string>): Set<string> {
    const aliasedParents = new Map<string, string>();
    const claimed = new Set<string>();
    for (const r of resources) {
        const candidates = [r.urn, ...(r.aliases ?? [])];
        const parentAlias = r.parent === null ? undefined : aliasedParents.get(r.parent);
        if (r.parent !== null && parentAlias !== undefined) {
            const parentName = nameOf(r.parent);
            candidates.push(inheritedChildAlias(r.type, r.name, parentName, parentAlias));
            for (const a of r.aliases ?? []) {
                candidates.push(inheritedChildAlias(baseType(a), nameOf(a), parentName, parentAlias));
            }
        }
        const old = candidates.find((u) => state.has(u));
        if (old !== undefined) {
            claimed.add(old);
            if (old !== r.urn) {
                aliasedParents.set(r.urn, old);
            }
        }
    }
    return claimed;
}
