/** Markdown tables whose columns line up in a terminal too. */

export type Align = "left" | "right";

/** Renders a GitHub-flavoured markdown table; `align` defaults to left for every column. */
export function markdownTable(headers: string[], rows: string[][], align: Align[] = []): string {
  const widths = headers.map((header, column) => Math.max(header.length, 3, ...rows.map((row) => (row[column] ?? "").length)));
  const pad = (text: string, column: number) =>
    align[column] === "right" ? text.padStart(widths[column]!) : text.padEnd(widths[column]!);
  const line = (cells: string[]) => `| ${cells.map((cell, column) => pad(cell, column)).join(" | ")} |`;
  const rule = `|${widths.map((width, column) => (align[column] === "right" ? `${"-".repeat(width + 1)}:` : `${"-".repeat(width + 2)}`)).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

/** A number with `digits` decimals, or "n/a". */
export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** A latency in milliseconds: 3 significant decimals below 1 ms, 2 above. */
export function millis(value: number): string {
  return fixed(value, value < 1 ? 3 : 2);
}
