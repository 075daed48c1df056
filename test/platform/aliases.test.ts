/**
 * Aliases as the state-compatibility test counts them (test/support/aliases.ts), proved on a small
 * program evaluated under the same mock runtime as the platform: a resource renamed or retyped with
 * an alias still claims the URN a previous evaluation recorded, and one renamed without is lost.
 * Expected URNs are written out by hand from Pulumi's URN format
 * (`urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>`, sdk/go/common/resource/urn.go)
 * and the alias rules of its docs (a field an alias leaves out is the resource's own; a child
 * follows its parent's alias, its name's parent prefix with it).
 */
import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { claimedUrns } from "../support/aliases";
import { Evaluation, evaluate } from "../support/evaluate";

const URN = "urn:pulumi:dev::llm-platform-secrets::";

class Thing extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, {}, opts);
    }
}

class Group extends pulumi.ComponentResource {
    readonly child: Thing;
    constructor(type: string, name: string, child: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.child = new Thing(child, { parent: this });
        this.registerOutputs({});
    }
}

const run = async (program: () => void): Promise<Evaluation> => {
    const e = await evaluate({ stack: "dev", stackFiles: false, program });
    assert.strictEqual(e.error, undefined, e.error?.message);
    return e;
};

/** The URNs of `state` that the evaluation no longer claims. */
const lost = (e: Evaluation, state: readonly string[]): string[] => {
    const claimed = claimedUrns(e.resources, new Set(state));
    return state.filter((urn) => !claimed.has(urn));
};

describe("aliases claim the URNs of a previous evaluation", function () {
    this.timeout(60_000);
    const before = [`${URN}test:index:Thing::solo`, `${URN}test:index:Group::grp`, `${URN}test:index:Group$test:index:Thing::grp-child`];

    it("the state before: one resource, one component with a child", async () => {
        const e = await run(() => {
            new Thing("solo");
            new Group("test:index:Group", "grp", "grp-child");
        });
        assert.deepStrictEqual(e.resources.map((r) => r.urn).sort(), [...before].sort());
        assert.ok(
            e.resources.every((r) => r.aliases === undefined),
            "no alias, no aliases field",
        );
        assert.deepStrictEqual(lost(e, before), []);
    });

    it("a resource two components down is named by its parents' whole type chain, as the engine names it", async () => {
        class Outer extends pulumi.ComponentResource {
            constructor(name: string) {
                super("test:index:Outer", name, {});
                new Group("test:index:Group", `${name}-grp`, `${name}-grp-child`, { parent: this });
                this.registerOutputs({});
            }
        }
        const e = await run(() => new Outer("out"));
        assert.deepStrictEqual(e.resources.map((r) => r.urn).sort(), [
            `${URN}test:index:Outer$test:index:Group$test:index:Thing::out-grp-child`,
            `${URN}test:index:Outer$test:index:Group::out-grp`,
            `${URN}test:index:Outer::out`,
        ]);
    });

    it("a resource renamed with an alias naming its old name is claimed; renamed without, it is lost", async () => {
        const aliased = await run(() => {
            new Thing("solo-renamed", { aliases: [{ name: "solo" }] });
            new Group("test:index:Group", "grp", "grp-child");
        });
        assert.deepStrictEqual(aliased.resources.find((r) => r.name === "solo-renamed")?.aliases, [`${URN}test:index:Thing::solo`]);
        assert.deepStrictEqual(lost(aliased, before), []);

        const renamed = await run(() => {
            new Thing("solo-renamed");
            new Group("test:index:Group", "grp", "grp-child");
        });
        assert.deepStrictEqual(lost(renamed, before), [`${URN}test:index:Thing::solo`]);
    });

    it("a retyped component's alias carries its child, which names no alias of its own", async () => {
        const aliased = await run(() => {
            new Thing("solo");
            new Group("test:index:Pool", "grp", "grp-child", { aliases: [{ type: "test:index:Group" }] });
        });
        const child = aliased.resources.find((r) => r.name === "grp-child");
        assert.strictEqual(child?.urn, `${URN}test:index:Pool$test:index:Thing::grp-child`);
        assert.strictEqual(child?.aliases, undefined);
        assert.deepStrictEqual(lost(aliased, before), []);

        const retyped = await run(() => {
            new Thing("solo");
            new Group("test:index:Pool", "grp", "grp-child");
        });
        assert.deepStrictEqual(lost(retyped, before), [
            `${URN}test:index:Group::grp`,
            `${URN}test:index:Group$test:index:Thing::grp-child`,
        ]);
    });

    it("a renamed component's alias carries a child named after it, with the old name prefix", async () => {
        const aliased = await run(() => {
            new Thing("solo");
            new Group("test:index:Group", "pool", "pool-child", { aliases: [{ name: "grp" }] });
        });
        assert.deepStrictEqual(lost(aliased, before), []);
    });

    it("an alias by URN, by a named parent and by no parent stand for the URNs they say", async () => {
        const e = await run(() => {
            const group = new Group("test:index:Group", "grp", "grp-child");
            new Thing("by-urn", { aliases: [`${URN}test:index:Old::older`] });
            new Thing("moved-in", { parent: group, aliases: [{ parent: pulumi.rootStackResource }] });
            new Thing("moved-out", { aliases: [{ name: "inside", parent: group }] });
            // A parent's whole qualified type comes first, not only its own type.
            new Thing("moved-up", { aliases: [{ parent: group.child }] });
            new Thing("other-stack", { aliases: [{ stack: "prod", project: "elsewhere", type: "test:index:Was" }] });
        });
        const aliases = Object.fromEntries(e.resources.filter((r) => r.aliases).map((r) => [r.name, r.aliases]));
        assert.deepStrictEqual(aliases, {
            "by-urn": [`${URN}test:index:Old::older`],
            "moved-in": [`${URN}test:index:Thing::moved-in`],
            "moved-out": [`${URN}test:index:Group$test:index:Thing::inside`],
            "moved-up": [`${URN}test:index:Group$test:index:Thing$test:index:Thing::moved-up`],
            "other-stack": ["urn:pulumi:prod::elsewhere::test:index:Was::other-stack"],
        });
    });
});
