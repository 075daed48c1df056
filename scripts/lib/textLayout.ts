/**
 * Plain-text layout for terminal output (the plan): lines wrapped at a width, and labelled fields
 * whose values line up and wrap under themselves instead of padding a table past the screen.
 */

/** The width the plan is laid out for: readable in a 100-column terminal. */
export const TERMINAL_WIDTH = 100;

/**
 * `text` in lines of at most `width` columns, broken at spaces: the first line starts with
 * `first`, the others with `rest`. A word longer than a whole line is cut.
 */
export function wrap(text: string, width: number, first = "", rest = first): string[] {
    const lines: string[] = [];
    let line = first;
    let empty = true;
    const room = (): number => width - line.length - (empty ? 0 : 1);
    for (let word of text.split(" ").filter((w) => w !== "")) {
        if (word.length > room() && !empty) {
            lines.push(line);
            line = rest;
            empty = true;
        }
        // A word wider than a fresh line: cut it.
        while (word.length > room()) {
            const n = Math.max(1, room());
            lines.push(line + (empty ? "" : " ") + word.slice(0, n));
            word = word.slice(n);
            line = rest;
            empty = true;
        }
        line += (empty ? "" : " ") + word;
        empty = false;
    }
    lines.push(line);
    return lines.map((l) => l.trimEnd());
}

/** A field value: one text, or one item per line. */
export type FieldValue = string | readonly string[];

/**
 * Labelled fields, one per line, values aligned after the longest label and wrapped under
 * themselves; a list puts each item on a line of its own.
 *
 *     source   generated: 40 alphanumeric chars
 *     readers  Cloud Run litellm env VLLM_API_KEY
 *              vllm/vllm-api-key[VLLM_API_KEY] (vllm)
 */
export function fields(rows: readonly (readonly [string, FieldValue])[], indent: string, width: number): string[] {
    const labelWidth = Math.max(...rows.map(([label]) => label.length));
    const hang = " ".repeat(indent.length + labelWidth + 2);
    const out: string[] = [];
    for (const [label, value] of rows) {
        const items = typeof value === "string" ? [value] : value.length === 0 ? ["-"] : value;
        items.forEach((item, i) => {
            const first = i === 0 ? `${indent}${label.padEnd(labelWidth)}  ` : hang;
            out.push(...wrap(item, width, first, hang));
        });
    }
    return out;
}

/** Every line of `lines` fitted to `width`: a longer one wraps, its continuation indented 4 more. */
export function fit(lines: readonly string[], width: number): string[] {
    return lines.flatMap((line) => {
        if (line.length <= width) {
            return [line];
        }
        const indent = /^ */.exec(line)?.[0] ?? "";
        return wrap(line.slice(indent.length), width, indent, `${indent}    `);
    });
}
