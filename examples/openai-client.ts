/**
 * `hearth serve` from the official OpenAI client: a question, answered once whole and
 * once streamed, while the model calls the server's MCP tools by itself.
 *
 *   hearth serve --model MODEL.gguf --mcp-config examples/mcp-config.stdio.json
 *   npx tsx examples/openai-client.ts "What's the weather in Paris?"
 *
 * Environment: HEARTH_URL (default http://127.0.0.1:1234), HEARTH_API_KEY (when the
 * server has one), HEARTH_MODEL (default: the first model the server lists).
 *
 * Prints `tool: NAME(ARGUMENTS)` per MCP call that ran and `answer: TEXT`; then, streamed,
 * the text as it comes, `streamed tool: NAME` per tool call and `usage: P + C tokens`.
 */
import OpenAI from "openai";

const origin = (process.env.HEARTH_URL || "http://127.0.0.1:1234").replace(/\/+$/, "");
const question = process.argv[2] ?? "What's the weather in Paris?";

const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: process.env.HEARTH_API_KEY || "not-needed" });

// GET /v1/models: the server's model(s); any listed id will do.
let model = process.env.HEARTH_MODEL || undefined;
if (model === undefined) {
  const models = await client.models.list();
  model = models.data[0]?.id;
  if (model === undefined) throw new Error(`${origin}/v1/models lists no model`);
}
const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "user", content: question }];

// Not streamed: the whole answer at once. message.tool_calls lists the MCP calls the server
// already ran (there is nothing for the client to execute), and Hearth's extension
// message.mcp_tool_results their results. Hearth's request field
// `mcp: { allowed_tools, approval }` picks tools and the approval policy per request.
const completion = await client.chat.completions.create({ model, messages });
const message = completion.choices[0]?.message;
for (const call of message?.tool_calls ?? []) {
  if (call.type === "function") console.log(`tool: ${call.function.name}(${call.function.arguments})`);
}
console.log(`answer: ${message?.content ?? ""}`);

// Streamed: text deltas as the model writes them, tool calls as chunks of their own, and
// (asked for with include_usage) the token counts in a last chunk without choices.
const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
let midLine = false; // whether streamed text is waiting for its line to end
const printLine = (line: string) => {
  process.stdout.write(`${midLine ? "\n" : ""}${line}\n`);
  midLine = false;
};
for await (const chunk of stream) {
  const delta = chunk.choices[0]?.delta;
  for (const call of delta?.tool_calls ?? []) {
    // A call's first chunk names it; later ones only add to its arguments.
    if (call.function?.name) printLine(`streamed tool: ${call.function.name}`);
  }
  if (delta?.content) {
    process.stdout.write(delta.content);
    midLine = !delta.content.endsWith("\n");
  }
  if (chunk.usage) printLine(`usage: ${chunk.usage.prompt_tokens} + ${chunk.usage.completion_tokens} tokens`);
}
if (midLine) process.stdout.write("\n");
