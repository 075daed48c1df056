/**
 * Adoption config: backend secrets that already exist (made by hand with `gcloud secrets create`,
 * or by a `make seed-secrets` script) and that a stack takes over instead of creating. Read and
 * validated here, with every problem named; `components/adoption` applies it.
 *
 *   adoptSecrets:
 *     litellm-salt-key: { id: litellm-salt-key, version: 3 }
 *
 * A value generated elsewhere is kept: the operator gives it once as a secret
 * (`adopted<Key>`, see `adoptedValueKey`), and it stays the value until the secret's first
 * rotation after adoption.
 */
import { SecretSpec } from "../contract/types";
import { AdoptedSecretSettings } from "../adoption/settings";
import { GCP_NAME, GCP_REGION, NOT_A_CONTRACT_KEY, POSTGRES_DATABASE, featuresOff, isObject, isWholeNumber } from "./patterns";
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys. */
export const ADOPTION_AREA = "Adoption";

export type { AdoptedSecretSettings };

/** Existing GCP runtime resources the stack uses instead of creating its own (gcpRuntime on). */
export interface RuntimeAdoptionSettings {
    /** Cloud SQL instance name (the guide's `litellm-db`). @default undefined (create one) */
    readonly cloudSqlInstance?: string;
    /** The database LiteLLM uses in it. @default "litellm" */
    readonly cloudSqlDatabase: string;
    /** Memorystore instance id (the guide's `litellm-redis`). @default undefined (create one) */
    readonly redisInstance?: string;
    /** Cloud Run service name (the guide's `litellm-proxy`), imported. @default undefined (create one) */
    readonly cloudRunService?: string;
}

export interface AdoptionSettings {
    /** Adopted secrets by contract key; empty when the stack adopts nothing. */
    readonly secrets: Readonly<Record<string, AdoptedSecretSettings>>;
    /** Existing runtime resources, by what they are. */
    readonly runtime: RuntimeAdoptionSettings;
    /** Contract keys whose kept value the operator gave (`adopted<Key>` is set, as a secret). */
    readonly valuesGiven: ReadonlySet<string>;
}

/** Config key of the value an adopted secret keeps: `litellm-salt-key` → `adoptedLitellmSaltKey`. */
export const adoptedValueKey = (key: string): string =>
    `adopted${key.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase())}`;

/**
 * Whether an adopted row's value must be given: anything generated or hashed here would
 * otherwise be a new value. Provided values and settings already come from config; a derived
 * value may be left to the program (a documented switch), but then it is a new value.
 */
export const adoptionNeedsValue = (spec: SecretSpec): boolean =>
    spec.source.kind === "generated" || spec.source.kind === "randomBytes" || spec.source.kind === "bcrypt";

const EXAMPLE = "adoptSecrets: { litellm-salt-key: { id: litellm-salt-key, version: 1 } }";
const ID = /^[A-Za-z0-9_.:/@+=-]{1,512}$/;
const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

function readEntry(r: ConfigReader, key: string, raw: unknown, versionRequired: boolean): AdoptedSecretSettings | undefined {
    const where = `adoptSecrets.${key}`;
    if (!isObject(raw)) {
        r.problem(where, `must be a map with the existing secret's version (and id)`, `in Pulumi.<stack>.yaml: ${EXAMPLE}`);
        return undefined;
    }
    let ok = true;
    const bad = (field: string, message: string, fix: string): void => {
        r.problem(`${where}.${field}`, message, fix);
        ok = false;
    };
    const unknown = Object.keys(raw).filter((k) => !["id", "version", "generation", "labels", "locations"].includes(k));
    if (unknown.length > 0) {
        bad(unknown[0], `is not an adoption field (id, version, generation, labels, locations)`, "remove or correct it");
    }
    const id = raw.id;
    if (id !== undefined && (typeof id !== "string" || !ID.test(id))) {
        bad("id", `${JSON.stringify(id)} is not a backend secret id`, `set it to the id gcloud secrets list shows (${key}?)`);
    }
    const existing = typeof id === "string" ? id : key;
    const version = typeof raw.version === "number" ? String(raw.version) : raw.version;
    if ((version !== undefined || versionRequired) && (typeof version !== "string" || !VERSION.test(version))) {
        bad(
            "version",
            version === undefined
                ? "is required: the version consumers read today is imported and kept"
                : `${JSON.stringify(raw.version)} is not a version`,
            `gcloud secrets versions list ${existing} --filter=state:enabled --sort-by=~createTime --limit=1, ` +
                "then set version to its number",
        );
    }
    const generation = raw.generation ?? 0;
    if (!isWholeNumber(generation, Infinity)) {
        bad(
            "generation",
            `${JSON.stringify(generation)} is not a whole number ≥ 0`,
            "remove it (0), or set the rotations generation the value is current at",
        );
    }
    const labels = raw.labels ?? {};
    const badLabel = ([k, v]: [string, unknown]): boolean => !LABEL_KEY.test(k) || typeof v !== "string" || !LABEL_VALUE.test(v);
    if (!isObject(labels) || Object.entries(labels).some(badLabel)) {
        bad(
            "labels",
            "must be the secret's labels as gcloud secrets describe shows them (lowercase keys and values)",
            `gcloud secrets describe ${existing} --format='value(labels)'`,
        );
    }
    const locations = raw.locations ?? [];
    if (!Array.isArray(locations) || locations.some((l) => typeof l !== "string" || !GCP_REGION.test(l))) {
        bad(
            "locations",
            "must be the secret's replica locations (regions), or absent for automatic replication",
            `gcloud secrets describe ${existing} --format='value(replication)'`,
        );
    }
    if (!ok) {
        return undefined;
    }
    return Object.freeze({
        ...(typeof id === "string" ? { id } : {}),
        ...(typeof version === "string" ? { version } : {}),
        generation: generation as number,
        labels: Object.freeze({ ...(labels as Record<string, string>) }),
        locations: Object.freeze([...(locations as string[])]),
    });
}

export interface AdoptionContext {
    readonly contract: readonly SecretSpec[];
    /** Keys of the rows active in the stack (before adoption adds derived rows). */
    readonly activeKeys: ReadonlySet<string>;
    readonly features: ReadonlySet<string>;
    readonly rotations: Readonly<Record<string, number>>;
    /** Config keys whose values are Pulumi secrets, when known. */
    readonly secretKeys?: ReadonlySet<string>;
    /** Whether the stack runs the GCP runtime (Cloud SQL, Memorystore, Cloud Run). */
    readonly gcpRuntime: boolean;
}

/** Reads the existing runtime resources a stack adopts by name. */
function readRuntimeAdoption(r: ConfigReader, ctx: AdoptionContext): RuntimeAdoptionSettings {
    const name = (key: string, example: string): string | undefined => {
        const v = r.string(key, "", { ...GCP_NAME, example });
        return v === "" ? undefined : v;
    };
    const cloudSqlInstance = name("adoptCloudSqlInstance", "litellm-db");
    const cloudSqlDatabase = r.string("adoptCloudSqlDatabase", "litellm", { ...POSTGRES_DATABASE, example: "litellm" });
    const redisInstance = name("adoptRedisInstance", "litellm-redis");
    const cloudRunService = name("adoptCloudRunService", "litellm-proxy");
    for (const key of ["adoptCloudSqlInstance", "adoptRedisInstance", "adoptCloudRunService"]) {
        if (r.isSet(key) && !ctx.gcpRuntime) {
            const fix = `pulumi config set gcpRuntime true, or pulumi config rm ${key}`;
            r.problem(key, "adopts a resource of the GCP runtime, but gcpRuntime is off", fix);
        }
    }
    return Object.freeze({
        ...(cloudSqlInstance === undefined ? {} : { cloudSqlInstance }),
        cloudSqlDatabase,
        ...(redisInstance === undefined ? {} : { redisInstance }),
        ...(cloudRunService === undefined ? {} : { cloudRunService }),
    });
}

/** Reads `adoptSecrets` and the kept values it needs, reporting every problem. */
export function readAdoption(reader: ConfigReader, ctx: AdoptionContext): AdoptionSettings {
    const r = reader.inArea(ADOPTION_AREA);
    const raw = r.object("adoptSecrets", EXAMPLE);
    const secrets: Record<string, AdoptedSecretSettings> = {};
    const valuesGiven = new Set<string>();
    for (const [key, entry] of Object.entries(raw)) {
        const spec = ctx.contract.find((s) => s.key === key);
        if (spec === undefined) {
            r.problem(`adoptSecrets.${key}`, NOT_A_CONTRACT_KEY.message, NOT_A_CONTRACT_KEY.fix);
            continue;
        }
        const adopted = readEntry(r, key, entry, adoptionNeedsValue(spec));
        if (adopted === undefined) {
            continue;
        }
        secrets[key] = adopted;
        const valueKey = adoptedValueKey(key);
        const given = r.secretIsSet(valueKey);
        const id = adopted.id ?? key;
        const fix =
            `gcloud secrets versions access ${adopted.version ?? "latest"} --secret=${id} | ` + `pulumi config set --secret ${valueKey}`;
        if (given && ctx.secretKeys !== undefined && !ctx.secretKeys.has(valueKey)) {
            r.problem(valueKey, "is stored in plain text in the stack file", `${fix} (re-set it as a secret)`);
        }
        if (given && r.isBlank(valueKey)) {
            r.problem(valueKey, `the value ${key} keeps is set but empty`, fix);
        }
        if (given) {
            valuesGiven.add(key);
        }
        if (adoptionNeedsValue(spec) && !given) {
            const why = `${key} is adopted, so its current value must be given (a new one would be generated otherwise)`;
            r.problem(valueKey, why, fix);
        }
        if ((spec.source.kind === "provided" || spec.source.kind === "setting") && given) {
            const { configKey } = spec.source;
            const set = `pulumi config set ${spec.source.kind === "provided" ? "--secret " : ""}${configKey} <the current value>`;
            r.problem(
                valueKey,
                `${key} takes its value from config ${configKey}, not from ${valueKey}`,
                `pulumi config rm ${valueKey}; ${set}`,
            );
        }
        if (spec.source.kind === "activeUser") {
            r.problem(
                `adoptSecrets.${key}`,
                `${key} names the user of ${spec.source.of}; it is not stored before the switch to alternating users`,
                `remove the entry (docs/adoption.md, "Later: the switch")`,
            );
        }
        const current = ctx.rotations[key] ?? 0;
        if (current < adopted.generation) {
            r.problem(
                `adoptSecrets.${key}.generation`,
                `${adopted.generation} is past rotations.${key} (${current})`,
                `set it to ${current}`,
            );
        }
        if (spec.source.kind === "derived" && !given && !ctx.activeKeys.has(key)) {
            const why = `${key} derives from ${spec.source.from}, which this stack does not run: the value it has must be given`;
            r.problem(valueKey, why, fix);
        }
        if (spec.source.kind !== "derived" && !ctx.activeKeys.has(key)) {
            const off = featuresOff(spec, ctx.features);
            const fixOff = `remove the entry, or add ${off} to features`;
            r.problem(`adoptSecrets.${key}`, `${key} does not exist in this stack (feature ${off} is off)`, fixOff);
        }
    }
    // A never-rotated value generated anew would orphan what it protects (LiteLLM's encrypted
    // credentials, n8n's): a stack that adopts anything must adopt these too.
    if (Object.keys(secrets).length > 0 || Object.keys(raw).length > 0) {
        for (const spec of ctx.contract) {
            if (spec.neverRotate !== undefined && ctx.activeKeys.has(spec.key) && raw[spec.key] === undefined) {
                r.problem(
                    `adoptSecrets.${spec.key}`,
                    `this stack adopts existing secrets but not ${spec.key}, which would be generated anew: ` +
                        spec.neverRotate.replace(/\.$/, ""),
                    `add ${spec.key}: { id: <its id>, version: <its version> } and give its value with ` +
                        `pulumi config set --secret ${adoptedValueKey(spec.key)}`,
                );
            }
        }
    }
    return Object.freeze({ secrets: Object.freeze(secrets), runtime: readRuntimeAdoption(r, ctx), valuesGiven });
}
