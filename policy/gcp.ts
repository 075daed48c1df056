/** Production safeguards of the GCP runtime: Cloud Run, Cloud SQL, Memorystore, Secret Manager. */
import { ENVIRONMENT_SCHEMA, PUBLIC_MEMBERS, PolicyConfigSchema, ResourceValidationPolicy, prodOnly, str } from "./common";
import { at, peek } from "./detect";

const RUN_SERVICE = "gcp:cloudrunv2/service:Service";
const RUN_JOB = "gcp:cloudrunv2/job:Job";

/** Cloud Run's template (the job's task template for a Job). */
const runTemplate = (type: string, props: unknown): unknown =>
    type === RUN_JOB ? at(props, "template.template") : peek(props, "template");

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const cloudRunSecretsPinned: ResourceValidationPolicy = {
    name: "cloud-run-secrets-pinned",
    description:
        "In prod, every Cloud Run secret env var and secret volume names a fixed Secret Manager version, never " +
        "`latest`: a rotation then rolls a new revision instead of changing what a running one reads.",
    severity: "medium",
    configSchema: ENVIRONMENT_SCHEMA,
    remediationSteps: "Set valueSource.secretKeyRef.version to the SecretVersion's version output.",
    validateResource: (args, reportViolation) => {
        if (args.type !== RUN_SERVICE && args.type !== RUN_JOB) {
            return;
        }
        prodOnly(args);
        const template = runTemplate(args.type, args.props);
        for (const container of list(peek(template, "containers"))) {
            for (const env of list(peek(container, "envs"))) {
                const ref = at(env, "valueSource.secretKeyRef");
                if (ref === undefined) {
                    continue;
                }
                const version = str(peek(ref, "version"));
                if (version === undefined || version === "" || version === "latest") {
                    reportViolation(
                        `${args.type} ${args.name}: env ${str(peek(env, "name"))} reads version "${version ?? "latest"}"; pin a version.`,
                    );
                }
            }
        }
        for (const volume of list(peek(template, "volumes"))) {
            for (const item of list(at(volume, "secret.items"))) {
                const version = str(peek(item, "version"));
                if (version === undefined || version === "" || version === "latest") {
                    reportViolation(
                        `${args.type} ${args.name}: secret volume ${str(peek(volume, "name"))} reads version "${version ?? "latest"}"; pin a version.`,
                    );
                }
            }
        }
    },
};

const RUN_IAM = /^gcp:(cloudrunv2\/(service|job)Iam(Member|Binding|Policy)|cloudrun\/iam(Member|Binding|Policy)):/;
/** Ingress settings that keep a service off the open internet. */
export const PRIVATE_INGRESS = ["INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"];

const RUN_PUBLIC_SCHEMA: PolicyConfigSchema = {
    properties: {
        ...ENVIRONMENT_SCHEMA.properties,
        allowedIngress: {
            type: "array",
            items: { type: "string" },
            default: PRIVATE_INGRESS,
            description: "Ingress settings a prod service may have (INGRESS_TRAFFIC_ALL exposes it to the internet).",
        },
    },
};

export const cloudRunNotPublic: ResourceValidationPolicy = {
    name: "cloud-run-not-public",
    description:
        "In prod, no Cloud Run service or job is public: no allUsers or allAuthenticatedUsers invoker, IAM invoker " +
        "checks on, and ingress limited to internal traffic or a load balancer.",
    severity: "critical",
    configSchema: RUN_PUBLIC_SCHEMA,
    remediationSteps:
        "Grant roles/run.invoker to named principals; set ingress to INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER behind IAP or a load balancer.",
    validateResource: (args, reportViolation) => {
        const where = `${args.type} ${args.name}`;
        if (RUN_IAM.test(args.type)) {
            prodOnly(args);
            const members = [
                str(peek(args.props, "member")),
                ...list(peek(args.props, "members")).map(str),
                ...policyMembers(peek(args.props, "policyData")),
            ];
            for (const m of members.filter((m): m is string => m !== undefined && PUBLIC_MEMBERS.includes(m))) {
                reportViolation(`${where}: ${m} may invoke the service. Grant roles/run.invoker to named principals.`);
            }
        } else if (args.type === RUN_SERVICE) {
            prodOnly(args);
            if (peek(args.props, "invokerIamDisabled") === true) {
                reportViolation(`${where}: invokerIamDisabled lets anyone invoke the service.`);
            }
            const allowed = args.getConfig<{ allowedIngress?: string[] }>().allowedIngress ?? PRIVATE_INGRESS;
            // Unset, the API defaults to INGRESS_TRAFFIC_ALL.
            const ingress = str(peek(args.props, "ingress")) ?? "INGRESS_TRAFFIC_ALL";
            if (!allowed.includes(ingress)) {
                reportViolation(`${where}: ingress ${ingress} is open to the internet (allowed: ${allowed.join(", ")}).`);
            }
        }
    },
};

function policyMembers(policyData: unknown): string[] {
    const text = str(policyData);
    if (text === undefined) {
        return [];
    }
    try {
        const doc = JSON.parse(text) as { bindings?: { members?: unknown[] }[] };
        return (doc.bindings ?? []).flatMap((b) => (b.members ?? []).map(String));
    } catch {
        return [];
    }
}

export const cloudSqlProdSafeguards: ResourceValidationPolicy = {
    name: "cloud-sql-prod-safeguards",
    description:
        "In prod, a Cloud SQL instance has deletion protection, automated backups with point-in-time recovery, and " +
        "no public IP unless authorized networks (never 0.0.0.0/0) restrict it.",
    severity: "high",
    configSchema: ENVIRONMENT_SCHEMA,
    remediationSteps:
        "deletionProtection: true; settings.backupConfiguration {enabled: true, pointInTimeRecoveryEnabled: true}; " +
        "settings.ipConfiguration {ipv4Enabled: false, privateNetwork: <vpc>}.",
    validateResource: (args, reportViolation) => {
        if (args.type !== "gcp:sql/databaseInstance:DatabaseInstance") {
            return;
        }
        prodOnly(args);
        const where = `${args.type} ${args.name}`;
        const p = args.props;
        // The provider's own default is true; only an explicit false turns it off.
        if (peek(p, "deletionProtection") === false) {
            reportViolation(`${where}: deletionProtection is off.`);
        }
        const backup = at(p, "settings.backupConfiguration");
        if (peek(backup, "enabled") !== true) {
            reportViolation(`${where}: automated backups are off (settings.backupConfiguration.enabled).`);
        }
        const engine = str(peek(p, "databaseVersion")) ?? "";
        const pitr = engine.startsWith("MYSQL") ? "binaryLogEnabled" : "pointInTimeRecoveryEnabled";
        if (peek(backup, pitr) !== true) {
            reportViolation(`${where}: point-in-time recovery is off (settings.backupConfiguration.${pitr}).`);
        }
        const ip = at(p, "settings.ipConfiguration");
        // ipv4Enabled defaults to true: an instance gets a public address unless told otherwise.
        if (peek(ip, "ipv4Enabled") !== false) {
            const networks = list(peek(ip, "authorizedNetworks")).map((n) => str(peek(n, "value")) ?? "");
            if (networks.length === 0) {
                reportViolation(`${where}: public IP with no authorized networks; set ipv4Enabled: false and use a private network.`);
            }
            for (const open of networks.filter((n) => /^0\.0\.0\.0\/0$|^::\/0$/.test(n))) {
                reportViolation(`${where}: authorized network ${open} admits the whole internet.`);
            }
        }
    },
};

export const memorystoreAuthAndTls: ResourceValidationPolicy = {
    name: "memorystore-auth-and-tls",
    description: "In prod, a Memorystore Redis instance requires AUTH and encrypts traffic in transit (SERVER_AUTHENTICATION).",
    severity: "high",
    configSchema: ENVIRONMENT_SCHEMA,
    remediationSteps: 'authEnabled: true; transitEncryptionMode: "SERVER_AUTHENTICATION".',
    validateResource: (args, reportViolation) => {
        if (args.type !== "gcp:redis/instance:Instance") {
            return;
        }
        prodOnly(args);
        const where = `${args.type} ${args.name}`;
        if (peek(args.props, "authEnabled") !== true) {
            reportViolation(`${where}: AUTH is off (authEnabled).`);
        }
        const mode = str(peek(args.props, "transitEncryptionMode")) ?? "DISABLED";
        if (mode !== "SERVER_AUTHENTICATION") {
            reportViolation(`${where}: in-transit encryption is ${mode}; set transitEncryptionMode to SERVER_AUTHENTICATION.`);
        }
    },
};

/** Resources whose deletion loses data that cannot be regenerated. */
const KEEPS_DATA: Readonly<Record<string, string>> = {
    "gcp:secretmanager/secret:Secret": "deletionProtection",
    "gcp:secretmanager/regionalSecret:RegionalSecret": "deletionProtection",
    "gcp:sql/databaseInstance:DatabaseInstance": "deletionProtection",
};

export const prodDataProtected: ResourceValidationPolicy = {
    name: "prod-data-protected",
    description:
        "In prod, secrets and database instances are protected twice: Pulumi's protect option (no destroy, no " +
        "replace) and the API's deletion protection.",
    severity: "high",
    configSchema: ENVIRONMENT_SCHEMA,
    remediationSteps: "Keep dataProtection on in the prod stack.",
    validateResource: (args, reportViolation) => {
        const field = KEEPS_DATA[args.type];
        if (field === undefined) {
            return;
        }
        prodOnly(args);
        const where = `${args.type} ${args.name}`;
        if (!args.opts.protect) {
            reportViolation(`${where}: not protected; pulumi destroy or a replacement would delete its data.`);
        }
        // Secret Manager's default is off; Cloud SQL's provider default is on.
        const dflt = args.type === "gcp:sql/databaseInstance:DatabaseInstance";
        if ((peek(args.props, field) ?? dflt) !== true) {
            reportViolation(`${where}: ${field} is off.`);
        }
    },
};
