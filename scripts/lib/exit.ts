/**
 * Ends a command with `code` once everything written to stdout and stderr has left the process.
 * `process.exit` right after a large write to a pipe drops what the pipe has not taken yet (the
 * plan's JSON was cut at 64 KiB); the program's runtime keeps handles open, so ending naturally
 * is not an option either.
 */
export function exitAfterFlush(code: number): void {
    const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write("", () => resolve()));
    void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));
}

/** Runs a command's `main`, printing a failure without a stack trace for expected errors. */
export function runMain(main: () => Promise<number>, describe: (err: unknown) => unknown = (err) => err): void {
    main().then(exitAfterFlush, (err) => {
        console.error(describe(err));
        exitAfterFlush(1);
    });
}
