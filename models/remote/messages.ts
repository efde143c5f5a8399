/**
 * Hearth's chat messages (`ChatMessage` of ../runner.ts) and the OpenAI Chat Completions
 * message format, both ways. Assistant `toolCalls` become `tool_calls` with the arguments
 * as a JSON string; tool results become `role: "tool"` messages tied by `tool_call_id`.
 */
import type { ChatMessage, ToolCall } from "../runner.js";
import { RemoteModelError } from "./errors.js";
import { parseToolArguments } from "./tool-calls.js";

/** A function call in an OpenAI assistant message. */
export interface OpenAiToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A content part of an OpenAI message; Hearth sends and reads text only. */
export interface OpenAiContentPart {
  type: string;
  text?: string;
}

/** A message in the OpenAI Chat Completions format. */
export type OpenAiMessage =
  | { role: "system" | "developer"; content: string | OpenAiContentPart[] }
  | { role: "user"; content: string | OpenAiContentPart[] }
  | { role: "assistant"; content: string | OpenAiContentPart[] | null; tool_calls?: OpenAiToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string | OpenAiContentPart[]; name?: string };

/** Written before the text of a tool result marked `isError`: the format has no such flag. */
export const TOOL_ERROR_PREFIX = "Error: ";

/**
 * Hearth messages as OpenAI messages. An assistant message with calls keeps its text
 * (`""` when none: some servers reject `null` content) beside `tool_calls`; a tool result
 * marked `isError` is sent with its text after "Error: ", since the format cannot say so.
 */
export function toOpenAiMessages(messages: readonly ChatMessage[]): OpenAiMessage[] {
  return messages.map((message): OpenAiMessage => {
    switch (message.role) {
      case "system":
      case "user":
        return { role: message.role, content: message.content };
      case "assistant":
        if (!message.toolCalls?.length) return { role: "assistant", content: message.content };
        return { role: "assistant", content: message.content, tool_calls: message.toolCalls.map(toOpenAiToolCall) };
      case "tool":
        return {
          role: "tool",
          tool_call_id: message.toolCallId,
          content: message.isError ? `${TOOL_ERROR_PREFIX}${message.content}` : message.content,
        };
    }
  });
}

/** A Hearth tool call as an OpenAI one: the arguments as a JSON string. */
export function toOpenAiToolCall(call: ToolCall): OpenAiToolCall {
  return { id: call.id, type: "function", function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
}

/**
 * OpenAI messages as Hearth messages (for clients that speak OpenAI to Hearth). A
 * `developer` message becomes a system message; text parts are joined. A tool message
 * takes its function name from `name` or else from the assistant call it answers.
 * Tool results come back without `isError` (the format cannot tell).
 *
 * @throws RemoteModelError `invalid_messages` for non-text content, arguments that are
 *   not a JSON object, or a tool message that answers no earlier call.
 */
export function fromOpenAiMessages(messages: readonly OpenAiMessage[]): ChatMessage[] {
  const callNames = new Map<string, string>();
  return messages.map((message, position): ChatMessage => {
    const where = `message ${position}`;
    switch (message.role) {
      case "system":
      case "developer":
        return { role: "system", content: textOf(message.content, where) };
      case "user":
        return { role: "user", content: textOf(message.content, where) };
      case "assistant": {
        const content = message.content === null ? "" : textOf(message.content, where);
        if (!message.tool_calls?.length) return { role: "assistant", content };
        const toolCalls = message.tool_calls.map((call) => fromOpenAiToolCall(call, where));
        for (const call of toolCalls) callNames.set(call.id, call.name);
        return { role: "assistant", content, toolCalls };
      }
      case "tool": {
        const name = message.name ?? callNames.get(message.tool_call_id);
        if (name === undefined) {
          throw new RemoteModelError("invalid_messages", `${where} answers tool call "${message.tool_call_id}", which no earlier assistant message made`);
        }
        return { role: "tool", toolCallId: message.tool_call_id, name, content: textOf(message.content, where) };
      }
      default:
        throw new RemoteModelError("invalid_messages", `${where} has the unknown role "${String((message as { role: unknown }).role)}"`);
    }
  });
}

function fromOpenAiToolCall(call: OpenAiToolCall, where: string): ToolCall {
  const parsed = parseToolArguments(call.function.arguments);
  if (!parsed.ok) {
    throw new RemoteModelError("invalid_messages", `${where}: the arguments of tool call "${call.id}" are not a JSON object`);
  }
  return { id: call.id, name: call.function.name, arguments: parsed.value };
}

function textOf(content: string | OpenAiContentPart[], where: string): string {
  if (typeof content === "string") return content;
  return content
    .map((part) => {
      if (part.type !== "text" || typeof part.text !== "string") {
        throw new RemoteModelError("invalid_messages", `${where} has a "${part.type}" content part; only text is supported`);
      }
      return part.text;
    })
    .join("");
}
