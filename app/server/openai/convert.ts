/**
 * From a checked OpenAI request to what the chat runner takes: the history as Hearth
 * stores it, the sampling settings, the tool choice, and the functions the client declared
 * (which the model may call but the server does not run: they go back to the client).
 */
import type { ChatMessage, SamplingSettings, ToolCall, ToolChoice } from "../../../models/runner.js";
import { invalidRequest } from "./errors.js";
import type { ChatCompletionRequest } from "./schema.js";

/** A message's content as text: text parts joined with a newline; none is "". */
function textOf(content: string | readonly { text: string }[] | null | undefined): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("\n");
}

/**
 * A call's arguments from their JSON text. An empty string reads as `{}`: some clients
 * keep the arguments of a call without parameters that way.
 */
function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(`Invalid '${param}': not valid JSON (expected the arguments as a JSON object in a string)`, param, "invalid_value");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidRequest(`Invalid '${param}': expected a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`, param, "invalid_value");
  }
  return value as Record<string, unknown>;
}

/**
 * The request's history as Hearth's {@link ChatMessage}s, in order: `system` and
 * `developer` become system messages; text parts are joined with "\n"; an assistant's
 * `tool_calls` become `toolCalls` with their arguments parsed; a tool message takes its
 * `name` from the assistant call with its `tool_call_id` earlier in the history.
 *
 * @throws OpenAiHttpError - 400 with `param` `messages[i].tool_calls[j].function.arguments`
 *   when arguments are not a JSON object, or `messages[i].tool_call_id` when no earlier
 *   assistant call has that id.
 */
export function toChatMessages(request: Pick<ChatCompletionRequest, "messages">): ChatMessage[] {
  const callNames = new Map<string, string>();
  return request.messages.map((message, index): ChatMessage => {
    switch (message.role) {
      case "system":
      case "developer":
        return { role: "system", content: textOf(message.content) };
      case "user":
        return { role: "user", content: textOf(message.content) };
      case "assistant": {
        const content = textOf(message.content);
        if (message.tool_calls === undefined || message.tool_calls.length === 0) return { role: "assistant", content };
        const toolCalls = message.tool_calls.map((call, callIndex): ToolCall => {
          callNames.set(call.id, call.function.name);
          const param = `messages[${index}].tool_calls[${callIndex}].function.arguments`;
          return { id: call.id, name: call.function.name, arguments: parseArguments(call.function.arguments, param) };
        });
        return { role: "assistant", content, toolCalls };
      }
      case "tool": {
        const name = callNames.get(message.tool_call_id);
        if (name === undefined) {
          const param = `messages[${index}].tool_call_id`;
          throw invalidRequest(`Invalid '${param}': no earlier assistant message has a tool call with id '${message.tool_call_id}'`, param, "invalid_value");
        }
        return { role: "tool", toolCallId: message.tool_call_id, name, content: textOf(message.content) };
      }
    }
  });
}

/**
 * The request's sampling settings; only those it sets. `maxTokens` is
 * `max_completion_tokens`, else `max_tokens`; `stop` is always an array.
 */
export function toSampling(request: ChatCompletionRequest): SamplingSettings {
  const sampling: SamplingSettings = {};
  if (request.temperature !== undefined) sampling.temperature = request.temperature;
  if (request.top_p !== undefined) sampling.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined) sampling.maxTokens = maxTokens;
  if (request.stop !== undefined) sampling.stop = typeof request.stop === "string" ? [request.stop] : [...request.stop];
  if (request.seed !== undefined) sampling.seed = request.seed;
  return sampling;
}

/** The request's `tool_choice` as the runner's {@link ToolChoice}; undefined when left out (the runner's default, `"auto"`). */
export function toToolChoice(request: Pick<ChatCompletionRequest, "tool_choice">): ToolChoice | undefined {
  const choice = request.tool_choice;
  if (choice === undefined || typeof choice === "string") return choice;
  return { name: choice.function.name };
}

/** A function the client declared in `tools`: the model may call it, and the call goes back to the client unrun. */
export interface ClientTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments; `{type: "object", properties: {}}` when the client gave none. */
  parameters: Record<string, unknown>;
}

/** The functions of the request's `tools`, in order; none when it has no `tools`. */
export function clientTools(request: Pick<ChatCompletionRequest, "tools">): ClientTool[] {
  return (request.tools ?? []).map(({ function: declared }) => {
    const tool: ClientTool = { name: declared.name, parameters: declared.parameters ?? { type: "object", properties: {} } };
    if (declared.description !== undefined) tool.description = declared.description;
    return tool;
  });
}
