/** Kubernetes path: External Secrets objects on the served API, Helm sub-charts with real credentials. */
import { ENVIRONMENT_SCHEMA, ResourceValidationPolicy, prodOnly, str } from "./common";
import { at, peek } from "./detect";

export const EXTERNAL_SECRETS_API = "external-secrets.io/v1";

export const externalSecretsApiV1: ResourceValidationPolicy = {
    name: "external-secrets-api-v1",
    description:
        `External Secrets objects use API ${EXTERNAL_SECRETS_API}: v1beta1 is deprecated and no longer served by ` +
        "current operators, so an object on it is never reconciled.",
    severity: "high",
    remediationSteps: `Set apiVersion: ${EXTERNAL_SECRETS_API}.`,
    validateResource: (args, reportViolation) => {
        // A CustomResource's type token is kubernetes:<apiVersion>:<kind>.
        const fromType = /^kubernetes:(external-secrets\.io\/[^:]+):/.exec(args.type)?.[1];
        const declared = str(peek(args.props, "apiVersion"));
        const apiVersion = declared?.startsWith("external-secrets.io/") ? declared : fromType;
        if (apiVersion !== undefined && apiVersion !== EXTERNAL_SECRETS_API) {
            reportViolation(`${args.type} ${args.name}: uses ${apiVersion}; use ${EXTERNAL_SECRETS_API}.`);
        }
    },
};

/** A sub-chart a chart bundles, and where the chart says whether it is on. */
interface SubChart {
    readonly name: string;
    /** Values path that turns it on. */
    readonly enabledPath: string;
}

/** What a chart does when a value is not set: the defaults that make a bundled database insecure. */
export interface ChartDefaults {
    readonly subCharts: readonly SubChart[];
    /** Values by dotted path, as in the chart's values.yaml. */
    readonly values: Readonly<Record<string, unknown>>;
}

/** Defaults of the charts the platform installs (their values.yaml, the credential-related keys). */
export const CHART_DEFAULTS: Readonly<Record<string, ChartDefaults>> = {
    "litellm-helm": {
        subCharts: [
            { name: "postgresql", enabledPath: "db.deployStandalone" },
            { name: "redis", enabledPath: "redis.enabled" },
        ],
        values: {
            "db.deployStandalone": true,
            "postgresql.auth.password": "NoTaGrEaTpAsSwOrD",
            "postgresql.auth.postgres-password": "NoTaGrEaTpAsSwOrD",
            "redis.enabled": false,
        },
    },
    llmtrace: {
        subCharts: [
            { name: "postgresql", enabledPath: "postgresql.enabled" },
            { name: "redis", enabledPath: "redis.enabled" },
            { name: "clickhouse", enabledPath: "clickhouse.enabled" },
        ],
        values: {
            "postgresql.enabled": true,
            "postgresql.auth.password": "llmtrace",
            "redis.enabled": true,
            "redis.auth.enabled": false,
            "clickhouse.enabled": true,
            "clickhouse.auth.password": "",
            "secrets.create": true,
            "secrets.existingSecret": "",
            "secrets.postgresUrl": "postgres://llmtrace:llmtrace@llmtrace-postgresql:5432/llmtrace",
        },
    },
};

/** Passwords charts ship as defaults: a release that ends up with one is open to anyone who read the chart. */
export const CHART_DEFAULT_PASSWORDS = ["NoTaGrEaTpAsSwOrD", "llmtrace"];

/** Sub-charts with an `auth` block, for charts not in the table (Bitnami's layout). */
const GENERIC_SUBCHARTS = ["postgresql", "redis", "mysql", "mariadb", "mongodb", "clickhouse"];

/** `oci://ghcr.io/berriai/litellm-helm`, `./charts/llmtrace`, `repo/llmtrace` → the chart's name. */
export const chartName = (chart: string): string =>
    chart
        .replace(/\/+$/, "")
        .split("/")
        .pop()!
        .replace(/-\d+\.\d+\.\d+.*\.tgz$/, "");

const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];

export const helmSubchartCredentials: ResourceValidationPolicy = {
    name: "helm-subchart-credentials",
    description:
        "In prod, a Helm release's bundled Redis requires AUTH, and no bundled database keeps an empty or chart-default " +
        "password (NoTaGrEaTpAsSwOrD, llmtrace): each is off, or reads its password from an existing Secret.",
    severity: "critical",
    configSchema: ENVIRONMENT_SCHEMA,
    remediationSteps:
        "Turn the sub-chart off and use the managed service (Cloud SQL, Memorystore), or set <sub>.auth.existingSecret " +
        "to a Secret an ExternalSecret fills; for Redis also <sub>.auth.enabled: true.",
    validateResource: (args, reportViolation) => {
        if (!HELM_TYPES.includes(args.type)) {
            return;
        }
        prodOnly(args);
        const where = `${args.type} ${args.name}`;
        const values = peek(args.props, "values") ?? {};
        const chart = chartName(str(peek(args.props, "chart")) ?? "");
        const known = CHART_DEFAULTS[chart];
        // What the release ends up with: the value set here, else the chart's default.
        const effective = (path: string): unknown => at(values, path) ?? known?.values[path];
        const subCharts =
            known?.subCharts ??
            GENERIC_SUBCHARTS.filter((s) => peek(values, s) !== undefined).map((s) => ({ name: s, enabledPath: `${s}.enabled` }));

        for (const { name, enabledPath } of subCharts) {
            // Bitnami sub-charts are on unless turned off.
            if ((effective(enabledPath) ?? true) === false) {
                continue;
            }
            const existing = str(effective(`${name}.auth.existingSecret`)) ?? "";
            if (name === "redis" && (effective("redis.auth.enabled") ?? true) !== true) {
                reportViolation(`${where}: bundled Redis runs without AUTH (redis.auth.enabled).`);
                continue;
            }
            if (existing !== "") {
                continue;
            }
            for (const key of ["password", "postgres-password", "rootPassword"]) {
                const path = `${name}.auth.${key}`;
                const value = effective(path);
                if (value === undefined && key !== "password") {
                    continue;
                }
                const s = str(value) ?? "";
                if (s === "" || CHART_DEFAULT_PASSWORDS.includes(s)) {
                    reportViolation(
                        `${where}: bundled ${name} keeps ${s === "" ? "an empty" : "the chart's default"} password (${path}); ` +
                            `turn it off or set ${name}.auth.existingSecret.`,
                    );
                }
            }
        }
        // A chart-made Secret built from default connection strings (LLMTrace's secrets.*).
        if (
            known?.values["secrets.create"] !== undefined &&
            effective("secrets.create") === true &&
            (str(effective("secrets.existingSecret")) ?? "") === ""
        ) {
            for (const path of Object.keys(known.values).filter((p) => p.startsWith("secrets.") && p.endsWith("Url"))) {
                const url = str(effective(path)) ?? "";
                if (CHART_DEFAULT_PASSWORDS.some((pw) => url.includes(`:${pw}@`))) {
                    reportViolation(
                        `${where}: ${path} keeps the chart's default password; set secrets.create: false and secrets.existingSecret.`,
                    );
                }
            }
        }
    },
};
