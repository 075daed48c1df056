/**
 * The bad-config tables' shared parts: what a case says, the stacks they start from, and the one
 * check every case must pass (refused as a ConfigError before any resource is registered, with
 * exactly one problem naming its key and the fix, and no stack trace).
 */
import * as assert from "assert";

import * as pulumi from "@pulumi/pulumi";

import { ConfigError } from "../../../components/config";
import { EvaluateOptions, evaluate } from "../../support/evaluate";

export interface BadConfig {
    /** What is wrong, in a few words. */
    readonly what: string;
    readonly stack: "dev" | "prod";
    readonly set?: EvaluateOptions["set"];
    readonly unset?: readonly string[];
    readonly secrets?: Readonly<Record<string, string>>;
    /** The one key the error must name. */
    readonly key: string;
    /** What the message line (problem and fix) must say. */
    readonly says: RegExp;
}

/** A dev stack on the Vault backend with nothing else wrong (Cloud Run reads Secret Manager only). */
export const VAULT = {
    backend: "vault",
    vaultAddress: "https://vault.example.com:8200",
    targets: ["kubernetes"],
    gcpRuntime: false,
    litellmDbEndpoint: "10.10.0.3",
};
/** A dev stack on AWS Secrets Manager with nothing else wrong. */
export const AWS = {
    backend: "aws-secrets-manager",
    awsRegion: "eu-west-1",
    targets: ["kubernetes"],
    gcpRuntime: false,
    litellmDbEndpoint: "10.10.0.3",
    awsOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0123456789",
};
export const PROD_IMAGE = "europe-west4-docker.pkg.dev/llm-platform-prod/ghcr/berriai/litellm-database";
/** A stack on the cluster alone (Cloud Run reads Secret Manager only), and one keeping values in it. */
export const KUBERNETES_ONLY = { targets: ["kubernetes"], gcpRuntime: false, litellmDbEndpoint: "10.20.0.3" };
export const KUBERNETES_SOURCE = { ...KUBERNETES_ONLY, backend: "kubernetes" };

/** Registers the cases of one area of config, each a test of its own. */
export function refusesEach(area: string, cases: readonly BadConfig[]): void {
    describe(`bad stack config: ${area}`, () => {
        it("has cases, each with its own description", () => {
            assert.ok(cases.length > 0);
            assert.strictEqual(new Set(cases.map((c) => c.what)).size, cases.length);
        });

        for (const c of cases) {
            it(`refuses ${c.what} (${c.stack}), naming ${c.key} and the fix, before any resource`, async () => {
                const e = await evaluate({ stack: c.stack, set: c.set, unset: c.unset, secrets: c.secrets });
                assert.ok(e.error, "expected the program to fail");
                // The class, not the name: Pulumi prints a RunError's message alone, without a stack trace.
                assert.ok(e.error instanceof ConfigError, e.error.stack);
                assert.ok(e.error instanceof pulumi.RunError && pulumi.RunError.isInstance(e.error), e.error.stack);
                assert.strictEqual(e.resources.length, 0, "a resource was registered before the config was refused");
                const problems = (e.error as ConfigError).problems;
                assert.deepStrictEqual(
                    problems.map((p) => p.key),
                    [c.key],
                    e.error.message,
                );
                assert.ok(problems[0].fix.length > 0);
                const line = e.error.message.split("\n").find((l) => l.startsWith(`  - ${c.key}: `));
                assert.ok(line, `the message names ${c.key}: ${e.error.message}`);
                assert.match(line, /\. Fix: \S/);
                assert.match(line, c.says);
                assert.match(e.error.message, new RegExp(`^stack "${c.stack}" has 1 config problem:\n`));
                assert.ok(!/\n\s+at \S|\.ts:\d+/.test(e.error.message), "the message carries a stack trace");
            });
        }
    });
}
