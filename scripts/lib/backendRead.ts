/**
 * Reading one value back from the stack's backend with the backend's own CLI, as an operator
 * would: one command per backend, built from the program's own naming (the same helpers that name
 * the entries it writes), so the command reads exactly the entry the program wrote.
 */
import * as fs from "fs";
import * as path from "path";

import { AWS_VALUE_PROPERTY } from "../../components/backends/awsSecretsManager";
import { BackendKind } from "../../components/backends/kinds";
import { KUBERNETES_VALUE_PROPERTY } from "../../components/backends/kubernetesSource";
import { VAULT_VALUE_PROPERTY } from "../../components/backends/vaultKv";
import { PlatformSettings } from "../../components/config";
import { awsSecretName, secretId, vaultSecretPath } from "../../components/naming";

/** A command that prints one stored value, and how to get the value from what it prints. */
export interface BackendRead {
    readonly command: string;
    readonly args: readonly string[];
    /** The value, from the command's standard output. */
    decode(stdout: string): string;
}

type ReadBuilder = (s: PlatformSettings, key: string) => BackendRead;

/** A CLI's own line end after a value it prints as text: not part of the value. */
const dropLineEnd = (out: string): string => out.replace(/\r?\n$/, "");

const READS: Record<BackendKind, ReadBuilder> = {
    // `versions access` prints the payload exactly as stored.
    "gcp-secret-manager": (s, key) => ({
        command: "gcloud",
        args: ["secrets", "versions", "access", "latest", `--secret=${secretId(s.secretPrefix, key)}`, `--project=${s.gcp.project}`],
        decode: (out) => out,
    }),
    // The entry is `{"value": ...}` (components/backends/awsSecretsManager.ts).
    "aws-secrets-manager": (s, key) => ({
        command: "aws",
        args: [
            "secretsmanager",
            "get-secret-value",
            "--secret-id",
            awsSecretName(s.backends.aws.secretPath, key),
            "--region",
            s.backends.aws.region,
            "--query",
            "SecretString",
            "--output",
            "text",
        ],
        decode: (out) => {
            const value: unknown = JSON.parse(dropLineEnd(out))[AWS_VALUE_PROPERTY];
            if (typeof value !== "string") {
                throw new Error(`the entry holds no "${AWS_VALUE_PROPERTY}" string`);
            }
            return value;
        },
    }),
    vault: (s, key) => ({
        command: "vault",
        args: [
            "kv",
            "get",
            `-address=${s.backends.vault.address}`,
            `-mount=${s.backends.vault.mount}`,
            `-field=${VAULT_VALUE_PROPERTY}`,
            vaultSecretPath(s.backends.vault.path, key),
        ],
        decode: dropLineEnd,
    }),
    // Secret data is base64; jsonpath prints it without a line end.
    kubernetes: (s, key) => ({
        command: "kubectl",
        args: [
            ...(s.kubernetes.context === undefined ? [] : ["--context", s.kubernetes.context]),
            "--namespace",
            s.backends.kubernetesSource.namespace,
            "get",
            "secret",
            key,
            "--output",
            `jsonpath={.data.${KUBERNETES_VALUE_PROPERTY}}`,
        ],
        decode: (out) => Buffer.from(out.trim(), "base64").toString("utf8"),
    }),
};

/** The command that reads `key` from the stack's backend. */
export const backendRead = (settings: PlatformSettings, key: string): BackendRead => READS[settings.backend](settings, key);

/**
 * Writes `value` to `<root>/secrets/<name>`, readable by its owner only: the directory 0700, the
 * file 0600 (also when it existed with a wider mode). Returns the path.
 */
export function writeOperatorCopy(root: string, name: string, value: string): string {
    const dir = path.join(root, "secrets");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const file = path.join(dir, name);
    // Narrow first: an existing file keeps its mode on write, and must not hold the value widely readable.
    if (fs.existsSync(file)) {
        fs.chmodSync(file, 0o600);
    }
    fs.writeFileSync(file, value, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return file;
}
