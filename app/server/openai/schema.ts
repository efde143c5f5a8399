/**
 * The body of `POST /v1/chat/completions`, as OpenAI's API reference describes it, cut to
 * what Hearth can honour, plus Hearth's `mcp` extension. Unknown fields are ignored (clients
 * send `user`, `frequency_penalty`, `logprobs`…), and a field sent as `null` counts as left
 * out, as OpenAI treats its nullable parameters. Anything else that is wrong is a 400 whose
 * `param` is the path of the first problem (`messages[1].content`).
 */
import { z } from "zod";
import { invalidRequest } from "./errors.js";

/** The message of a refused image part (`image_url`): local models here read text only. */
const IMAGES_UNSUPPORTED = "images are not supported by this server";

/** A custom issue that becomes a 400 with this `code` (zod keeps `params` on the issue). */
const unsupported = (message: string) => ({ message, params: { code: "unsupported_value" } });

const TextPartSchema = z.object({ type: z.literal("text"), text: z.string() });
type TextPart = z.infer<typeof TextPartSchema>;

/** String or text parts: what system, developer, tool and assistant messages may hold. */
const TextContentSchema = z.union([z.string(), z.array(TextPartSchema)], {
  error: "expected a string or an array of text parts ({type: \"text\", text})",
});

/** A user message's part: text, or a kind this server refuses with a message that says so. */
const UserPartSchema = z.discriminatedUnion(
  "type",
  [
    TextPartSchema,
    z.object({ type: z.literal("image_url") }).refine(() => false, unsupported(IMAGES_UNSUPPORTED)),
    z.object({ type: z.literal("input_audio") }).refine(() => false, unsupported("audio is not supported by this server")),
    z.object({ type: z.literal("file") }).refine(() => false, unsupported("files are not supported by this server")),
  ],
  { error: "expected a content part of type \"text\"" },
);

/** Only text parts pass (the others are refused above); the filter tells the type so. */
const UserContentSchema = z
  .union([z.string(), z.array(UserPartSchema)], { error: "expected a string or an array of text parts ({type: \"text\", text})" })
  .transform((content) => (typeof content === "string" ? content : content.filter((part): part is TextPart => part.type === "text")));

/** A call the assistant made earlier in the history; `arguments` is JSON text, parsed later. */
const RequestToolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const MessageSchema = z.discriminatedUnion(
  "role",
  [
    z.object({ role: z.literal("system"), content: TextContentSchema }),
    z.object({ role: z.literal("developer"), content: TextContentSchema }),
    z.object({ role: z.literal("user"), content: UserContentSchema }),
    z.object({
      role: z.literal("assistant"),
      content: TextContentSchema.nullable().optional(),
      tool_calls: z.array(RequestToolCallSchema).optional(),
    }),
    z.object({ role: z.literal("tool"), tool_call_id: z.string().min(1), content: TextContentSchema }),
  ],
  { error: "expected a role of \"system\", \"developer\", \"user\", \"assistant\" or \"tool\"" },
);

/** OpenAI's limit on a function name, which the models' templates also assume. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const RequestToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(FUNCTION_NAME, "expected 1 to 64 letters, digits, underscores or dashes"),
    description: z.string().optional(),
    /** JSON Schema of the arguments; an object. */
    parameters: z.record(z.string(), z.unknown(), { error: "expected a JSON Schema object" }).optional(),
  }),
});

const ToolChoiceSchema = z.union(
  [z.enum(["auto", "none", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) })],
  { error: "expected \"auto\", \"none\", \"required\" or {type: \"function\", function: {name}}" },
);

/** The fields of the body, before `null` fields are dropped. */
const RequestFieldsSchema = z.object({
  model: z.string().min(1),
  messages: z.array(MessageSchema).min(1),
  tools: z.array(RequestToolSchema).optional(),
  /** A name not among `tools` or the MCP tools is the server's to refuse, not the schema's. */
  tool_choice: ToolChoiceSchema.optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)], { error: "expected a string or an array of up to 4 strings" }).optional(),
  seed: z.number().int().optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
  /** Hearth answers with one choice only. */
  n: z
    .number()
    .int()
    .refine((n) => n === 1, unsupported("only 1 choice per request is supported"))
    .optional(),
  /** Hearth's extension: which MCP tools the model may call, and what happens to calls that need approval. */
  mcp: z
    .object({
      /** Exposed tool names (`server__tool`) the model may call; all the server offers when left out. */
      allowed_tools: z.array(z.string()).optional(),
      /** `auto`: calls that need approval run; `deny`: they are refused and the model is told. */
      approval: z.enum(["auto", "deny"]).optional(),
    })
    .optional(),
});

/** A copy of `body` without its top-level `null` fields (OpenAI reads `null` as left out). */
function withoutNullFields(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}

/** The chat completions request body; parse with {@link parseChatCompletionRequest} for OpenAI-shaped errors. */
export const ChatCompletionRequestSchema = z.preprocess(withoutNullFields, RequestFieldsSchema);

/** A checked chat completions request. */
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

/** One message of a checked request. */
export type ChatCompletionRequestMessage = ChatCompletionRequest["messages"][number];

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/**
 * The issue to report, with its full path. A union that failed reports the branch that got
 * furthest (its first issue has the longest path: the input had that branch's shape and
 * failed inside it); when no branch got past the type, the union's own message.
 */
function firstProblem(issue: Issue, prefix: Path = []): { issue: Issue; path: Path } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return { issue, path };
  let furthest: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first !== undefined && first.path.length > (furthest?.path.length ?? 0)) furthest = first;
  }
  return furthest === undefined ? { issue, path } : firstProblem(furthest, path);
}

/** `["messages", 1, "content"]` → `messages[1].content`. */
function paramOf(path: Path): string {
  return path.map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join("");
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** zod's message without its "Invalid input: " lead, so it reads after the param's name. */
function detail(message: string): string {
  return message.replace(/^Invalid (input|option): /, "").replace(/^Too (big|small): /, "");
}

/**
 * Checks a chat completions request body (parsed JSON).
 *
 * @throws OpenAiHttpError - 400 with `param` the path of the first problem and a message
 *   that names it; code `missing_required_parameter`, `invalid_type`, `invalid_value`, or
 *   `unsupported_value` (an image part, `n` other than 1).
 */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const reported = parsed.error.issues[0];
  if (reported === undefined) throw invalidRequest("The request body is not a valid chat completions request");
  const { issue, path } = firstProblem(reported);
  if (path.length === 0) throw invalidRequest("The request body must be a JSON object", null, "invalid_type");
  const param = paramOf(path);
  const missing = valueAt(withoutNullFields(body), path) === undefined;
  if (missing && (issue.code === "invalid_type" || issue.code === "invalid_union")) {
    throw invalidRequest(`Missing required parameter: '${param}'`, param, "missing_required_parameter");
  }
  if (issue.code === "custom") {
    const code = typeof issue.params?.["code"] === "string" ? issue.params["code"] : "invalid_value";
    throw invalidRequest(`Invalid '${param}': ${issue.message}`, param, code);
  }
  if (issue.code === "invalid_type") throw invalidRequest(`Invalid type for '${param}': ${detail(issue.message)}`, param, "invalid_type");
  throw invalidRequest(`Invalid value for '${param}': ${detail(issue.message)}`, param, "invalid_value");
}
