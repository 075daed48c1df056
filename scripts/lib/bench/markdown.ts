/** Markdown and number formatting shared by the bench's reports. */
export const MB = 1024 * 1024;
export const s1 = (ms: number): string => (ms / 1000).toFixed(2);
export const mb = (b: number): string => (b / MB).toFixed(0);
export const ratio = (a: number, b: number): string => (b === 0 ? "-" : `${(a / b).toFixed(2)}×`);
export const minutes = (s: number): string =>
    s >= 60 ? `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s` : `${s} s`;
export const ok = (pass: boolean): string => (pass ? "✔" : "✘");
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
];

/** log-log slope of cost against resources between two scales: 1.0 is linear. */
export const growthExponent = (n1: number, c1: number, n2: number, c2: number): number => Math.log(c2 / c1) / Math.log(n2 / n1);

/** The exponent up to which growth counts as linear (noise on a shared machine included). */
export const LINEAR_LIMIT = 1.15;
