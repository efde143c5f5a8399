/**
 * JSON text to a value, or one readable `(root)` issue naming the line and column of the
 * first syntax error, found by our own scan so the text (which may hold a secret) is
 * never quoted.
 */
import type { ConfigIssue } from "./issues.js";
import { formatIssuePath } from "./issues.js";

/**
 * `JSON.parse` with a readable error: `{ok: false}` holds one `(root)` issue such as
 * `invalid JSON in mcp.json at line 3, column 1: expected a value, found "}"`.
 * A leading byte-order mark (Windows Notepad writes one) is ignored.
 * @param origin where the text came from (a file path), named in the message when given.
 */
export function parseJsonText(
  text: string,
  origin?: string,
): { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] } {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    // Not the engine's message: Node 20's "Unexpected token" form has no position and
    // quotes the surrounding text, which may be a token. Our own scan gives both safely.
    const where = origin === undefined ? "" : ` in ${origin}`;
    const located = locateJsonSyntaxError(body);
    let message = `invalid JSON${where}`;
    if (body.trim() === "") message = `${origin ?? "the text"} is empty; expected a JSON object`;
    else if (located) message += ` at line ${located.line}, column ${located.column}: ${located.problem}`;
    return { ok: false, issues: [{ path: "(root)", message }] };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Finds where JSON text first breaks the grammar (RFC 8259): 1-based line and column and
 * what was expected there; undefined if it finds no fault (or nesting is too deep).
 */
function locateJsonSyntaxError(text: string): { line: number; column: number; problem: string } | undefined {
  let at = 0;
  const fail = (expected: string): never => {
    throw { at, expected };
  };
  const skipSpace = () => {
    while (" \t\n\r".includes(text[at] ?? "x")) at++;
  };
  const string = () => {
    for (at++; text[at] !== '"'; at++) {
      const char = text[at];
      if (char === undefined) fail("a closing '\"'");
      else if (char < " ") fail("an escape such as \\n or \\t instead of a raw control character");
      else if (char === "\\" && !/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(++at, at + 5))) {
        fail("a valid escape such as \\n or \\u00e9");
      } else if (char === "\\" && text[at] === "u") at += 4;
    }
    at++;
  };
  const sequence = (close: string, member: () => void, expected: string) => {
    for (at++, skipSpace(); text[at] !== close; ) {
      member();
      skipSpace();
      if (text[at] === close) break;
      if (text[at] !== ",") fail(`',' or '${close}'`);
      at++;
      skipSpace();
      if (text[at] === close) fail(`${expected} (JSON allows no comma before '${close}')`);
    }
    at++;
  };
  const property = () => {
    skipSpace();
    if (text[at] !== '"') fail("a property name in double quotes");
    string();
    skipSpace();
    if (text[at] !== ":") fail("':' after the property name");
    at++;
    value();
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    skipSpace();
    const word = ["true", "false", "null"].find((literal) => text.startsWith(literal, at));
    NUMBER.lastIndex = at;
    if (text[at] === "{") sequence("}", property, "a property name");
    else if (text[at] === "[") sequence("]", value, "a value");
    else if (text[at] === '"') string();
    else if (word) at += word.length;
    else if (NUMBER.test(text)) at = NUMBER.lastIndex;
    else fail("a value");
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail("nothing after the JSON value");
    return undefined;
  } catch (error) {
    if (!isRecord(error) || typeof error.at !== "number") return undefined; // a RangeError: too deep
    const before = text.slice(0, error.at);
    const found = error.at >= text.length ? "the end of the text" : JSON.stringify(text[error.at]);
    return {
      line: before.split("\n").length,
      column: error.at - before.lastIndexOf("\n"),
      problem: `expected ${String(error.expected)}, found ${found}`,
    };
  }
}

/**
 * The 1-based line and column of the first syntax error in `text` (a leading byte-order
 * mark ignored), or undefined when it parses (or nests too deep to scan).
 */
export function jsonSyntaxErrorPosition(text: string): { line: number; column: number } | undefined {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const located = locateJsonSyntaxError(body);
  return located === undefined ? undefined : { line: located.line, column: located.column };
}

/** Where one value of a JSON text is: offsets into the text, and the 1-based line and column of its start. */
export interface JsonSpan {
  start: number;
  end: number;
  line: number;
  column: number;
}

/**
 * Every value of valid JSON `text` by its path as issues name it (`servers[0].source.url`,
 * `(root)`; see `formatIssuePath`), so a schema problem can be shown at its line and
 * column. Offsets count from the start of `text`, a byte-order mark included. Returns an
 * empty map when `text` is not valid JSON.
 */
export function jsonValueSpans(text: string): Map<string, JsonSpan> {
  const spans = new Map<string, JsonSpan>();
  let at = text.startsWith("\uFEFF") ? 1 : 0;
  const skipSpace = () => {
    while (" \t\n\r".includes(text[at] ?? "x")) at++;
  };
  const skipString = () => {
    for (at++; text[at] !== '"'; at++) if (text[at] === "\\") at++;
    at++;
  };
  const value = (path: PropertyKey[]): void => {
    skipSpace();
    const start = at;
    if (text[at] === "{") {
      at++;
      for (skipSpace(); text[at] !== "}"; ) {
        const keyStart = at;
        skipString();
        const key = JSON.parse(text.slice(keyStart, at)) as string;
        skipSpace();
        at++; // ':'
        value([...path, key]);
        skipSpace();
        if (text[at] === ",") at++;
        skipSpace();
      }
      at++;
    } else if (text[at] === "[") {
      at++;
      skipSpace();
      for (let index = 0; text[at] !== "]"; index++) {
        value([...path, index]);
        skipSpace();
        if (text[at] === ",") at++;
        skipSpace();
      }
      at++;
    } else if (text[at] === '"') skipString();
    else while (at < text.length && !",}] \t\n\r".includes(text[at]!)) at++;
    const before = text.slice(0, start);
    spans.set(formatIssuePath(path), { start, end: at, line: before.split("\n").length, column: start - before.lastIndexOf("\n") });
  };
  try {
    JSON.parse(text.slice(at));
    value([]);
  } catch {
    spans.clear();
  }
  return spans;
}

/**
 * The span of the value at `path` (an issue's path), or of its nearest enclosing value
 * that exists (a missing key is shown at its object).
 */
export function findJsonSpan(spans: ReadonlyMap<string, JsonSpan>, path: string): JsonSpan | undefined {
  for (let current = path; ; ) {
    const span = spans.get(current);
    if (span !== undefined) return span;
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    if (cut <= 0) return spans.get("(root)");
    current = current.slice(0, cut);
  }
}
