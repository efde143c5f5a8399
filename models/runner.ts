/**
 * The chat runner contract: what the app hands a model and what it gets back. The local
 * engine (node-llama-cpp) and the remote OpenAI-compatible provider both implement it, so
 * the app does not care where inference runs. The app keeps the history; a runner is
 * stateless between calls apart from caches (the KV cache of the local engine).
 */

/** A JSON Schema object, as MCP tools and OpenAI functions describe parameters. */
export type JsonSchema = { [key: string]: unknown };

/** A function call the model made. */
export interface ToolCall {
  /** Unique within the conversation; ties the result to the call. */
  id: string;
  name: string;
  /** Arguments as the function expects them (nulls for left-out optional fields removed). */
  arguments: Record<string, unknown>;
}

/** What a function returns to the model. */
export interface FunctionResult {
  /** The text the model reads. */
  content: string;
  /** The call failed; the model is told so and may try something else. */
  isError?: boolean;
}

/** A message of the history, in the shape the app stores. */
export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string; isError?: boolean };

/** A function the model may call. */
export interface ChatFunction {
  name: string;
  description?: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: JsonSchema;
  /**
   * Runs the function. Calls made in the same round run concurrently. `call` is the whole
   * request (its id ties events and stored records to the model's call).
   */
  call(args: Record<string, unknown>, signal: AbortSignal, call: ToolCall): Promise<FunctionResult>;
}

/** Sampling settings; each one left out takes the runner's default. */
export interface SamplingSettings {
  /** 0 is greedy. Default 0.7. */
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  /** Penalty for repeating recent tokens; 1 (or left out) is none. */
  repeatPenalty?: number;
  /** Most tokens to generate in one model response. */
  maxTokens?: number;
  seed?: number;
  /** Generation stops before any of these strings. */
  stop?: string[];
}

/** One step of a run, in order. */
export type RunnerEvent =
  | { type: "textDelta"; text: string }
  /** The model asked for these calls together (one round); they run after this event. */
  | { type: "functionCalls"; calls: ToolCall[] }
  | { type: "functionResult"; call: ToolCall; result: FunctionResult; durationMs: number };

/**
 * Whether the model must call a function in the run's first response: `"auto"` (the model
 * decides; the default), `"none"` (no function is offered), `"required"` (it must call one
 * of them), or `{ name }` (only that function is offered, and it must call it). Later
 * rounds are always `"auto"`, so a run still ends with an answer. OpenAI's `tool_choice`.
 */
export type ToolChoice = "auto" | "none" | "required" | { name: string };

export interface RunRequest {
  /** The history, oldest first; a system message first if any. */
  messages: ChatMessage[];
  functions?: ChatFunction[];
  /** Default `"auto"`. */
  toolChoice?: ToolChoice;
  sampling?: SamplingSettings;
  /** Rounds of function calls allowed before the model must answer. Default 8. */
  maxFunctionRounds?: number;
  /**
   * A prompt longer than the context: `"shift"` (default) drops the oldest history, as
   * node-llama-cpp does; `"error"` fails the run with code `context_overflow` before
   * anything is generated (an API must say so rather than answer a cut question).
   * Runners that cannot tell (remote ones: their server decides) ignore it.
   */
  contextOverflow?: "shift" | "error";
  /** Stops generation within one token; the partial answer is kept. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
}

/** Token counts of a run. */
export interface RunUsage {
  /** Tokens of the prompt side (history and function results), as the model sees them. */
  promptTokens: number;
  /** Tokens the model generated. */
  completionTokens: number;
  /**
   * Prompt tokens actually evaluated: with KV-cache reuse, only the new ones. Equal to
   * `promptTokens` where the runner cannot tell (remote providers).
   */
  evaluatedPromptTokens: number;
}

export interface RunTimings {
  /** From the call to the first generated token, in milliseconds. */
  timeToFirstTokenMs: number | undefined;
  /** Generated tokens per second of generation time. */
  tokensPerSecond: number | undefined;
  totalMs: number;
}

export interface RunResult {
  /** The messages this run adds to the history: assistant messages with their calls, tool results, the final answer. */
  messages: ChatMessage[];
  /** The final answer's text (partial when aborted). */
  text: string;
  stopReason: "stop" | "maxTokens" | "aborted" | "functionRoundLimit" | "stopString";
  usage: RunUsage;
  timings: RunTimings;
}

/** Runs chats; implemented by the local engine's runner and the remote provider. */
export interface ChatRunner {
  /** What the runner talks to, for display ("local: model.gguf", "remote: http://…"). */
  readonly description: string;
  run(request: RunRequest): Promise<RunResult>;
  /**
   * The context window's size and the tokens in it after the last run, where the runner
   * knows them (the local engine); the app sizes tool results to what is left.
   */
  contextUsage?(): { contextSize: number; usedTokens: number };
}

/** The functions a run offers, after its `toolChoice`; unknown `{ name }` offers none. */
export function offeredFunctions(functions: readonly ChatFunction[], toolChoice: ToolChoice | undefined): ChatFunction[] {
  if (toolChoice === "none") return [];
  if (typeof toolChoice === "object") return functions.filter((chatFunction) => chatFunction.name === toolChoice.name);
  return [...functions];
}

/** Whether the first response must be a call, under `toolChoice`. */
export function mustCallFirst(toolChoice: ToolChoice | undefined): boolean {
  return toolChoice === "required" || typeof toolChoice === "object";
}
