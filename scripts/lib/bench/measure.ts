/**
 * One measurement, in a process of its own so memory peaks never mix: evaluates the program (or
 * replays its manifest as the floor) under the mock runtime and prints one JSON line.
 *
 *   node --expose-gc build/scripts/lib/bench/measure.js '<json>'     (started by measureRuns.ts)
 *
 * `{"mode":"program","stack":"dev","scale":10,"manifest":"/tmp/m.json"}` evaluates and then
 * writes the recorded resources to `manifest`; `{"mode":"floor","stack":"dev","manifest":...}`
 * replays them.
 */
import * as fs from "fs";
import { performance } from "perf_hooks";

import { SECRET_CONTRACT } from "../../../components/contract/contract";
import { evaluate } from "../../../test/support/evaluate";
import { ManifestEntry, replay } from "./floor";
import { scaleContract } from "./synthetic";

export interface MeasureRequest {
    readonly mode: "program" | "floor";
    readonly stack: string;
    /** Contract scale factor (program mode). */
    readonly scale?: number;
    /** Program mode writes the recorded resources here; floor mode reads them. */
    readonly manifest?: string;
}

export interface Measurement {
    readonly mode: "program" | "floor";
    readonly stack: string;
    readonly scale: number;
    /** Secrets the stack stores (program mode; 0 for the floor). */
    readonly secrets: number;
    readonly resources: number;
    readonly customResources: number;
    readonly wallMs: number;
    /** CPU time of the process (user + system, all threads) while evaluating: robust to a busy machine. */
    readonly cpuMs: number;
    /** RSS just before evaluating, modules loaded. */
    readonly rssBeforeBytes: number;
    /** Peak RSS of the whole process (the kernel's maxrss). */
    readonly peakRssBytes: number;
    readonly error?: string;
}

const settle = (): void => (global as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
    const req: MeasureRequest = JSON.parse(process.argv[2]);
    const scale = req.scale ?? 1;
    // Load the program's modules in both modes, so the baseline is the same and the timing is
    // evaluation only.
    await import("../../../components/platform");
    const contract = scaleContract(SECRET_CONTRACT, scale);
    const manifest: ManifestEntry[] = req.mode === "floor" ? JSON.parse(fs.readFileSync(req.manifest as string, "utf8")) : [];
    settle();
    const rssBeforeBytes = process.memoryUsage().rss;

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const e =
        req.mode === "program"
            ? await evaluate({ stack: req.stack, contract })
            : await evaluate({ stack: req.stack, program: () => replay(manifest) });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;

    if (req.mode === "program" && req.manifest !== undefined) {
        const entries: ManifestEntry[] = e.resources.map(({ type, name, urn, parent, custom, inputs }) => ({
            type,
            name,
            urn,
            parent,
            custom,
            inputs,
        }));
        fs.writeFileSync(req.manifest, JSON.stringify(entries));
    }
    const result: Measurement = {
        mode: req.mode,
        stack: req.stack,
        scale,
        secrets: e.platform?.active.length ?? 0,
        resources: e.resources.length,
        customResources: e.resources.filter((r) => r.custom).length,
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssBeforeBytes,
        peakRssBytes,
        ...(e.error === undefined ? {} : { error: e.error.message }),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => {
    process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.stack : String(e) })}\n`);
    process.exit(1);
});
