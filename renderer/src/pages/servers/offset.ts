/** Where a line of text starts, for moving the raw editor's caret to a problem. */

/** The offset of the start of `line` (1-based) in `text`. */
export function offsetOfLine(text: string, line: number, column = 1): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + Math.max(column - 1, 0), text.length);
}
