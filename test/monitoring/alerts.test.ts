/**
 * Production's secret alerts (Cloud Run guide, "Monitor Secret Access"; issue: alert on denied
 * access, and a person reminded of the provided keys the program cannot rotate), checked against
 * hand-kept expectations and Google's documented names.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { Evaluation, PROJECT_DIR, byType, evaluate, findResource } from "../support/evaluate";
import {
    GCP_NOTIFICATION_CHANNEL as CHANNEL,
    GCP_LOG_METRIC as METRIC,
    GCP_ALERT_POLICY as POLICY,
    GCP_PUBSUB_TOPIC as TOPIC,
    GCP_PUBSUB_TOPIC_IAM_MEMBER as PUBLISHER,
    GCP_SERVICE_IDENTITY as AGENT,
    GCP_SECRET as SECRET,
} from "../support/types";
import { GCP_AUDIT_CONFIG } from "../support/types";

/** Hand-kept: prod's provided secrets (its features anthropic, langfuse, huggingface, cloudflare). */
const PROD_PROVIDED = ["anthropic-api-key", "cloudflare-api-token", "hf-token", "langfuse-public-key", "langfuse-secret-key"];
/** The seeds' period for LLM API keys: 90 days, in seconds as the API takes it. */
const NINETY_DAYS = `${90 * 86_400}s`;

const stackSetting = (stack: string, key: string): unknown =>
    YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")).config[`llm-platform-secrets:${key}`];

describe("secret alerts (prod)", () => {
    let e: Evaluation;
    before(async () => {
        e = await evaluate({ stack: "prod" });
        assert.ifError(e.error);
    });

    it("notify one email channel, the address the stack names", () => {
        const channels = byType(e, CHANNEL);
        assert.strictEqual(channels.length, 1);
        assert.strictEqual(channels[0].inputs.type, "email");
        assert.deepStrictEqual(channels[0].inputs.labels, { email_address: stackSetting("prod", "alertEmail") });
        assert.strictEqual(channels[0].inputs.project, "llm-platform-prod");
    });

    it("count Secret Manager calls refused for lack of permission, and alert on any", () => {
        const [metric] = byType(e, METRIC);
        assert.strictEqual(byType(e, METRIC).length, 1);
        // Secret Manager's audit service name, and gRPC PERMISSION_DENIED (7).
        assert.strictEqual(metric.inputs.filter, 'protoPayload.serviceName="secretmanager.googleapis.com" AND protoPayload.status.code=7');
        assert.deepStrictEqual([metric.inputs.metricDescriptor.metricKind, metric.inputs.metricDescriptor.valueType], ["DELTA", "INT64"]);
        const policy = findResource(e, POLICY, "secret-access-denied");
        const [condition] = policy.inputs.conditions;
        assert.strictEqual(condition.conditionThreshold.filter, `metric.type="logging.googleapis.com/user/${metric.inputs.name}"`);
        assert.deepStrictEqual(
            [condition.conditionThreshold.comparison, condition.conditionThreshold.thresholdValue],
            ["COMPARISON_GT", 0],
        );
        // The channel's name, as the API returns it once created.
        assert.strictEqual(policy.inputs.notificationChannels.length, 1);
        assert.match(policy.inputs.notificationChannels[0], /^projects\/llm-platform-prod\/notificationChannels\/\d+$/);
        // Denied reads of values are Data Access entries: the stack records them.
        assert.strictEqual(byType(e, GCP_AUDIT_CONFIG).length, 1);
    });

    it("put every provided key, and nothing else, on Secret Manager's 90-day rotation schedule", () => {
        const [topic] = byType(e, TOPIC);
        const withSchedule = byType(e, SECRET).filter((s) => s.inputs.rotation !== undefined);
        assert.deepStrictEqual(withSchedule.map((s) => s.name).sort(), PROD_PROVIDED);
        const publisher = byType(e, PUBLISHER);
        assert.strictEqual(publisher.length, 1);
        for (const s of withSchedule) {
            assert.deepStrictEqual(s.inputs.topics, [{ name: `${topic.name}-id` }], s.name);
            assert.strictEqual(s.inputs.rotation.rotationPeriod, NINETY_DAYS, s.name);
            assert.match(s.inputs.rotation.nextRotationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, s.name);
            // The service moves nextRotationTime on; Secret Manager refuses a topic it cannot publish to.
            assert.deepStrictEqual(s.ignoreChanges, ["rotation.nextRotationTime"], s.name);
            assert.ok(s.dependencies.includes(publisher[0].urn), `${s.name} waits for the publisher grant`);
        }
    });

    it("let Secret Manager's service agent publish to the topic, and alert a person on its messages", () => {
        const [topic] = byType(e, TOPIC);
        const [publisher] = byType(e, PUBLISHER);
        assert.strictEqual(publisher.inputs.role, "roles/pubsub.publisher");
        assert.strictEqual(findResource(e, AGENT, "provided-key-rotation-agent").inputs.service, "secretmanager.googleapis.com");
        assert.strictEqual(publisher.inputs.member, "serviceAccount:service-123456789012@gcp-sa-secretmanager.iam.gserviceaccount.com");
        const policy = findResource(e, POLICY, "provided-key-rotation");
        assert.strictEqual(
            policy.inputs.conditions[0].conditionThreshold.filter,
            `metric.type="pubsub.googleapis.com/topic/send_message_operation_count" AND resource.type="pubsub_topic" AND resource.label.topic_id="${topic.inputs.name}"`,
        );
        assert.deepStrictEqual(
            policy.inputs.notificationChannels,
            findResource(e, POLICY, "secret-access-denied").inputs.notificationChannels,
        );
    });
});

describe("secret alerts (dev)", () => {
    it("exist only where the stack names an address", async () => {
        const plain = await evaluate({ stack: "dev" });
        assert.ifError(plain.error);
        for (const type of [CHANNEL, METRIC, POLICY, TOPIC]) {
            assert.deepStrictEqual(byType(plain, type), [], type);
        }
        assert.deepStrictEqual(
            byType(plain, SECRET).filter((s) => s.inputs.rotation !== undefined),
            [],
        );
        // Not vacuous: the same stack with an address (and the audit logs the alert reads) has them.
        const on = await evaluate({
            stack: "dev",
            set: { alertEmail: "dev-oncall@example.com", auditLogs: true, features: ["openai"] },
            secrets: { openaiApiKey: "sk-test" },
        });
        assert.ifError(on.error);
        assert.deepStrictEqual(
            [CHANNEL, METRIC, TOPIC].map((t) => byType(on, t).length),
            [1, 1, 1],
        );
        assert.strictEqual(byType(on, POLICY).length, 2);
        assert.deepStrictEqual(
            byType(on, SECRET)
                .filter((s) => s.inputs.rotation !== undefined)
                .map((s) => s.name),
            ["openai-api-key"],
        );
    });
});
