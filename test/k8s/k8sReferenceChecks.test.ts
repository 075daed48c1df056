/**
 * The checks that stand for the cluster and the charts (the External Secrets CRD schemas, the
 * charts' values) refuse what the real ones would, and the program's own custom resource
 * wrappers refuse what the cluster would misread.
 */
import * as assert from "assert";

import { ExternalSecret, secretStoreSpec } from "../../components/k8s";
import { crdValidator, esoChart, litellmDefaults, llmtraceDefaults, pathInDefaults, pathInSchema } from "../support/k8sFixtures";

describe("custom resource wrappers refuse what the cluster would misread", () => {
    it("an ExternalSecret with nothing to fetch", () => {
        assert.throws(
            () => new ExternalSecret("e", { namespace: "n", secretName: "s", storeName: "st", refreshInterval: "1h", data: [] }),
            /n\/s needs at least one value/,
        );
    });
});
describe("reference checks refuse what they should", () => {
    const es = crdValidator("external-secrets.io_externalsecrets.yaml", "v1");
    const good = {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "s", namespace: "n" },
        spec: {
            refreshInterval: "1h",
            secretStoreRef: { kind: "SecretStore", name: "secret-store" },
            target: { name: "s", creationPolicy: "Owner", deletionPolicy: "Retain" },
            data: [{ secretKey: "k", remoteRef: { key: "p-k", version: "1" } }],
        },
    };
    const withSpec = (patch: Record<string, unknown>) => ({ ...good, spec: { ...good.spec, ...patch } });

    it("the ExternalSecret schema accepts a good object and refuses bad enums, missing and unknown fields", () => {
        assert.ok(es.validate(good), JSON.stringify(es.validate.errors));
        assert.ok(!es.validate(withSpec({ target: { ...good.spec.target, creationPolicy: "Always" } })));
        assert.ok(!es.validate(withSpec({ data: [{ secretKey: "k", remoteRef: { version: "1" } }] })));
        assert.ok(!es.validate(withSpec({ data: [{ secretKey: "bad key", remoteRef: { key: "x" } }] })));
        assert.ok(!es.validate(withSpec({ dat: [] })), "an unknown field would be pruned silently by the API server");
        assert.ok(!es.validate(withSpec({ target: { ...good.spec.target, template: { engineVersion: "v1" } } })));
    });

    it("the SecretStore schema accepts the program's spec and refuses one without a provider", () => {
        const store = crdValidator("external-secrets.io_secretstores.yaml", "v1");
        assert.strictEqual(store.scope, "Namespaced");
        const metadata = { name: "secret-store", namespace: "n" };
        const spec = secretStoreSpec({
            provider: { gcpsm: { projectID: "p", auth: { workloadIdentity: { serviceAccountRef: { name: "eso-reader" } } } } },
        });
        assert.ok(
            store.validate({ apiVersion: store.apiVersion, kind: "SecretStore", metadata, spec }),
            JSON.stringify(store.validate.errors),
        );
        assert.ok(!store.validate({ apiVersion: store.apiVersion, kind: "SecretStore", metadata, spec: {} }), "provider is required");
        assert.ok(
            !store.validate({ apiVersion: store.apiVersion, kind: "SecretStore", metadata, spec: { ...(spec as object), provder: {} } }),
            "unknown fields are refused",
        );
        assert.throws(() => crdValidator("external-secrets.io_secretstores.yaml", "v1beta1"), /not served/);
    });

    it("the chart checks refuse values paths the charts do not have", () => {
        const eso = esoChart();
        assert.ok(!eso.validate({ serviceAccount: { annotation: {} } }));
        assert.ok(!eso.validate({ installCRDs: "yes" }));
        assert.ok(!pathInSchema(eso.schema, ["serviceAccount", "annotation"]));
        assert.ok(pathInSchema(eso.schema, ["serviceAccount", "annotations", "iam.gke.io/gcp-service-account"]));
        assert.ok(!pathInDefaults(litellmDefaults(), ["db", "secret", "nmae"]));
        assert.ok(!pathInDefaults(litellmDefaults(), ["postgresql", "auth", "existingSecret"]));
        assert.ok(pathInDefaults(litellmDefaults(), ["envVars", "ANY_NAME"]));
        assert.ok(!llmtraceDefaults().some((d) => pathInDefaults(d, ["redis", "auth", "existingSecret"])));
        assert.ok(
            llmtraceDefaults().some((d) => pathInDefaults(d, ["redis", "auth", "password"])),
            "values-production.yaml lists it",
        );
    });
});
