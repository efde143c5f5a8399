/** Where CLI commands write; tests and embedders can pass their own streams. */
export interface CliOutput {
  out: (text: string) => void;
  error: (text: string) => void;
}

export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
};

/** Lays rows out in columns padded to the widest cell; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}

/** Exit codes of every command (130 for Ctrl-C, as shells report SIGINT). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, cancelled: 130 } as const;

/** The stable `code` of an error (McpClientError, ModelError and kin), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** One line saying what failed: `what [code]: message`. */
export function failureLine(what: string, error: unknown): string {
  const code = errorCode(error);
  return `${what}${code ? ` [${code}]` : ""}: ${error instanceof Error ? error.message : String(error)}\n`;
}
