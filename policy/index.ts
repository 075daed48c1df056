// Entry point of the policy pack: `pulumi preview --policy-pack policy --policy-pack-config
// policy/config/<stack>.json` (docs/guardrails.md). Violations block by default; the dev config
// turns them into warnings.
import { PolicyPack } from "@pulumi/policy";

import { PACK_NAME, POLICIES } from "./policies";

new PolicyPack(PACK_NAME, {
    policies: POLICIES,
    // Mandatory unless a config says otherwise: a run without the config fails closed.
    enforcementLevel: "mandatory",
});
