/**
 * The plan's access sections: who can read each Kubernetes Secret (the workloads of its namespace,
 * and the namespace's own store identity, which reads exactly the backend keys of that
 * namespace's Secrets), and what the operator must create by hand (store credentials; source
 * values when the operator writes them).
 */
import * as pulumi from "@pulumi/pulumi";

import { describeSource } from "../../components/contract";
import { KUBERNETES_VALUE_PROPERTY } from "../../components/backends/kubernetesSource";
import { Platform, storePrincipalName } from "../../components/platform";
import { STORE_NAME, STORE_READER } from "../../components/k8s/secretStore";
import { promiseOf } from "../../test/support/evaluate";

/** Per namespace: its store's identity and keys, then each Secret with its keys and readers. */
export async function accessLines(p: Platform): Promise<string[]> {
    const secrets = p.kubernetes?.secrets ?? [];
    if (secrets.length === 0) {
        return [];
    }
    const out = ["Kubernetes Secrets, by namespace, and who can read each (every namespace has its own store)"];
    for (const ns of [...new Set(secrets.map((s) => s.namespace))]) {
        const name = storePrincipalName(ns);
        const member = await promiseOf(pulumi.output(p.principals[name].member));
        const keys = p.grants[name]?.secretKeys ?? [];
        out.push(`  ${ns}/  store ${STORE_NAME} as ${ns}/${STORE_READER} → ${member}`);
        out.push(`    backend keys it can read (${keys.length}): ${keys.join(", ")}`);
        for (const s of secrets.filter((x) => x.namespace === ns)) {
            const keyList = s.keys.map((k) => `${k.key} ← ${k.specKey}`).join(", ");
            const merged = s.mergeInto === undefined ? "" : ", merged into the workload's own Secret";
            out.push(`    ${s.secretName}: ${keyList}`);
            out.push(
                `      read by: ${s.workloads.join(", ")} (pods of ${ns} that mount it); written by External Secrets through ${STORE_NAME}${merged}`,
            );
        }
    }
    out.push("");
    return out;
}

/** What the operator creates by hand, with the commands; nothing when the program makes it all. */
export async function operatorLines(p: Platform): Promise<string[]> {
    const out: string[] = [];
    const credentials = Object.values(p.stores).flatMap((a) => a.operatorSecrets);
    if (credentials.length > 0) {
        out.push("Store credentials the operator creates once (backendAccess: static-credentials; never in state)");
        // The stack's cluster, as the program's own provider reaches it.
        const context = p.config.kubernetes.context;
        const onCluster = (cmd: string): string =>
            context === undefined ? cmd : cmd.replace(/^kubectl /, `kubectl --context ${context} `);
        for (const c of credentials) {
            out.push(`  ${c.namespace}/${c.name} [${c.keys.join(", ")}]`);
            for (const cmd of await promiseOf(c.commands)) {
                out.push(`    $ ${onCluster(cmd)}`);
            }
        }
        out.push("");
    }
    if (p.backend.valuesFromOperator === true) {
        const source = p.config.backends.kubernetesSource.namespace;
        const readers = new Map<string, string[]>();
        for (const s of p.kubernetes?.secrets ?? []) {
            for (const k of s.keys) {
                readers.set(k.specKey, [...new Set([...(readers.get(k.specKey) ?? []), s.namespace])]);
            }
        }
        out.push(
            `Source Secrets the operator creates in namespace ${source} (kubernetesSourceValues: operator; the program writes no value)`,
        );
        out.push(`  each an Opaque Secret named by the key, holding the value under the data key "${KUBERNETES_VALUE_PROPERTY}":`);
        for (const { spec } of p.active) {
            const readBy = readers.get(spec.key);
            const who = readBy === undefined ? "read by people only" : `read by the stores of ${readBy.join(", ")}`;
            out.push(`  ${source}/${spec.key} [${KUBERNETES_VALUE_PROPERTY}]: ${describeSource(spec.source)}; ${who}`);
        }
        out.push("");
    }
    return out;
}
