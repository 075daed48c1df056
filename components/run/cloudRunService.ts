import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import type * as gcpInput from "@pulumi/gcp/types/input";
import * as pulumi from "@pulumi/pulumi";

import { itemKey } from "../naming";

/** Cloud Run accepts only these CPU limits. */
export const CLOUD_RUN_CPUS = ["1", "2", "4", "6", "8"] as const;
export type CloudRunCpu = (typeof CLOUD_RUN_CPUS)[number];

/** An environment variable read from Secret Manager. */
export interface SecretEnvVar {
    readonly name: string;
    /** Secret Manager secret id (same project). */
    readonly secret: pulumi.Input<string>;
    /** A version number, or `latest`. Pin the version this program wrote so a rotation rolls a revision. */
    readonly version: pulumi.Input<string>;
}

export interface CloudRunServiceArgs {
    readonly project: string;
    readonly region: string;
    /** Cloud-visible service name (see `naming.cloudRunServiceName`). */
    readonly serviceName: string;
    /**
     * Import the existing service of that name (docs/adoption.md) instead of creating it; it is
     * then retained on delete. Its next revision is this program's template.
     * @default false
     */
    readonly adoptExisting?: boolean;
    /** Container image with a tag or digest. */
    readonly image: string;
    /**
     * The service account revisions run as: an existing account (the platform creates or adopts
     * it, and grants it exactly its secrets). Required: without it Cloud Run would use the
     * project's default compute account, which holds Editor on the project.
     */
    readonly serviceAccountEmail: pulumi.Input<string>;
    /** Environment variables bound to Secret Manager versions (`valueSource.secretKeyRef`). */
    readonly secretEnv: readonly SecretEnvVar[];
    /**
     * Plain environment values; never a secret (a plain value is readable by anyone who can
     * view the service). Mutually exclusive, by name, with `secretEnv`.
     * @default {}
     */
    readonly plainEnv?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Cloud SQL instances attached by connection name; each one's socket appears under
     * `/cloudsql/<connection name>`. The service account needs `roles/cloudsql.client`.
     * @default []
     */
    readonly cloudSqlInstances?: readonly pulumi.Input<string>[];
    /**
     * Direct VPC egress: private ranges (Memorystore, private Cloud SQL) go through this
     * subnetwork; public traffic (model providers) leaves directly.
     * @default undefined (no VPC access)
     */
    readonly vpc?: { readonly network: pulumi.Input<string>; readonly subnetwork: pulumi.Input<string> };
    /**
     * Resources the service waits for: the service account's read grants. A revision whose
     * account cannot read one of its secrets fails to deploy.
     * @default []
     */
    readonly waitFor?: readonly pulumi.Resource[];
    /**
     * Files mounted from Secret Manager versions (`secret` volumes): one directory each, holding
     * `fileName`. The service account must be able to read each (see `waitFor`).
     * @default []
     */
    readonly files?: readonly {
        readonly mountPath: string;
        readonly fileName: string;
        readonly secret: pulumi.Input<string>;
        readonly version: pulumi.Input<string>;
    }[];
    /** Container arguments, replacing the image's CMD. @default the image's */
    readonly args?: readonly string[];
    /** Port the container listens on. @default 4000 (LiteLLM's) */
    readonly containerPort?: number;
    /** HTTP path of the startup and liveness probes. @default "/health/liveliness" (LiteLLM's) */
    readonly healthPath?: string;
    /** CPU limit: 1, 2, 4, 6 or 8. @default "1" */
    readonly cpu?: string;
    /** @default "2Gi" */
    readonly memory?: string;
    /** @default 0 */
    readonly minInstances?: number;
    /** @default 4 */
    readonly maxInstances?: number;
    /**
     * IAM members granted `roles/run.invoker` (one additive member each). `allUsers` is
     * `allowUnauthenticated`'s job.
     * @default []
     */
    readonly invokers?: readonly string[];
    /**
     * Let anyone invoke the service (`allUsers`). The caller decides where that is allowed.
     * @default false
     */
    readonly allowUnauthenticated?: boolean;
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** A Cloud Run v2 service whose secrets are Secret Manager references, never copies. */
export class CloudRunService extends pulumi.ComponentResource {
    /** The service's `https://…run.app` URL. */
    public readonly uri: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** The secret and version each secret env var reads, by env var name. */
    public readonly secretVersions: pulumi.Output<Record<string, { secret: string; version: string }>>;

    constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:run:Service", name, {}, opts);
        const child = { parent: this };
        const plainEnv = args.plainEnv ?? {};
        const invokers = args.invokers ?? [];
        const containerPort = args.containerPort ?? 4000;
        const healthPath = args.healthPath ?? "/health/liveliness";
        const cloudSqlInstances = args.cloudSqlInstances ?? [];
        const files = args.files ?? [];
        const volumes: gcpInput.cloudrunv2.ServiceTemplateVolume[] = [
            ...(cloudSqlInstances.length === 0 ? [] : [{ name: "cloudsql", cloudSqlInstance: { instances: [...cloudSqlInstances] } }]),
            ...files.map((f, i) => ({
                name: `file-${i}`,
                secret: { secret: f.secret, items: [{ version: f.version, path: f.fileName }] },
            })),
        ];
        const volumeMounts = [
            ...(cloudSqlInstances.length === 0 ? [] : [{ name: "cloudsql", mountPath: "/cloudsql" }]),
            ...files.map((f, i) => ({ name: `file-${i}`, mountPath: f.mountPath })),
        ];

        const names = [...args.secretEnv.map((e) => e.name), ...Object.keys(plainEnv)];
        const bad = names.filter((n) => !ENV_NAME.test(n));
        if (bad.length > 0) {
            throw new pulumi.ResourceError(`not valid environment variable names: ${bad.join(", ")}`, this);
        }
        const twice = names.filter((n, i) => names.indexOf(n) !== i);
        if (twice.length > 0) {
            throw new pulumi.InputPropertyError({
                propertyPath: "plainEnv",
                reason: `secretEnv and plainEnv both set ${[...new Set(twice)].join(", ")}: an env var has one source`,
            });
        }
        const publicInvokers = invokers.filter((m) => PUBLIC_MEMBERS.includes(m));
        if (publicInvokers.length > 0) {
            throw new pulumi.InputPropertyError({
                propertyPath: "invokers",
                reason: `invokers lists ${publicInvokers.join(", ")}: making the service public is allowUnauthenticated's job`,
            });
        }

        const envs: gcpInput.cloudrunv2.ServiceTemplateContainerEnv[] = [
            ...Object.entries(plainEnv).map(([envName, value]) => ({ name: envName, value })),
            ...args.secretEnv.map((e) => ({
                name: e.name,
                valueSource: { secretKeyRef: { secret: e.secret, version: e.version } },
            })),
        ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const probe = { httpGet: { path: healthPath, port: containerPort } };

        const service = new cloudrunv2.Service(
            name,
            {
                project: args.project,
                location: args.region,
                name: args.serviceName,
                ingress: "INGRESS_TRAFFIC_ALL",
                // Stateless: its data lives in Cloud SQL and Secret Manager, so it may be recreated.
                deletionProtection: false,
                labels: { ...(args.labels ?? {}) },
                template: {
                    serviceAccount: args.serviceAccountEmail,
                    scaling: { minInstanceCount: args.minInstances ?? 0, maxInstanceCount: args.maxInstances ?? 4 },
                    ...(args.vpc === undefined
                        ? {}
                        : {
                              vpcAccess: {
                                  networkInterfaces: [{ network: args.vpc.network, subnetwork: args.vpc.subnetwork }],
                                  egress: "PRIVATE_RANGES_ONLY",
                              },
                          }),
                    volumes,
                    containers: [
                        {
                            image: args.image,
                            ...(args.args === undefined ? {} : { args: [...args.args] }),
                            ports: { containerPort },
                            envs,
                            resources: {
                                limits: { cpu: args.cpu ?? "1", memory: args.memory ?? "2Gi" },
                                cpuIdle: true,
                                startupCpuBoost: true,
                            },
                            volumeMounts,
                            // Database migrations run at start: allow up to four minutes.
                            startupProbe: { ...probe, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 24 },
                            livenessProbe: { ...probe, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
                        },
                    ],
                    labels: { ...(args.labels ?? {}) },
                },
            },
            {
                ...child,
                dependsOn: [...(args.waitFor ?? [])],
                ...(args.adoptExisting === true
                    ? { import: `projects/${args.project}/locations/${args.region}/services/${args.serviceName}`, retainOnDelete: true }
                    : {}),
            },
        );

        const invoker = (suffix: string, member: string) =>
            new cloudrunv2.ServiceIamMember(
                `${name}-invoker-${suffix}`,
                { project: args.project, location: args.region, name: service.name, role: "roles/run.invoker", member },
                child,
            );
        for (const member of invokers) {
            invoker(itemKey(member), member);
        }
        if (args.allowUnauthenticated ?? false) {
            invoker("public", "allUsers");
        }

        this.uri = service.uri;
        this.serviceName = service.name;
        this.secretVersions = pulumi
            .all(args.secretEnv.map((e) => pulumi.all([e.name, e.secret, e.version])))
            .apply((rows) => Object.fromEntries(rows.map(([envName, secret, version]) => [envName, { secret, version }])));
        this.registerOutputs({ uri: this.uri, serviceName: this.serviceName, secretVersions: this.secretVersions });
    }
}
