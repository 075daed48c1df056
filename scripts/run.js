#!/usr/bin/env node
/**
 * Runs a TypeScript entry point of scripts/ from its compiled JavaScript in build/, compiling
 * first whatever changed since the last run, so no command pays for TypeScript at run time.
 *
 *   node scripts/run.js plan --stack dev        runs build/scripts/plan.js with the arguments
 *   node scripts/run.js --build                 only brings build/ up to date
 *
 * Compilation is per file (TypeScript's transpileModule with the options of tsconfig.json, the
 * same as ts-node's transpile-only mode): no type-checking here, `npx tsc -p .` and `npm test`
 * do that. A file is recompiled when its source is newer than its output; everything is when
 * tsconfig.json, this file or the TypeScript version changes. Outputs whose source is gone are
 * removed so a deleted module cannot still be loaded. Plain JavaScript on purpose: it must run
 * before anything is compiled. build/ is in .gitignore.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const BUILD = path.join(ROOT, "build");
/** What the commands load: the program, the scripts and the mock harness they share with the tests (test/support/; the tests themselves run under ts-node). */
const SOURCES = ["index.ts", "components", "scripts", "test/support"];
const STAMP = path.join(BUILD, ".options");

function sources() {
    const out = [];
    const walk = (rel) => {
        const abs = path.join(ROOT, rel);
        const stat = fs.statSync(abs, { throwIfNoEntry: false });
        if (stat === undefined) {
            return;
        }
        if (stat.isDirectory()) {
            for (const entry of fs.readdirSync(abs)) {
                walk(path.join(rel, entry));
            }
        } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) {
            out.push({ rel, mtimeMs: stat.mtimeMs });
        }
    };
    SOURCES.forEach(walk);
    return out;
}

const outputOf = (rel) => path.join(BUILD, rel.replace(/\.ts$/, ".js"));

/** Identity of the compiler settings: tsconfig.json, this file and the TypeScript version. */
function optionsStamp() {
    const read = (f) => fs.readFileSync(f, "utf8");
    return JSON.stringify([read(path.join(ROOT, "tsconfig.json")), read(__filename), require("typescript/package.json").version]);
}

function removeOrphans(dir, keep) {
    if (!fs.existsSync(dir)) {
        return;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            removeOrphans(abs, keep);
        } else if (entry.name.endsWith(".js") && !keep.has(abs)) {
            fs.rmSync(abs);
        }
    }
}

/** Compiles what is stale; returns how many files were compiled. */
function build() {
    const files = sources();
    const stamp = optionsStamp();
    const previous = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8") : "";
    const all = previous !== stamp;
    const stale = files.filter(({ rel, mtimeMs }) => {
        if (all) {
            return true;
        }
        const out = fs.statSync(outputOf(rel), { throwIfNoEntry: false });
        return out === undefined || out.mtimeMs < mtimeMs;
    });
    if (stale.length > 0) {
        // Loaded only when something must be compiled: it is most of the cost.
        const ts = require("typescript");
        const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
        if (config.error !== undefined) {
            throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
        }
        const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
        const compilerOptions = { ...options, noEmit: false, sourceMap: false, inlineSourceMap: false, declaration: false };
        for (const { rel } of stale) {
            const source = fs.readFileSync(path.join(ROOT, rel), "utf8");
            const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: rel, reportDiagnostics: false });
            const out = outputOf(rel);
            fs.mkdirSync(path.dirname(out), { recursive: true });
            // Write then rename: a command started meanwhile never loads half a file.
            const tmp = `${out}.${process.pid}.tmp`;
            fs.writeFileSync(tmp, outputText);
            fs.renameSync(tmp, out);
        }
        fs.writeFileSync(STAMP, stamp);
    }
    removeOrphans(BUILD, new Set(files.map(({ rel }) => outputOf(rel))));
    return stale.length;
}

function main() {
    const [command, ...args] = process.argv.slice(2);
    if (command === undefined) {
        process.stderr.write("usage: node scripts/run.js <script in scripts/, e.g. plan> [arguments] | --build\n");
        process.exit(2);
    }
    const compiled = build();
    if (command === "--build") {
        process.stdout.write(`build/: ${compiled} files compiled\n`);
        return;
    }
    const entry = path.join(BUILD, "scripts", `${command}.js`);
    if (!fs.existsSync(entry)) {
        process.stderr.write(`no script scripts/${command}.ts\n`);
        process.exit(2);
    }
    // The script reads its own arguments from process.argv, as if started directly.
    process.argv = [process.argv[0], entry, ...args];
    require(entry);
}

main();
