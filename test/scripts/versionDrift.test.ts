import * as assert from "assert";

import { ListedVersion, versionDrift } from "../../scripts/lib/versionDrift";

const v = (id: string, n: number, state = "ENABLED"): ListedVersion => ({
    name: `projects/123456789012/secrets/${id}/versions/${n}`,
    state,
});

describe("version drift (versions Secret Manager lists against those the stack wrote)", () => {
    const ids = { "litellm-master-key": "llm-prod-litellm-master-key", "vllm-api-key": "llm-prod-vllm-api-key" };

    it("finds nothing when each secret holds its written version enabled and older ones disabled", () => {
        const listed = {
            "llm-prod-litellm-master-key": [v("llm-prod-litellm-master-key", 3), v("llm-prod-litellm-master-key", 2, "DISABLED")],
            "llm-prod-vllm-api-key": [v("llm-prod-vllm-api-key", 1)],
        };
        assert.deepStrictEqual(versionDrift({ "litellm-master-key": "3", "vllm-api-key": "1" }, ids, listed), []);
    });

    it("reports a version added by hand, a written version disabled, and a secret gone", () => {
        const listed = {
            "llm-prod-litellm-master-key": [v("llm-prod-litellm-master-key", 4), v("llm-prod-litellm-master-key", 3, "DISABLED")],
        };
        assert.deepStrictEqual(versionDrift({ "litellm-master-key": "3", "vllm-api-key": "1" }, ids, listed), [
            "llm-prod-litellm-master-key: version 3, which the stack wrote and its consumers read, is DISABLED",
            "llm-prod-litellm-master-key: version 4 is enabled but was not written by the stack (added or re-enabled by hand)",
            "llm-prod-vllm-api-key: not listed (deleted outside the program, or not readable by this identity)",
        ]);
    });

    it("reports a written version that no longer exists", () => {
        const listed = { "llm-prod-vllm-api-key": [v("llm-prod-vllm-api-key", 2)] };
        assert.deepStrictEqual(versionDrift({ "vllm-api-key": "1" }, ids, listed), [
            "llm-prod-vllm-api-key: version 1, which the stack wrote, does not exist",
            "llm-prod-vllm-api-key: version 2 is enabled but was not written by the stack (added or re-enabled by hand)",
        ]);
    });
});
