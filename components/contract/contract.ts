import { SecretSpec } from "./types";
import { LEGACY_CONSUMERS } from "./legacy";
import { APP_ROWS } from "./rows/apps";
import { IDENTITY_ROWS } from "./rows/identity";
import { LITELLM_ROWS, LITELLM_UI_ROWS } from "./rows/litellm";
import { LLMTRACE_ROWS } from "./rows/llmtrace";
import { PROVIDER_ROWS } from "./rows/providers";

/**
 * The secret contract: every secret of the platform, once. Add a secret by adding a row; the
 * backend secret, its grants, its Cloud Run binding, its ExternalSecret and its docs follow.
 * The previous release's names join their rows behind feature legacy-secret-names (legacy.ts).
 *
 * The rows live by area in `rows/`; their order here is the table's order (the order secrets are
 * created, granted and documented in), so a new row goes at the end of its area's list.
 */
export const SECRET_CONTRACT: readonly SecretSpec[] = withLegacyConsumers([
    ...LITELLM_ROWS,
    ...APP_ROWS,
    ...IDENTITY_ROWS,
    ...LITELLM_UI_ROWS,
    ...PROVIDER_ROWS,
    ...LLMTRACE_ROWS,
]);

function withLegacyConsumers(rows: readonly SecretSpec[]): readonly SecretSpec[] {
    return rows.map((row) => ({ ...row, consumers: [...row.consumers, ...(LEGACY_CONSUMERS[row.key] ?? [])] }));
}
