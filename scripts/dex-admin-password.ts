/**
 * Reads the Dex admin password from the stack's backend into `secrets/dex-admin-password` (mode
 * 0600; `secrets/` is gitignored), as the platform guide's seed step leaves it for the operator
 * (`../shared/seeds/004_*.txt`: "mirrors the password into gitignored `secrets/dex-admin-password`").
 *
 *   npm run dex-admin-password -- --stack dev [--set key=value]... [--print-command] [--out <dir>]
 *
 * It runs the backend's own CLI (gcloud, aws, vault or kubectl), with the caller's credentials.
 */
import { execFileSync } from "child_process";
import { parseArgs } from "util";

import { PlatformSettings, formatProblem } from "../components/config";
import { SECRET_CONTRACT, activeSecrets } from "../components/contract";
import { backendRead, writeOperatorCopy } from "./lib/backendRead";
import { PROJECT_DIR } from "../test/support/evaluate";
import { parseSetFlags, stackSettings } from "./lib/stacks";
import { runMain } from "./lib/exit";

/** The backend key of the operator's copy (`../shared/seeds/004_*.txt`, "The secrets"). */
export const DEX_ADMIN_PASSWORD = "dex-admin-password";

/** The stack's validated settings (its stack file, then `key=value` overrides), or the problems. */
export function dexStackSettings(stack: string, set: readonly string[] = []): PlatformSettings | { problems: string[] } {
    const { settings, problems } = stackSettings(stack, parseSetFlags(set));
    return problems.length > 0 ? { problems: problems.map(formatProblem) } : settings;
}

async function main(): Promise<number> {
    const { values: args } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            set: { type: "string", multiple: true, default: [] },
            "print-command": { type: "boolean", default: false },
            out: { type: "string", default: PROJECT_DIR },
        },
    });
    const stack = args.stack as string;
    const settings = dexStackSettings(stack, args.set as string[]);
    if ("problems" in settings) {
        console.error(`stack "${stack}" has config problems:\n${settings.problems.map((p) => `  - ${p}`).join("\n")}`);
        return 1;
    }
    const active = activeSecrets(SECRET_CONTRACT, settings.features, settings.targets, settings.derivations);
    if (!active.some((a) => a.spec.key === DEX_ADMIN_PASSWORD)) {
        console.error(`stack "${stack}" keeps no ${DEX_ADMIN_PASSWORD}: its feature (dex) is off.`);
        return 1;
    }
    const read = backendRead(settings, DEX_ADMIN_PASSWORD);
    if (args["print-command"]) {
        console.log([read.command, ...read.args].join(" "));
        return 0;
    }
    // No shell: the arguments go to the CLI as they are. The value never reaches the terminal.
    let stdout: string;
    try {
        stdout = execFileSync(read.command, [...read.args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    } catch (err) {
        const e = err as NodeJS.ErrnoException & { status?: number };
        const why =
            e.code === "ENOENT" ? `${read.command} is not installed (or not on PATH)` : `${read.command} exited with ${e.status ?? e.code}`;
        console.error(`could not read ${DEX_ADMIN_PASSWORD}: ${why}; the command was:\n  ${[read.command, ...read.args].join(" ")}`);
        return 1;
    }
    const file = writeOperatorCopy(args.out as string, DEX_ADMIN_PASSWORD, read.decode(stdout));
    console.log(`wrote ${file} (mode 0600) from ${settings.backend}`);
    return 0;
}

if (require.main === module) {
    runMain(main);
}
