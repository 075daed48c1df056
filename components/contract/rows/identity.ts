/** Sign-in rows: oauth2-proxy's cookie key, Dex's admin and the OIDC client secrets Dex shares. */
import { Feature, MergedSecret, SecretSpec } from "../types";
import { alphanumeric, k8s, litellmEnv } from "./build";

/**
 * Argo CD's own Secret: Argo CD's install creates it (server.secretkey, the admin password) with
 * the label `app.kubernetes.io/part-of: argocd`, which its docs require on Secrets it reads
 * settings from (argo-cd docs/operator-manual/user-management/index.md: the argocd-secret example,
 * and "it *must* have the label"); its settings manager reloads only when an object so labelled
 * changes (util/settings/settings.go, settingsNotificationEventHandler), so a rotation needs it.
 */
const ARGOCD_SECRET: MergedSecret = {
    labels: { "app.kubernetes.io/part-of": "argocd" },
};

/**
 * A Dex OIDC client secret: read by Dex, from `dex/dex-secrets` under the env var its client's
 * `secretEnv` names (the platform guide's "Secret contract"), and by the client it identifies.
 */
const dexClientSecret = (
    client: string,
    dexEnv: string,
    clientFeature: Feature | undefined,
    clientConsumers: readonly SecretSpec["consumers"][number][],
): SecretSpec => ({
    key: `dex-${client}-client-secret`,
    description: `OIDC client secret shared by Dex and ${client}.`,
    component: "dex",
    source: alphanumeric(32),
    requires: clientFeature === undefined ? ["dex"] : ["dex", clientFeature],
    rotation: "service-credential",
    consumers: [k8s("dex", "dex-secrets", dexEnv, "dex"), ...clientConsumers],
});

export const IDENTITY_ROWS: readonly SecretSpec[] = [
    {
        key: "oauth2-proxy-cookie-secret",
        description: "AES key oauth2-proxy encrypts session cookies with (32 bytes).",
        component: "oauth2-proxy",
        source: { kind: "randomBytes", bytes: 32, encoding: "base64url" },
        requires: ["oauth2-proxy"],
        consumers: [k8s("oauth2-proxy", "oauth2-proxy-secrets", "cookieSecret", "oauth2-proxy")],
        rotation: "service-credential",
        heldBy: "everyone signed in through oauth2-proxy: their sessions end and they sign in again",
    },
    {
        key: "dex-admin-password",
        description: "Password of Dex's static admin user, for people; only its hash reaches Dex.",
        component: "dex",
        source: alphanumeric(24),
        requires: ["dex"],
        consumers: [],
        rotation: "admin-password",
        heldBy: "the person who signs in as Dex's static admin (reads the new password from the backend)",
    },
    {
        key: "dex-admin-hash",
        description: "bcrypt hash of dex-admin-password, for Dex's staticPasswords.",
        component: "dex",
        source: { kind: "bcrypt", of: "dex-admin-password" },
        requires: ["dex"],
        // Dex reads it with staticPasswords[].hashFromEnv.
        consumers: [k8s("dex", "dex-secrets", "DEX_ADMIN_PASSWORD_HASH", "dex")],
    },
    // Argo CD reads $oidc.dex.clientSecret from argocd-secret (its oidc.config clientSecret).
    dexClientSecret("argocd", "ARGOCD_CLIENT_SECRET", "argocd", [
        k8s("argocd", "argocd-secret", "oidc.dex.clientSecret", "argocd", { mergeInto: ARGOCD_SECRET }),
    ]),
    dexClientSecret("oauth2-proxy", "OAUTH2_PROXY_CLIENT_SECRET", "oauth2-proxy", [
        k8s("oauth2-proxy", "oauth2-proxy-secrets", "clientSecret", "oauth2-proxy"),
    ]),
    // LiteLLM's SSO reads GENERIC_CLIENT_SECRET (docs.litellm.ai, proxy/admin_ui_sso).
    dexClientSecret("litellm", "LITELLM_CLIENT_SECRET", undefined, [
        litellmEnv("GENERIC_CLIENT_SECRET"),
        k8s("litellm", "litellm-secrets", "genericClientSecret", "litellm", { env: "GENERIC_CLIENT_SECRET" }),
    ]),
    dexClientSecret("grafana", "GRAFANA_CLIENT_SECRET", "grafana", [k8s("monitoring", "grafana-oidc", "clientSecret", "grafana")]),
    dexClientSecret("open-webui", "OPENWEBUI_CLIENT_SECRET", "open-webui", [
        k8s("experience", "open-webui-oidc", "clientSecret", "open-webui"),
    ]),
    // The guide's table gives Tabby no Secret of its own: only Dex's copy.
    dexClientSecret("tabby", "TABBY_CLIENT_SECRET", "tabby", []),
];
