/**
 * Config of the backends other than Secret Manager: AWS Secrets Manager, Vault KV v2 and a
 * Kubernetes source namespace. Every key is read (and so declared) whatever the backend; the
 * requirements of a backend apply only when the stack selects it.
 */
import { hashesOf, kubernetesSecretNamespaces } from "../contract/queries";
import { isRotatable } from "../contract/resolve";
import { SecretSpec, Target } from "../contract/types";
import type { AwsSecretsManagerSettings } from "../backends/awsSecretsManager";
import { BackendKind, SOURCE_VALUES } from "../backends/kinds";
import { BACKEND_ACCESS_MODES, BackendAccessMode } from "../backends/backend";
import type { KubernetesSourceSettings } from "../backends/kubernetesSource";
import type { VaultKvSettings } from "../backends/vaultKv";
import { isPort } from "./endpointUrl";
import { GCP_REGION, K8S_NAME } from "./patterns";
import { ConfigReader } from "./reader";

/** Pulumi.yaml's section of these keys. */
export const BACKENDS_AREA = "Backends";

/**
 * What config gives each backend: its settings less what every backend shares (the environment
 * and data protection), so the field docs live once, beside the backend that reads them.
 */
type FromConfig<T> = Omit<T, "environment" | "dataProtection" | "access">;
export type AwsSecretsManagerConfig = FromConfig<AwsSecretsManagerSettings>;
export type VaultConfig = FromConfig<VaultKvSettings>;
export type KubernetesSourceConfig = FromConfig<KubernetesSourceSettings>;

/** Settings of every backend but Secret Manager, whose keys predate this section. */
export interface BackendConfigs {
    readonly aws: AwsSecretsManagerConfig;
    readonly vault: VaultConfig;
    readonly kubernetesSource: KubernetesSourceConfig;
}

export interface BackendConfigContext {
    readonly environment: string;
    readonly backend: BackendKind;
    readonly targets: readonly Target[];
    readonly dataProtection: boolean;
    readonly rotations: Readonly<Record<string, number>>;
    readonly contract: readonly SecretSpec[];
    /** How stores reach the backend (`backendAccess`). */
    readonly access: BackendAccessMode;
}

/** Backends whose stores can use static credentials, and the Secret each then reads. */
const STATIC_CREDENTIALS: Partial<Record<BackendKind, string>> = {
    "gcp-secret-manager": "a JSON key of each store's service account",
    "aws-secrets-manager": "an access key of each store's IAM user",
};

/** The Kubernetes backend with `kubernetesSourceValues: operator`: the program generates, takes and writes no value. */
export const operatorWritesValues = (backend: BackendKind, configs: BackendConfigs): boolean =>
    backend === "kubernetes" && configs.kubernetesSource.values === "operator";

/** Where secrets live, beyond the choice of backend (a stack basic). */
export interface BackendAreaSettings {
    /** How External Secrets Operator's stores authenticate to the backend. */
    readonly backendAccess: BackendAccessMode;
    /** Secret Manager replica locations; empty means automatic replication. */
    readonly replicationLocations: readonly string[];
    /** Settings of the AWS, Vault and Kubernetes-source backends. */
    readonly backends: BackendConfigs;
}

/** Reads every backend's keys and checks the ones the selected backend needs. */
export function readBackends(reader: ConfigReader, ctx: Omit<BackendConfigContext, "access">): BackendAreaSettings {
    const r = reader.inArea(BACKENDS_AREA);
    const replicationLocations = r.stringList("replicationLocations", [], {
        pattern: GCP_REGION,
        rule: "each must be a GCP region such as europe-west4",
        example: '["europe-west4","europe-west1"]',
    });
    const backendAccess = readBackendAccess(r, ctx.backend);
    const backends = readBackendConfigs(r, { ...ctx, access: backendAccess });
    return Object.freeze({ backendAccess, replicationLocations: Object.freeze(replicationLocations), backends });
}

/** Reads `backendAccess`: how External Secrets Operator's stores authenticate to the backend. */
function readBackendAccess(r: ConfigReader, backend: BackendKind): BackendAccessMode {
    const access = r.choice<BackendAccessMode>("backendAccess", "workload-identity", BACKEND_ACCESS_MODES);
    if (access === "static-credentials" && STATIC_CREDENTIALS[backend] === undefined) {
        r.problem(
            "backendAccess",
            `static-credentials is for a cluster outside GKE or EKS (Secret Manager, Secrets Manager); backend "${backend}" authenticates stores through the cluster's own service accounts`,
            "pulumi config rm backendAccess",
        );
    }
    return access;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;
/** The region segment of an ARN (`arn:partition:service:REGION:account:...`). */
const arnRegion = (arn: string): string => arn.split(":")[3] ?? "";

/** Reads the keys of every backend but Secret Manager, and checks those of the selected one. */
function readBackendConfigs(r: ConfigReader, ctx: BackendConfigContext): BackendConfigs {
    const configs: BackendConfigs = {
        aws: readAws(r, ctx),
        vault: readVault(r, ctx),
        kubernetesSource: readKubernetesSource(r),
    };
    // What must hold when the stack selects a backend; a backend without requirements has no
    // entry (Secret Manager's keys are checked where they are read).
    const whenSelected: Partial<Record<BackendKind, () => void>> = {
        "aws-secrets-manager": () => requireAws(r, configs.aws, ctx),
        vault: () => requireVault(r, configs.vault, ctx),
        kubernetes: () => requireKubernetesSource(r, configs.kubernetesSource, ctx),
    };
    whenSelected[ctx.backend]?.();
    return Object.freeze(configs);
}

function readAws(r: ConfigReader, ctx: BackendConfigContext): AwsSecretsManagerConfig {
    const region = r.string("awsRegion", "", {
        pattern: AWS_REGION,
        rule: "an AWS region such as eu-west-1",
        example: "eu-west-1",
    });
    const secretPath = r.string("awsSecretPath", `app/${ctx.environment}/llm`, {
        pattern: /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)*$/,
        rule: "segments of letters, digits and _+=.@- joined by /, with no leading or trailing /",
        example: `app/${ctx.environment}/llm`,
    });
    const recoveryWindowDays = r.integer("awsRecoveryWindowDays", 30, { min: 0, max: 30 });
    if (recoveryWindowDays > 0 && recoveryWindowDays < 7) {
        r.problem(
            "awsRecoveryWindowDays",
            `${recoveryWindowDays} is not accepted by Secrets Manager: 0 (delete at once) or 7 to 30 days`,
            "pulumi config set awsRecoveryWindowDays 7",
        );
    }
    const kmsKeyArn = r.string("awsKmsKeyArn", "", {
        // A key ARN, not an alias: IAM grants kms:Decrypt on keys, so the policy must name one.
        pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[A-Za-z0-9-]+$/,
        rule: "the ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias",
        example: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    const tags = r.stringMap("awsTags", "awsTags: { team: platform }", {
        // `aws:` is reserved by AWS; the rest is the Secrets Manager tag charset.
        key: /^(?!aws:)[A-Za-z0-9 _.:/=+@-]{1,128}$/,
        value: /^[A-Za-z0-9 _.:/=+@-]{0,256}$/,
        rule: "tag keys of 1 to 128 and values of up to 256 letters, digits, spaces and _.:/=+@-; keys may not start with aws:",
    });
    const oidcProviderArn = r.string("awsOidcProviderArn", "", {
        pattern: /^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/[A-Za-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/,
        rule: "the ARN of the EKS cluster's IAM OIDC provider",
        example: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
    });
    const rotationLambdas = r.stringMap(
        "awsRotationLambdas",
        "awsRotationLambdas: { anthropic-api-key: arn:aws:lambda:eu-west-1:123456789012:function:rotate-anthropic }",
        {
            value: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/,
            rule: "each value must be a Lambda function ARN",
        },
    );
    const rotationDays = r.integer("awsRotationDays", 30, { min: 1, max: 1000 });

    for (const key of Object.keys(rotationLambdas)) {
        const spec = ctx.contract.find((s) => s.key === key);
        const where = `awsRotationLambdas.${key}`;
        if (spec === undefined) {
            r.problem(where, "names no secret of the contract", "use a key listed by npm run plan, or remove the entry");
        } else if (spec.neverRotate !== undefined) {
            r.problem(where, `${key} never rotates silently: ${spec.neverRotate}`, "remove the entry");
        } else if (hashesOf(ctx.contract, key).length > 0) {
            // The Lambda would change the value in AWS only; its hash, computed here, would stop matching.
            const twins = hashesOf(ctx.contract, key);
            r.problem(
                where,
                `${key} has a hash computed by this program (${twins.join(", ")}), which a rotation in AWS would leave stale`,
                `remove the entry and rotate it with rotations.${key}`,
            );
        } else if (!isRotatable(spec) && spec.source.kind !== "provided") {
            r.problem(where, `${key} is ${spec.source.kind} here: a Lambda cannot rotate it`, "remove the entry");
        } else if (ctx.rotations[key] !== undefined) {
            // Both would write versions of one secret, each undoing the other.
            r.problem(where, `${key} is rotated by both this Lambda and rotations.${key}`, `remove rotations.${key} or this entry`);
        }
    }
    return Object.freeze({
        region,
        secretPath,
        recoveryWindowDays,
        kmsKeyArn,
        tags: Object.freeze(tags),
        oidcProviderArn,
        rotationLambdas: Object.freeze(rotationLambdas),
        rotationDays,
    });
}

/** Longest AWS Secrets Manager secret name. */
const AWS_SECRET_NAME_MAX = 512;

function requireAws(r: ConfigReader, aws: AwsSecretsManagerConfig, ctx: BackendConfigContext): void {
    // Names are <awsSecretPath>/<key>: the path must leave room for the longest key.
    const longestKey = Math.max(0, ...ctx.contract.map((s) => s.key.length));
    const room = AWS_SECRET_NAME_MAX - 1 - longestKey;
    if (aws.secretPath.length > room) {
        r.problem(
            "awsSecretPath",
            `is ${aws.secretPath.length} characters; secret names (<awsSecretPath>/<key>) are at most ${AWS_SECRET_NAME_MAX}, which leaves ${room} for the path`,
            `pulumi config set awsSecretPath app/${ctx.environment}/llm`,
        );
    }
    if (aws.region === "") {
        r.problem("awsRegion", 'is required with backend "aws-secrets-manager"', "pulumi config set awsRegion <region, e.g. eu-west-1>");
    }
    if (ctx.targets.includes("kubernetes") && ctx.access === "workload-identity" && aws.oidcProviderArn === "") {
        r.problem(
            "awsOidcProviderArn",
            "External Secrets Operator assumes its role through the EKS cluster's OIDC provider (IRSA), and none is set",
            "pulumi config set awsOidcProviderArn $(aws iam list-open-id-connect-providers --query 'OpenIDConnectProviderList[0].Arn' --output text), or on a cluster outside EKS pulumi config set backendAccess static-credentials",
        );
    }
    if (ctx.dataProtection && aws.recoveryWindowDays === 0) {
        r.problem(
            "awsRecoveryWindowDays",
            "0 deletes secrets without recovery, but dataProtection is on",
            "pulumi config rm awsRecoveryWindowDays (30 days), or turn dataProtection off on a disposable stack",
        );
    }
    const regional: [string, string][] = [
        ["awsKmsKeyArn", aws.kmsKeyArn],
        ...Object.entries(aws.rotationLambdas).map(([k, arn]): [string, string] => [`awsRotationLambdas.${k}`, arn]),
    ];
    for (const [key, arn] of regional) {
        if (arn !== "" && aws.region !== "" && arnRegion(arn) !== aws.region) {
            r.problem(key, `is in ${arnRegion(arn)}, but the secrets are in ${aws.region}`, `use one in ${aws.region}`);
        }
    }
}

function readVault(r: ConfigReader, ctx: BackendConfigContext): VaultConfig {
    const segment = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
    const rule = "segments of letters, digits and _.- joined by /, with no leading or trailing /";
    return Object.freeze({
        address: r.string("vaultAddress", "", {
            pattern: /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?\/?$/,
            rule: "Vault's URL, scheme, host and optional port",
            example: "https://vault.example.com:8200",
        }),
        mount: r.string("vaultMount", "secret", { pattern: segment, rule, example: "secret" }),
        path: r.string("vaultPath", ctx.environment, { pattern: segment, rule, example: ctx.environment }),
        kubernetesAuthPath: r.string("vaultKubernetesAuthPath", "kubernetes", { pattern: segment, rule, example: "kubernetes" }),
        role: r.string("vaultRole", `llm-${ctx.environment}-external-secrets`, {
            // Each store's role is `<vaultRole>-<namespace>`: room for a 63-character namespace.
            pattern: /^[A-Za-z0-9_.-]{1,64}$/,
            rule: "1 to 64 letters, digits and _.-",
            example: `llm-${ctx.environment}-external-secrets`,
        }),
        audience: r.string("vaultAudience", "vault", { pattern: /^[^\s]{1,253}$/, rule: "one word", example: "vault" }),
    });
}

/** Vault's own mounts: a KV path or auth mount there would address Vault's API, not a secret. */
const VAULT_RESERVED_MOUNTS = ["sys", "auth", "identity", "cubbyhole"];

function requireVault(r: ConfigReader, vault: VaultConfig, ctx: BackendConfigContext): void {
    const paths: [string, string][] = [
        ["vaultMount", vault.mount],
        ["vaultPath", vault.path],
        ["vaultKubernetesAuthPath", vault.kubernetesAuthPath],
    ];
    for (const [key, value] of paths) {
        const segments = value.split("/");
        if (segments.some((s) => s === "." || s === "..")) {
            r.problem(
                key,
                `"${value}" has a . or .. segment, which would step out of the path it names`,
                `pulumi config set ${key} <path without . or .. segments>`,
            );
        }
    }
    if (VAULT_RESERVED_MOUNTS.includes(vault.mount.split("/")[0])) {
        r.problem(
            "vaultMount",
            `"${vault.mount}" is under Vault's reserved ${vault.mount.split("/")[0]}/ mount, not a KV v2 mount`,
            "pulumi config set vaultMount secret",
        );
    }
    const vaultPort = /:([0-9]+)\/?$/.exec(vault.address)?.[1];
    if (vaultPort !== undefined && !isPort(vaultPort)) {
        r.problem("vaultAddress", `port ${vaultPort} is outside 1 to 65535`, "pulumi config set vaultAddress https://<vault host>:8200");
    }
    if (vault.address === "") {
        r.problem("vaultAddress", 'is required with backend "vault"', "pulumi config set vaultAddress https://<vault host>:8200");
    } else if (vault.address.startsWith("http://") && ctx.dataProtection) {
        r.problem(
            "vaultAddress",
            "plain http would carry every secret and ESO's login token unencrypted, and dataProtection is on",
            `pulumi config set vaultAddress ${vault.address.replace(/^http:/, "https:")}`,
        );
    }
    // ESO strips a leading `<mount>/` from keys: a path starting with the mount name would be cut.
    if (vault.path === vault.mount || vault.path.startsWith(`${vault.mount}/`)) {
        r.problem(
            "vaultPath",
            `starts with the mount name "${vault.mount}", which ESO would strip from every key`,
            `pulumi config set vaultPath ${ctx.environment}`,
        );
    }
}

function readKubernetesSource(r: ConfigReader): KubernetesSourceConfig {
    return Object.freeze({
        namespace: r.string("kubernetesSourceNamespace", "secret-source", { ...K8S_NAME, example: "secret-source" }),
        values: r.choice("kubernetesSourceValues", "program", SOURCE_VALUES),
    });
}

function requireKubernetesSource(r: ConfigReader, source: KubernetesSourceConfig, ctx: BackendConfigContext): void {
    if (!ctx.targets.includes("kubernetes")) {
        r.problem(
            "backend",
            '"kubernetes" keeps values in the cluster, but the kubernetes target is off',
            "pulumi config set targets '[\"kubernetes\"]', or choose a hosted backend",
        );
    }
    // Source entries are named by contract key; in a consumer namespace they could collide with
    // the Secrets ESO writes there (the hf-token entry and vllm's hf-token Secret, say).
    const consumerNamespaces = kubernetesSecretNamespaces(ctx.contract);
    if (consumerNamespaces.has(source.namespace)) {
        r.problem(
            "kubernetesSourceNamespace",
            `"${source.namespace}" is a namespace workloads read their Secrets in; the source must be a namespace of its own`,
            "pulumi config set kubernetesSourceNamespace secret-source",
        );
    }
}
