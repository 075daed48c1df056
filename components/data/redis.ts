import * as redis from "@pulumi/gcp/redis";
import * as pulumi from "@pulumi/pulumi";

import { componentWithOutputs } from "./outputs";
import { redisUrl } from "./urls";

export interface RedisArgs {
    readonly project: string;
    readonly region: string;
    /** Memorystore instance id (at most 40 characters). */
    readonly instanceName: string;
    /** VPC network the instance is peered to (its clients' network). */
    readonly network: pulumi.Input<string>;
    /**
     * `BASIC` (one node) or `STANDARD_HA` (a replica in another zone, automatic failover).
     * @default "BASIC"
     */
    readonly tier?: "BASIC" | "STANDARD_HA";
    /**
     * A Redis 7.x version of Memorystore.
     * @default "REDIS_7_2"
     */
    readonly redisVersion?: string;
    /** @default 1 */
    readonly memorySizeGb?: number;
    /**
     * TLS with server authentication: clients must speak TLS and trust the instance's CA
     * (`serverCa`). Changing it replaces the instance.
     * @default true
     */
    readonly transitEncryption?: boolean;
    /**
     * Guard against deletion: Pulumi `protect` and the provider's deletion protection.
     * @default true
     */
    readonly dataProtection?: boolean;
    /** @default {} */
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * What the runtime reads of its Redis, whether the program creates it (`Redis`) or reads one that
 * exists (`ExistingRedis`); both register exactly these as their outputs.
 */
export interface RedisOutputs {
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** The instance's AUTH string (Memorystore generates it); a Pulumi secret. */
    readonly authString: pulumi.Output<string>;
    /** Whether clients must use TLS. */
    readonly tls: boolean;
    /** PEM of the CA(s) a TLS client must trust; empty without TLS. Not secret. */
    readonly serverCa: pulumi.Output<string>;
    /** `redis://:<AUTH>@host:port`, or `rediss://` with TLS; a Pulumi secret. */
    readonly url: pulumi.Output<string>;
}

/** `RedisOutputs` of a Memorystore instance (created or read) that speaks TLS or not. */
export function memorystoreOutputs(instance: redis.Instance, tls: boolean): RedisOutputs {
    return {
        host: instance.host,
        port: instance.port,
        authString: pulumi.secret(instance.authString.apply((a) => a ?? "")),
        tls,
        serverCa: instance.serverCaCerts.apply((certs) => (certs ?? []).map((c) => c.cert.trim()).join("\n")),
        url: pulumi.secret(
            pulumi
                .all([instance.host, instance.port, instance.authString])
                .apply(([host, port, password]) => redisUrl({ host, port, password: password ?? "", tls })),
        ),
    };
}

/** Memorystore for Redis 7 with AUTH always on. */
export class Redis extends componentWithOutputs<RedisOutputs>() {
    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:data:Redis", name, opts, (self) => memorystore(self, name, args));
    }
}

function memorystore(self: pulumi.ComponentResource, name: string, args: RedisArgs): RedisOutputs {
    const redisVersion = args.redisVersion ?? "REDIS_7_2";
    if (!/^REDIS_7_[0-9]+$/.test(redisVersion)) {
        throw new pulumi.ResourceError(`redisVersion "${redisVersion}" is not a Redis 7.x version of Memorystore`, self);
    }
    const dataProtection = args.dataProtection ?? true;
    const tls = args.transitEncryption ?? true;

    const instance = new redis.Instance(
        name,
        {
            project: args.project,
            region: args.region,
            name: args.instanceName,
            tier: args.tier ?? "BASIC",
            redisVersion,
            memorySizeGb: args.memorySizeGb ?? 1,
            authorizedNetwork: args.network,
            connectMode: "DIRECT_PEERING",
            // AUTH is off by default on Memorystore: anyone on the network could read the cache.
            authEnabled: true,
            transitEncryptionMode: tls ? "SERVER_AUTHENTICATION" : "DISABLED",
            // The provider's default is true: a disposable stack must say false to be torn down.
            deletionProtection: dataProtection,
            labels: { ...(args.labels ?? {}) },
        },
        { parent: self, protect: dataProtection },
    );
    return memorystoreOutputs(instance, tls);
}
