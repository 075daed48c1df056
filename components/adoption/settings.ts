/** One adopted backend secret, as config gives it. */
export interface AdoptedSecretSettings {
    /**
     * The existing secret's id in the backend (a bare Secret Manager id such as `database-url`, an
     * AWS secret ARN, a Vault path below the mount, a Secret name in the source namespace).
     * @default undefined (the id this stack's naming gives the key: with `secretPrefix: ""`, the key)
     */
    readonly id?: string;
    /**
     * The version consumers read today: it is imported and stays the current one while the value
     * is the adopted one. Required for values generated here; for a provided value or a setting,
     * removed when the value changes (the change is then written as a new version).
     * @default undefined (no version kept: the value is written as a new version)
     */
    readonly version?: string;
    /**
     * The `rotations` generation at which the adopted value is current: a bump past it rotates
     * the value as for any other secret.
     * @default 0
     */
    readonly generation: number;
    /** Labels the existing secret has (`gcloud secrets describe`): an import must match them. @default {} */
    readonly labels: Readonly<Record<string, string>>;
    /** Replica locations it has; empty: automatic replication (gcloud's default). @default [] */
    readonly locations: readonly string[];
}
