import * as sql from "@pulumi/gcp/sql";
import * as pulumi from "@pulumi/pulumi";

import { cloudSqlConnectorUrl, postgresUrl } from "../data/urls";

/** Where the agent reaches Cloud SQL from. */
export type AgentDatabaseAccess =
    /** Cloud Run: the Cloud SQL connector's socket under `/cloudsql/<connection name>`. */
    | "connector"
    /** A cluster in the VPC: the instance's private IP, over TLS (the instance accepts only encrypted connections). */
    | "privateIp";

export interface AgentDatabaseUrlParts {
    readonly access: AgentDatabaseAccess;
    readonly user: string;
    readonly password: string;
    readonly database: string;
    readonly connectionName: string;
    readonly privateAddress: string;
    /** @default 5432 (the connector's socket name and Cloud SQL's port) */
    readonly port?: number;
}

/** Port of the connector's socket (`.s.PGSQL.5432`) and of the instance's private IP. */
const PORT = 5432;

/**
 * The agent's `postgresql://` URL through the program's own builder (percent-encoded userinfo).
 * Over the private IP it asks for TLS (`sslmode=require`): Cloud SQL runs with ENCRYPTED_ONLY.
 */
export function agentDatabaseUrl(p: AgentDatabaseUrlParts): string {
    const login = { user: p.user, password: p.password, database: p.database, port: p.port ?? PORT };
    if (p.access === "connector") {
        return cloudSqlConnectorUrl(login, p.connectionName);
    }
    if (p.privateAddress === "") {
        throw new Error(`agent database ${p.database}: the instance has no private IP to connect to`);
    }
    return postgresUrl({ ...login, host: p.privateAddress, params: { sslmode: "require" } });
}

export interface AgentDatabaseArgs {
    readonly project: string;
    /** The platform's Cloud SQL instance. */
    readonly instanceName: pulumi.Input<string>;
    readonly connectionName: pulumi.Input<string>;
    /** The instance's private IP ("" without one). */
    readonly privateAddress: pulumi.Input<string>;
    /** Name of the agent's own database, and of its own user. */
    readonly name: string;
    /** The user's password; must be a Pulumi secret. */
    readonly password: pulumi.Input<string>;
    readonly access: AgentDatabaseAccess;
    /**
     * Keep the agent's data: the database is abandoned rather than dropped on delete, and protected.
     * @default true
     */
    readonly dataProtection?: boolean;
}

/**
 * An agent's own database and login user on the platform's Cloud SQL, so its durable store never
 * shares LiteLLM's user, password or database.
 */
export class AgentDatabase extends pulumi.ComponentResource {
    public readonly databaseName: pulumi.Output<string>;
    public readonly userName: pulumi.Output<string>;
    /** The agent's `FASTAGENTIC_DURABLE_STORE`; a Pulumi secret. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: AgentDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("llm-platform-secrets:agents:AgentDatabase", name, {}, opts);
        const child = { parent: this };
        const dataProtection = args.dataProtection ?? true;
        if (!/^[a-z][a-z0-9_]{0,62}$/.test(args.name)) {
            throw new pulumi.ResourceError(`"${args.name}" is not a PostgreSQL identifier of lowercase letters, digits and _`, this);
        }
        const database = new sql.Database(
            `${name}-db`,
            { project: args.project, instance: args.instanceName, name: args.name, deletionPolicy: dataProtection ? "ABANDON" : "DELETE" },
            { ...child, protect: dataProtection },
        );
        // A BUILT_IN user with its own password: what the connector and a TLS client log in as.
        const user = new sql.User(
            `${name}-user`,
            {
                project: args.project,
                instance: args.instanceName,
                name: args.name,
                password: args.password,
                type: "BUILT_IN",
                deletionPolicy: "ABANDON",
            },
            child,
        );
        this.databaseName = database.name;
        this.userName = user.name;
        this.url = pulumi.secret(
            pulumi
                .all([user.name, args.password, database.name, args.connectionName, args.privateAddress])
                .apply(([u, password, db, connectionName, privateAddress]) =>
                    agentDatabaseUrl({ access: args.access, user: u, password, database: db, connectionName, privateAddress }),
                ),
        );
        this.registerOutputs({ databaseName: this.databaseName, userName: this.userName, url: this.url });
    }
}
