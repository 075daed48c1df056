import * as pulumi from "@pulumi/pulumi";

/** The constructor of a component whose fields are `O` (see `componentWithOutputs`). */
type WithOutputs<O extends object> = abstract new (
    type: string,
    name: string,
    opts: pulumi.ComponentResourceOptions | undefined,
    build: (self: pulumi.ComponentResource) => O,
) => pulumi.ComponentResource & Readonly<O>;

/**
 * A base class for components that expose one output interface `O`, where two components (one
 * that creates a data store, one that reads an existing one) expose the same: `build` creates the
 * children under `self` and returns `O`, whose every field becomes a field of the component and
 * one of its registered outputs. So the interface is declared once, not once per class.
 */
export function componentWithOutputs<O extends object>(): WithOutputs<O> {
    abstract class Component extends pulumi.ComponentResource {
        constructor(
            type: string,
            name: string,
            opts: pulumi.ComponentResourceOptions | undefined,
            build: (self: pulumi.ComponentResource) => O,
        ) {
            super(type, name, {}, opts);
            const outputs = build(this);
            Object.assign(this, outputs);
            this.registerOutputs(outputs);
        }
    }
    // The fields come from `Object.assign`, which the class's own type cannot show.
    return Component as unknown as WithOutputs<O>;
}
