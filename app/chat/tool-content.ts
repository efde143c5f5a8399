/**
 * What a model reads of an MCP tool result. The full result is kept as the contract's
 * {@link ToolResult} (for the tool-call inspector); a text-only model reads
 * {@link modelTextOf} of it, cut to a budget in characters by {@link cutToBudget} so one
 * huge answer cannot fill the context window ({@link resultBudgetChars} sets the budget).
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ToolContentSchema, type ToolContent, type ToolResult } from "../contract/chat.js";

/** Characters of an unreadable item's JSON quoted in the text item that stands for it. */
const DESCRIBED_ITEM_CHARS = 500;

/**
 * Turns what a server answered to `tools/call` into the contract's {@link ToolResult}.
 * Takes the SDK's `CallToolResult` (typed `unknown` because servers send what they like):
 * - `isError` is `true` only when the server said so;
 * - content items are kept with their known fields (`annotations` and `_meta` are dropped);
 *   an item of an unknown type, or a known type with missing fields, becomes a text item
 *   describing it, so nothing is dropped silently;
 * - `structuredContent` is kept when it is an object; anything else becomes a text item;
 * - a legacy `toolResult` (protocol 2024-10-07) becomes a text item: a string as is,
 *   anything else as JSON;
 * - an answer that is not an object at all becomes an error result describing it.
 */
export function toToolResult(result: unknown): ToolResult {
  if (!isObject(result)) {
    return { content: [{ type: "text", text: `The server's answer was not a tool result: ${quote(result)}` }], isError: true };
  }
  const answer = result as Partial<CallToolResult> & { toolResult?: unknown };
  const content: ToolContent[] = Array.isArray(answer.content) ? answer.content.map(toToolContent) : [];
  if (answer.content !== undefined && !Array.isArray(answer.content)) {
    content.push({ type: "text", text: `[content that is not a list: ${quote(answer.content)}]` });
  }
  if (answer.toolResult !== undefined) {
    content.push({ type: "text", text: typeof answer.toolResult === "string" ? answer.toolResult : quote(answer.toolResult, Infinity) });
  }
  const structured = answer.structuredContent as unknown;
  if (structured !== undefined && !isObject(structured)) {
    content.push({ type: "text", text: `[structured content that is not an object: ${quote(structured)}]` });
  }
  return { content, ...(isObject(structured) ? { structuredContent: structured } : {}), isError: answer.isError === true };
}

function toToolContent(item: unknown): ToolContent {
  const parsed = ToolContentSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  const type = isObject(item) && typeof item.type === "string" ? item.type : undefined;
  const what = type === undefined ? "content without a type" : isKnownType(type) ? `malformed ${type} content` : `content of unknown type "${type}"`;
  return { type: "text", text: `[${what}: ${quote(item)}]` };
}

const KNOWN_TYPES = new Set(["text", "image", "audio", "resource_link", "resource"]);
const isKnownType = (type: string) => KNOWN_TYPES.has(type);

/**
 * The text a text-only model reads of `result`, items joined by `"\n"`:
 * - text items as they are;
 * - `image` / `audio`: a placeholder such as `[image: image/png, 12 KB, shown to the user]`;
 * - `resource_link`: `[resource: <name> <uri>]`, then its description when it has one;
 * - embedded `resource`: `[resource <uri>]` and its text on the next line, or for a blob a
 *   placeholder with its MIME type and size;
 * - `structuredContent`, as JSON, when no item is text (a server that sends both puts the
 *   same data in the text, MCP spec 2025-06-18 "Structured Content").
 * A result with nothing to read gives `(no content)`: an empty tool message confuses models.
 */
export function modelTextOf(result: ToolResult): string {
  const parts = result.content.map(describeItem);
  const hasText = result.content.some((item) => item.type === "text");
  if (result.structuredContent !== undefined && !hasText) parts.push(JSON.stringify(result.structuredContent));
  const text = parts.join("\n");
  return text === "" ? "(no content)" : text;
}

function describeItem(item: ToolContent): string {
  switch (item.type) {
    case "text":
      return item.text;
    case "image":
    case "audio":
      return `[${item.type}: ${item.mimeType}, ${formatSize(base64Bytes(item.data))}, shown to the user]`;
    case "resource_link":
      return `[resource: ${item.name} ${item.uri}]${item.description ? ` ${item.description}` : ""}`;
    case "resource": {
      const { uri, mimeType, text, blob } = item.resource;
      if (text !== undefined) return `[resource ${uri}]\n${text}`;
      if (blob !== undefined) return `[resource ${uri}: ${mimeType ?? "unknown type"}, ${formatSize(base64Bytes(blob))} of binary data]`;
      return `[resource ${uri}]`;
    }
  }
}

/**
 * Cuts `text` to at most `maxChars` characters (UTF-16 code units, as `String.length`
 * counts). A longer text keeps its beginning, cut at a line break (or else a space) when
 * one lies within the last 10% of the room, followed on its own line by a marker saying
 * how much was left out; the marker counts inside `maxChars`. When `maxChars` cannot hold
 * even the marker, the result is the marker alone. `truncatedChars` counts the characters
 * of `text` not included (0 when it fit).
 */
export function cutToBudget(text: string, maxChars: number): { text: string; truncatedChars: number } {
  if (Number.isNaN(maxChars)) throw new RangeError("maxChars must be a number, got NaN");
  if (text.length <= maxChars) return { text, truncatedChars: 0 };
  // The marker for the whole text is the longest one possible: room left for it is enough.
  const room = Math.floor(maxChars) - truncationMarker(text.length).length - 1;
  if (room <= 0) return { text: truncationMarker(text.length), truncatedChars: text.length };
  let end = room;
  const windowStart = Math.ceil(room * 0.9);
  const lineBreak = text.lastIndexOf("\n", room);
  const space = text.lastIndexOf(" ", room);
  if (lineBreak >= windowStart) end = lineBreak;
  else if (space >= windowStart) end = space;
  else if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1; // never split a surrogate pair
  const kept = text.slice(0, end);
  const truncatedChars = text.length - kept.length;
  return { text: `${kept}\n${truncationMarker(truncatedChars)}`, truncatedChars };
}

function truncationMarker(leftOut: number): string {
  return (
    `[… ${leftOut.toLocaleString("en-US")} more characters left out: the result was longer than the ` +
    "tool-result budget. The full result is in the tool-call inspector.]"
  );
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Characters per token assumed when a budget in tokens becomes one in characters. */
export const CHARS_PER_TOKEN = 3;
/** The smallest budget {@link resultBudgetChars} gives from context numbers, in characters. */
export const MIN_RESULT_BUDGET_CHARS = 1_000;
/** The budget when the context is unknown (a remote server), in characters. */
export const DEFAULT_RESULT_BUDGET_CHARS = 32_000;
/** The share of the free context that one round's tool results may fill together. */
export const DEFAULT_RESULT_SHARE = 0.5;

/**
 * The budget, in characters, for one tool result that the model will read:
 * - `fixedChars` when given (the user's setting), as is;
 * - else, when `contextSize` is known: `share` (default 0.5) of the tokens still free
 *   (`contextSize - usedTokens`, both in tokens; `usedTokens` defaults to 0), divided
 *   among the round's `callsInRound` calls, at {@link CHARS_PER_TOKEN} characters per
 *   token, and never below {@link MIN_RESULT_BUDGET_CHARS};
 * - else {@link DEFAULT_RESULT_BUDGET_CHARS} (32,000).
 * Three characters per token errs on the short side for English and code, so a result
 * that fits its budget fits the context.
 */
export function resultBudgetChars(options: {
  /** The model's context window, in tokens. */
  contextSize?: number;
  /** Tokens the conversation already fills, in tokens. */
  usedTokens?: number;
  /** Tool calls in this round; their results share the room. At least 1 is assumed. */
  callsInRound: number;
  /** Fraction (0 to 1) of the free context the round's results may use. Default 0.5. */
  share?: number;
  /** A fixed budget in characters, which overrides the rest. */
  fixedChars?: number;
}): number {
  if (options.fixedChars !== undefined) return Math.max(0, Math.floor(options.fixedChars));
  if (options.contextSize === undefined) return DEFAULT_RESULT_BUDGET_CHARS;
  const freeTokens = Math.max(0, options.contextSize - (options.usedTokens ?? 0));
  const tokensPerCall = (freeTokens * (options.share ?? DEFAULT_RESULT_SHARE)) / Math.max(1, options.callsInRound);
  return Math.max(MIN_RESULT_BUDGET_CHARS, Math.floor(tokensPerCall * CHARS_PER_TOKEN));
}

/** Bytes that base64 `data` decodes to (without decoding it). */
function base64Bytes(data: string): number {
  const compact = data.replace(/\s/g, "");
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((compact.length * 3) / 4) - padding);
}

/** `1 byte`, `512 bytes`, `12 KB`, `3.4 MB` (decimal units). */
function formatSize(bytes: number): string {
  if (bytes === 1) return "1 byte";
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` as JSON, cut to `maxChars`. */
function quote(value: unknown, maxChars = DESCRIBED_ITEM_CHARS): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return json.length > maxChars ? `${json.slice(0, maxChars)}…` : json;
}
