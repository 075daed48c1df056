/**
 * Provided secrets: values only their issuer can make (upstream API keys and tokens), given with
 * `pulumi config set --secret`. Declared whether or not their feature is on, required only when
 * it is; their values are never read here, only whether they are set.
 */
import { providedRows } from "../contract/queries";
import { SecretSpec } from "../contract/types";
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys. */
export const PROVIDED_AREA = "Provided secrets";

export interface ProvidedContext {
    /** The contract with the agents' rows. */
    readonly contract: readonly SecretSpec[];
    /** Keys of the rows active in the stack. */
    readonly activeKeys: ReadonlySet<string>;
    /** The operator writes the source values: none is taken from config. */
    readonly valuesFromOperator: boolean;
    /** Config keys whose values are Pulumi secrets, when known. */
    readonly secretKeys?: ReadonlySet<string>;
}

/** Checks each provided key: set when its row is active, not empty, and stored as a secret. */
export function checkProvidedSecrets(reader: ConfigReader, ctx: ProvidedContext): void {
    const r = reader.inArea(PROVIDED_AREA);
    for (const { spec, source } of providedRows(ctx.contract)) {
        const { configKey, issuer } = source;
        const isSet = r.secretIsSet(configKey);
        const why = spec.requires.map((f) => `"${f}"`).join(" and ");
        const fix = `pulumi config set --secret ${configKey} <value from ${issuer}>`;
        if (ctx.activeKeys.has(spec.key) && !isSet && !ctx.valuesFromOperator) {
            r.problem(configKey, `${spec.key} is needed because feature ${why} is on`, fix);
        } else if (ctx.activeKeys.has(spec.key) && r.isBlank(configKey)) {
            r.problem(configKey, `${spec.key} is set but empty`, fix);
        } else if (isSet && ctx.secretKeys && !ctx.secretKeys.has(configKey)) {
            r.problem(configKey, "is stored in plain text in the stack file", `${fix} (re-set it as a secret)`);
        }
    }
}
