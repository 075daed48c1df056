/** Rows of the applications around LiteLLM: Grafana's read-only view of its database, n8n. */
import { SecretSpec } from "../types";
import { alphanumeric, k8s } from "./build";

/** Keys of these rows that code outside the table refers to (Cloud SQL creates the read-only user). */
export const APP_KEYS = {
    grafanaReadOnlyPassword: "litellm-grafana-ro-password",
} as const;

export const APP_ROWS: readonly SecretSpec[] = [
    {
        key: APP_KEYS.grafanaReadOnlyPassword,
        description: "Password of the read-only database user on LiteLLM's database that Grafana charts LiteLLM spend with.",
        component: "grafana",
        source: alphanumeric(32),
        requires: ["grafana"],
        consumers: [
            k8s("monitoring", "grafana-datasource-litellm", "password", "grafana"),
            // Whatever sets the user's password on LiteLLM's database in the cluster (the guide:
            // "the user must exist on LiteLLM's database"); on Cloud SQL this program creates it.
            k8s("litellm", "litellm-grafana-ro", "password", "litellm-database"),
        ],
        rotation: "database-password",
    },
    {
        key: "n8n-encryption-key",
        description: "Encrypts the credentials n8n stores.",
        component: "n8n",
        source: alphanumeric(40),
        requires: ["n8n"],
        consumers: [k8s("n8n", "n8n-core-secrets", "N8N_ENCRYPTION_KEY", "n8n")],
        neverRotate: "n8n encrypts stored credentials with it: a new key makes every saved credential unreadable.",
    },
];
