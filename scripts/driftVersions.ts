/**
 * `npm run drift:versions -- --stack <stack>`: lists each Secret Manager secret's versions with
 * gcloud (metadata only) and compares them with the versions the stack wrote (its outputs). Exits 1
 * on any finding. Run by the scheduled drift check after `pulumi refresh`, with the same identity.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

import * as YAML from "yaml";

import { runMain } from "./lib/exit";
import { ListedVersion, versionDrift } from "./lib/versionDrift";

const PROJECT_DIR = path.resolve(__dirname, "..");

async function main(): Promise<number> {
    const i = process.argv.indexOf("--stack");
    const stack = i > 0 ? process.argv[i + 1] : undefined;
    if (stack === undefined) {
        console.error("usage: npm run drift:versions -- --stack <stack>");
        return 2;
    }
    const config = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")).config;
    const project = config["llm-platform-secrets:gcpProject"];
    const outputs = JSON.parse(execFileSync("pulumi", ["stack", "output", "--json", "--stack", stack], { encoding: "utf8" }));
    if (outputs.backend !== "gcp-secret-manager") {
        console.log(`stack ${stack} keeps its secrets in ${outputs.backend}: nothing to list here`);
        return 0;
    }
    const secretIds: Record<string, string> = outputs.secretIds;
    const listed: Record<string, ListedVersion[]> = {};
    for (const id of Object.values(secretIds)) {
        listed[id] = JSON.parse(
            execFileSync("gcloud", ["secrets", "versions", "list", id, "--project", project, "--format=json(name,state)"], {
                encoding: "utf8",
            }),
        );
    }
    const found = versionDrift(outputs.secretVersions, secretIds, listed);
    for (const line of found) {
        console.log(line);
    }
    console.log(
        found.length === 0
            ? `stack ${stack}: every secret holds exactly the versions the stack wrote`
            : `stack ${stack}: ${found.length} versions changed outside the program`,
    );
    return found.length === 0 ? 0 : 1;
}

runMain(main);
