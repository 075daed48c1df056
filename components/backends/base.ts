/**
 * What every backend does the same way, so that a backend file holds only what its cloud needs:
 * the component that holds one stored secret (its fields, its outputs), the options that keep
 * data (`protect` where data must stay; an adopted resource imported and retained on delete), the
 * labels an adopted secret keeps, the stack's version key, an empty grant granting nothing, and
 * the store-access defaults. A backend is `defineBackend({ write, grant, reference, storeAccess })`.
 */
import * as pulumi from "@pulumi/pulumi";

import type { BackendAdoption } from "../adoption";
import { SecretSpec } from "../contract/types";
import { Principal, SecretBackend, SecretReference, StoreAccess, StoreReader, StoredSecret } from "./backend";
import { VersionKey } from "./contentVersion";
import { BackendKind } from "./kinds";

/** What a backend's `write` makes of one secret: the common fields and its own (`D`: an ARN, a path). */
export type Written<D extends object> = Omit<StoredSecret, "key"> & Readonly<D>;

/** What a backend's `store` returns: the component holding the secret, with the backend's own fields. */
export type Stored<D extends object = object> = BackendSecret & Readonly<D>;

/** One secret as a backend wrote it: the component its resources are children of. */
export class BackendSecret extends pulumi.ComponentResource implements StoredSecret {
    public readonly key: string;
    // Set from what `write` returns.
    declare public readonly backendId: pulumi.Output<string>;
    declare public readonly version: pulumi.Output<string>;
    declare public readonly dependencies: readonly pulumi.Resource[];

    /**
     * Registers the component (named by the key, typed `type`), lets `write` create its
     * resources as children, and registers what `write` returned that is an Output: plain fields
     * (a path, a name) are known before any write and are not state.
     */
    constructor(type: string, spec: SecretSpec, opts: pulumi.ComponentResourceOptions, write: (parent: BackendSecret) => Written<object>) {
        super(type, spec.key, {}, opts);
        this.key = spec.key;
        const written = write(this);
        Object.assign(this, written);
        this.registerOutputs(Object.fromEntries(Object.entries(written).filter(([, v]) => pulumi.Output.isInstance(v))));
    }
}

/** What a backend's `write` gets for one secret. */
export interface SecretWrite {
    readonly spec: SecretSpec;
    /** The value to store; a Pulumi secret. */
    readonly value: pulumi.Output<string>;
    /** Import this existing secret instead of creating one (see `SecretBackend.store`). */
    readonly adopt?: BackendAdoption;
    /** The secret's id in the backend: an adopted secret's own, else `idOf` of the key. */
    readonly id: string;
    /** The options `store` was called with (before `storeOptions`). */
    readonly opts: pulumi.ComponentResourceOptions;
    /** The secret's component: parent of every resource `write` creates. */
    readonly parent: BackendSecret;
    /**
     * Options of the resource that holds the secret: protected where data must stay; with
     * `adopt`, imported as `importId` (with `adopted`, e.g. the provider-side fields to ignore)
     * and never deleted by Pulumi.
     */
    kept(importId: string, adopted?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
    /** Options of a version resource: imported and retained when `adopt.version` is set. */
    keptVersion(importId: (version: string) => string, adopted?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
    /** Labels (tags, metadata) of the secret: an adopted one keeps its own, which an import must match. */
    labels(own: Readonly<Record<string, string>>): Record<string, string>;
    /** The stack's `VersionKey`, made on first use: for backends whose version is a keyed digest. */
    versionKey(): pulumi.Output<string>;
}

/** A store's access as a backend builds it; annotations and operator Secrets default to none. */
export type StoreAccessOf = Pick<StoreAccess, "principal" | "storeProvider"> & Partial<StoreAccess>;

/** What a backend is, once the shared parts are taken out. `D` is its own fields of a stored secret. */
export interface BackendDefinition<D extends object> {
    readonly kind: BackendKind;
    /** Type token of a stored secret's component (`llm-platform-secrets:<module>:Secret`). */
    readonly secretType: string;
    /** Keep data: `protect` on the resource that holds each secret. */
    readonly dataProtection: boolean;
    /** The backend's id of a contract key: its naming rule (`../naming`), for the stack's prefix or path. */
    idOf(key: string): string;
    /** Options every stored secret's component gets on top of the caller's (an explicit provider). */
    storeOptions?(opts: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions;
    /** Creates the resources that hold one secret, as children of `w.parent`. */
    write(w: SecretWrite): Written<D>;
    /** Grants `principal` read on exactly `secrets`; never called with none (that grants nothing). */
    grant(
        name: string,
        principal: Principal,
        secrets: readonly (StoredSecret & Readonly<D>)[],
        opts: pulumi.CustomResourceOptions,
    ): pulumi.Resource[];
    reference(secret: StoredSecret & Readonly<D>): SecretReference;
    storeAccess(name: string, reader: StoreReader, opts: pulumi.ComponentResourceOptions): StoreAccessOf;
    auditAccess?(name: string, opts: pulumi.CustomResourceOptions): pulumi.Resource[];
}

/** A `SecretBackend` from what is particular to one backend. */
export function defineBackend<D extends object>(def: BackendDefinition<D>): SecretBackend<Stored<D>> {
    let versionKey: pulumi.Output<string> | undefined;
    const versionKeyOf = (): pulumi.Output<string> => (versionKey ??= new VersionKey("secret-version-key").key);
    const store = (spec: SecretSpec, value: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions, adopt?: BackendAdoption) =>
        // The component takes on `write`'s fields, so it is a `Stored<D>`.
        new BackendSecret(def.secretType, spec, def.storeOptions?.(opts) ?? opts, (parent) =>
            def.write({
                spec,
                value,
                adopt,
                id: adopt?.id ?? def.idOf(spec.key),
                opts,
                parent,
                kept: (importId, adopted = {}) => ({
                    parent,
                    protect: def.dataProtection,
                    ...(adopt === undefined ? {} : { import: importId, ...adopted, retainOnDelete: true }),
                }),
                keptVersion: (importId, adopted = {}) => ({
                    parent,
                    ...(adopt?.version === undefined ? {} : { import: importId(adopt.version), ...adopted, retainOnDelete: true }),
                }),
                labels: (own) => (adopt === undefined ? { ...own } : { ...adopt.labels }),
                versionKey: versionKeyOf,
            }),
        ) as Stored<D>;
    return {
        kind: def.kind,
        store,
        grantRead: (name, principal, secrets, opts) => (secrets.length === 0 ? [] : def.grant(name, principal, secrets, opts)),
        reference: (secret) => def.reference(secret),
        storeAccess: (name, reader, opts) => ({
            serviceAccountAnnotations: {},
            operatorSecrets: [],
            ...def.storeAccess(name, reader, opts),
        }),
        ...(def.auditAccess === undefined ? {} : { auditAccess: (name, opts) => def.auditAccess!(name, opts) }),
    };
}

/** A value as a JSON entry `{"<property>": value}` (AWS secrets, Vault KV entries); a Pulumi secret. */
export const jsonEntry = (property: string, value: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.secret(pulumi.output(value).apply((v) => JSON.stringify({ [property]: v })));
