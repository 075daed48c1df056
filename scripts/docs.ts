/**
 * `npm run docs`: regenerates docs/secret-contract.md, docs/delivery-flow.dot (+ .svg through
 * Graphviz) and .env.example from the contract and a mock evaluation of each committed stack,
 * and the README's config reference from Pulumi.yaml.
 * The output has no dates, so running it twice changes nothing.
 */
import * as fs from "fs";
import * as path from "path";

import { README, readmeWithConfigReference } from "./lib/configReference";
import { DOC_FILES, generateDocs, renderSvg } from "./lib/docs/generate";
import { PROJECT_DIR } from "../test/support/evaluate";

async function main(): Promise<void> {
    const files = await generateDocs();
    files[DOC_FILES.flowSvg] = renderSvg(files[DOC_FILES.flowDot]);
    files[path.relative(PROJECT_DIR, README)] = readmeWithConfigReference(fs.readFileSync(README, "utf8"));
    for (const [file, content] of Object.entries(files)) {
        const target = path.join(PROJECT_DIR, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
        fs.writeFileSync(target, content);
        console.log(`${before === content ? "unchanged" : "wrote    "} ${file}`);
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
