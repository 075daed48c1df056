/**
 * The LiteLLM chart (`litellm-helm`) wired to Secrets this program projects: every credential
 * value names an existing Secret and key, so no secret reaches Helm values, Pulumi state or the
 * release history in plain text.
 */
import * as pulumi from "@pulumi/pulumi";

import { LITELLM_KEYS } from "../contract";
import { ChartLocation } from "./helmRelease";
import { ProjectedSecret, isEnvVarName, secretsReadBy } from "./projection";
import { ROLLOUT_ENV } from "./rollout";

/** The image split as the chart takes it: `repository`, and `tag` (with its digest, if any). */
export function imageParts(image: string): { readonly repository: string; readonly tag: string } {
    const at = image.indexOf("@");
    const named = at === -1 ? image : image.slice(0, at);
    const colon = named.lastIndexOf(":");
    return { repository: named.slice(0, colon), tag: image.slice(colon + 1) };
}

export const LITELLM_CHART: ChartLocation = { kind: "reference", chart: "oci://ghcr.io/berriai/litellm-helm" };

/** Contract keys the chart's credential values point at. */
const { masterKey: LITELLM_MASTER_KEY, dbUsername: LITELLM_DB_USERNAME, dbPassword: LITELLM_DB_PASSWORD } = LITELLM_KEYS;

/** Where the chart finds each credential, derived from the contract. */
export interface LitellmSecretRefs {
    readonly masterKey: { readonly secretName: string; readonly key: string };
    readonly db: { readonly secretName: string; readonly usernameKey: string; readonly passwordKey: string };
    /** Secrets loaded whole as environment variables: those whose every key is an env var name. */
    readonly environmentSecrets: readonly string[];
    /** Keys read one by one as the env var the contract names (`salt` as `LITELLM_SALT_KEY`). */
    readonly env: readonly { readonly name: string; readonly secretName: string; readonly key: string }[];
    /** The env var each contract key reaches the proxy under (env Secrets and `env`), by key. */
    readonly envBySpecKey: Readonly<Record<string, string>>;
}

/** The chart puts the master key in PROXY_MASTER_KEY (templates/deployment.yaml). */
export const CHART_MASTER_KEY_ENV = "PROXY_MASTER_KEY";

const keyOf = (s: ProjectedSecret, specKey: string): string | undefined => s.keys.find((k) => k.specKey === specKey)?.key;

/** Finds LiteLLM's credentials among the Secrets `workload` reads; throws naming what is missing. */
export function litellmSecretRefs(secrets: readonly ProjectedSecret[], workload = "litellm"): LitellmSecretRefs {
    const mine = secretsReadBy(secrets, workload);
    // The chart maps the master key to PROXY_MASTER_KEY itself: take it from a Secret that is not
    // loaded as env, so the proxy does not also see it under another name.
    const masterKeyIn =
        mine.find((s) => keyOf(s, LITELLM_MASTER_KEY) !== undefined && !s.keys.every((k) => isEnvVarName(k.key))) ??
        mine.find((s) => keyOf(s, LITELLM_MASTER_KEY) !== undefined);
    const dbIn = mine.find((s) => keyOf(s, LITELLM_DB_USERNAME) !== undefined && keyOf(s, LITELLM_DB_PASSWORD) !== undefined);
    if (masterKeyIn === undefined || dbIn === undefined) {
        const missing = [
            ...(masterKeyIn === undefined ? [LITELLM_MASTER_KEY] : []),
            ...(dbIn === undefined ? [`${LITELLM_DB_USERNAME} and ${LITELLM_DB_PASSWORD} (in one Secret)`] : []),
        ];
        throw new Error(`the contract gives ${workload} no Kubernetes Secret with ${missing.join(", ")}`);
    }
    const envSecrets = mine.filter((s) => s.keys.every((k) => isEnvVarName(k.key)));
    const env = mine.flatMap((s) =>
        s.keys.flatMap((k) => (k.env === undefined ? [] : [{ name: k.env, secretName: s.secretName, key: k.key }])),
    );
    return {
        masterKey: { secretName: masterKeyIn.secretName, key: keyOf(masterKeyIn, LITELLM_MASTER_KEY) as string },
        db: {
            secretName: dbIn.secretName,
            usernameKey: keyOf(dbIn, LITELLM_DB_USERNAME) as string,
            passwordKey: keyOf(dbIn, LITELLM_DB_PASSWORD) as string,
        },
        environmentSecrets: envSecrets.map((s) => s.secretName),
        env,
        envBySpecKey: Object.fromEntries([
            ...envSecrets.flatMap((s) => s.keys.map((k) => [k.specKey, k.key])),
            ...mine.flatMap((s) => s.keys.flatMap((k) => (k.env === undefined ? [] : [[k.specKey, k.env]]))),
        ]),
    };
}

export interface LitellmValuesArgs {
    readonly refs: LitellmSecretRefs;
    /** The pinned LiteLLM image (`registry/path:tag[@digest]`), the one Cloud Run runs too. */
    readonly image: string;
    /** PostgreSQL host (`host[:port]`), e.g. the Cloud SQL private IP. */
    readonly dbEndpoint: pulumi.Input<string>;
    readonly dbName: string;
    /** Checksum of the secret versions LiteLLM reads (see rollout.ts). */
    readonly rolloutChecksum: pulumi.Input<string>;
    /** LiteLLM's generated config (components/litellm/proxyConfig.ts): no secret value in it. */
    readonly proxyConfig: Record<string, unknown>;
}

/** Values of `litellm-helm`. Every path exists in the chart defaults (shared fixture). */
export function litellmValues(args: LitellmValuesArgs): Record<string, unknown> {
    return {
        // deployment.yaml and migrations-job.yaml render "<image.repository>:<image.tag>": the
        // same pinned release as Cloud Run, so both run the same migrations on the one database.
        image: { ...imageParts(args.image) },
        masterkeySecretName: args.refs.masterKey.secretName,
        masterkeySecretKey: args.refs.masterKey.key,
        environmentSecrets: [...args.refs.environmentSecrets],
        // The chart's credential keys offer no pod-annotation value; a plain env var changes the
        // pod template just as well, so a new checksum rolls the Deployment.
        envVars: { [ROLLOUT_ENV]: args.rolloutChecksum },
        // The keys the guide names for the proxy (litellm-secrets[salt], ...), each read as the env
        // var LiteLLM knows it by: the chart renders extraEnvVars as container env entries.
        extraEnvVars: args.refs.env.map((e) => ({
            name: e.name,
            valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } },
        })),
        db: {
            // External PostgreSQL only: the bundled sub-chart would start with the chart's
            // default password (postgresql.auth.password), which must never reach a cluster.
            useExisting: true,
            deployStandalone: false,
            endpoint: args.dbEndpoint,
            database: args.dbName,
            secret: {
                name: args.refs.db.secretName,
                usernameKey: args.refs.db.usernameKey,
                passwordKey: args.refs.db.passwordKey,
            },
        },
        // No bundled Redis either: LiteLLM reads REDIS_HOST / REDIS_PASSWORD from an env Secret
        // when the contract has one.
        redis: { enabled: false },
        // Rendered as config.yaml (templates/configmap-litellm.yaml) and passed with --config. It
        // replaces the chart's demo model_list (a list: Helm replaces it, it does not merge).
        proxy_config: args.proxyConfig,
    };
}
