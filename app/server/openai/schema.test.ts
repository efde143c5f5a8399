/**
 * Every rule of the request schema: what it accepts, and for what it refuses, the 400's
 * `param` (the path of the first problem), its code, and a message that names the param.
 */
import { describe, expect, it } from "vitest";
import { OpenAiHttpError } from "./errors.js";
import { parseChatCompletionRequest } from "./schema.js";

const user = (content: unknown) => ({ role: "user", content });
const minimal = { model: "qwen3-8b", messages: [user("Hi")] };

/** The 400 that `body` gets. */
function refused(body: unknown): OpenAiHttpError {
  try {
    parseChatCompletionRequest(body);
  } catch (error) {
    if (error instanceof OpenAiHttpError) return error;
    throw error;
  }
  throw new Error("the body was accepted");
}

/** Checks the 400 of `body`: its param, its code, and that the message names the param. */
function expectRefused(body: unknown, param: string | null, code?: string): OpenAiHttpError {
  const error = refused(body);
  expect(error.status).toBe(400);
  expect(error.type).toBe("invalid_request_error");
  expect(error.param).toBe(param);
  if (param !== null) expect(error.message).toContain(`'${param}'`);
  if (code !== undefined) expect(error.code).toBe(code);
  return error;
}

describe("parseChatCompletionRequest: the body", () => {
  it.each([null, [], "text", 3])("refuses %j: not an object", (body) => {
    expectRefused(body, null, "invalid_type");
  });

  it("accepts the minimal request", () => {
    expect(parseChatCompletionRequest(minimal)).toStrictEqual(minimal);
  });

  it("ignores unknown top-level fields", () => {
    const parsed = parseChatCompletionRequest({ ...minimal, user: "u-1", frequency_penalty: 0.5, logprobs: true, presence_penalty: 1, metadata: {} });
    expect(parsed).toStrictEqual(minimal);
  });

  it("reads a top-level null as left out", () => {
    const parsed = parseChatCompletionRequest({ ...minimal, temperature: null, stop: null, stream: null, tools: null, n: null, seed: null });
    expect(parsed).toStrictEqual(minimal);
  });
});

describe("parseChatCompletionRequest: model", () => {
  it("requires it", () => {
    const error = expectRefused({ messages: minimal.messages }, "model", "missing_required_parameter");
    expect(error.message).toBe("Missing required parameter: 'model'");
  });

  it("refuses an empty name and a non-string", () => {
    expectRefused({ ...minimal, model: "" }, "model", "invalid_value");
    expectRefused({ ...minimal, model: 7 }, "model", "invalid_type");
  });
});

describe("parseChatCompletionRequest: messages", () => {
  it("requires at least one", () => {
    expectRefused({ model: "m" }, "messages", "missing_required_parameter");
    expectRefused({ model: "m", messages: [] }, "messages", "invalid_value");
    expectRefused({ model: "m", messages: {} }, "messages", "invalid_type");
  });

  it("accepts every role with string and text-part content", () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "developer", content: [{ type: "text", text: "Use tools." }] },
      user([{ type: "text", text: "a" }, { type: "text", text: "b" }]),
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "result" }] },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
      { role: "assistant", tool_calls: [] },
    ];
    expect(parseChatCompletionRequest({ model: "m", messages }).messages).toStrictEqual(messages);
  });

  it("drops unknown fields of a message (name, refusal)", () => {
    const parsed = parseChatCompletionRequest({ model: "m", messages: [{ role: "user", content: "x", name: "ann" }] });
    expect(parsed.messages[0]).toStrictEqual({ role: "user", content: "x" });
  });

  it("refuses an unknown or missing role", () => {
    expectRefused({ model: "m", messages: [user("a"), { role: "function", content: "x" }] }, "messages[1].role", "invalid_value");
    expectRefused({ model: "m", messages: [{ content: "x" }] }, "messages[0].role", "missing_required_parameter");
    expectRefused({ model: "m", messages: ["hello"] }, "messages[0]", "invalid_type");
  });

  it("refuses content that is neither a string nor text parts", () => {
    expectRefused({ model: "m", messages: [user("a"), user(42)] }, "messages[1].content", "invalid_value");
    expectRefused({ model: "m", messages: [{ role: "system", content: { text: "x" } }] }, "messages[0].content", "invalid_value");
    expectRefused({ model: "m", messages: [user([{ type: "text" }])] }, "messages[0].content[0].text", "missing_required_parameter");
    expectRefused({ model: "m", messages: [user([{ type: "text", text: 1 }])] }, "messages[0].content[0].text", "invalid_type");
  });

  it("requires content on user, system, developer and tool messages", () => {
    expectRefused({ model: "m", messages: [{ role: "user" }] }, "messages[0].content", "missing_required_parameter");
    expectRefused({ model: "m", messages: [{ role: "developer" }] }, "messages[0].content", "missing_required_parameter");
    expectRefused({ model: "m", messages: [{ role: "tool", tool_call_id: "c" }] }, "messages[0].content", "missing_required_parameter");
  });

  it("refuses an image part, naming the part", () => {
    const body = { model: "m", messages: [user("a"), user([{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,AA" } }])] };
    const error = expectRefused(body, "messages[1].content[1]", "unsupported_value");
    expect(error.message).toContain("images are not supported by this server");
  });

  it("refuses audio and file parts, and unknown part types", () => {
    expectRefused({ model: "m", messages: [user([{ type: "input_audio", input_audio: {} }])] }, "messages[0].content[0]", "unsupported_value");
    expectRefused({ model: "m", messages: [user([{ type: "file", file: {} }])] }, "messages[0].content[0]", "unsupported_value");
    expectRefused({ model: "m", messages: [user([{ type: "video" }])] }, "messages[0].content[0].type", "invalid_value");
  });

  it("accepts only text parts on the other roles", () => {
    const image = { type: "image_url", image_url: { url: "x" } };
    expectRefused({ model: "m", messages: [{ role: "system", content: [image] }] }, "messages[0].content[0].type", "invalid_value");
    expectRefused({ model: "m", messages: [{ role: "assistant", content: [image] }] }, "messages[0].content[0].type", "invalid_value");
  });

  it("checks an assistant's tool calls", () => {
    const call = { id: "call_1", type: "function", function: { name: "f", arguments: "{}" } };
    const withCall = (changed: object) => ({ model: "m", messages: [user("a"), { role: "assistant", content: null, tool_calls: [call, changed] }] });
    expectRefused(withCall({ ...call, id: undefined }), "messages[1].tool_calls[1].id", "missing_required_parameter");
    expectRefused(withCall({ ...call, type: "custom" }), "messages[1].tool_calls[1].type", "invalid_value");
    expectRefused(withCall({ ...call, function: { name: "f", arguments: { a: 1 } } }), "messages[1].tool_calls[1].function.arguments", "invalid_type");
    expectRefused(withCall({ ...call, function: { arguments: "{}" } }), "messages[1].tool_calls[1].function.name", "missing_required_parameter");
  });

  it("requires a tool message's tool_call_id", () => {
    expectRefused({ model: "m", messages: [user("a"), { role: "tool", content: "x" }] }, "messages[1].tool_call_id", "missing_required_parameter");
    expectRefused({ model: "m", messages: [user("a"), { role: "tool", tool_call_id: "", content: "x" }] }, "messages[1].tool_call_id", "invalid_value");
  });
});

describe("parseChatCompletionRequest: tools and tool_choice", () => {
  const tool = (name: unknown, more: object = {}) => ({ type: "function", function: { name, ...more } });

  it("accepts functions with and without description and parameters", () => {
    const tools = [tool("get_weather", { description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } }), tool("now-2")];
    expect(parseChatCompletionRequest({ ...minimal, tools }).tools).toStrictEqual(tools);
  });

  it("refuses a name outside ^[A-Za-z0-9_-]{1,64}$", () => {
    for (const name of ["has space", "dot.name", "", "x".repeat(65)]) {
      const error = expectRefused({ ...minimal, tools: [tool("ok"), tool(name)] }, "tools[1].function.name", "invalid_value");
      expect(error.message).toContain("64");
    }
    expect(parseChatCompletionRequest({ ...minimal, tools: [tool("x".repeat(64))] }).tools).toHaveLength(1);
    expectRefused({ ...minimal, tools: [tool(undefined)] }, "tools[0].function.name", "missing_required_parameter");
  });

  it("refuses parameters that are not an object, and a type other than function", () => {
    expectRefused({ ...minimal, tools: [tool("f", { parameters: [] })] }, "tools[0].function.parameters", "invalid_type");
    expectRefused({ ...minimal, tools: [tool("f", { parameters: "{}" })] }, "tools[0].function.parameters", "invalid_type");
    expectRefused({ ...minimal, tools: [{ type: "custom", function: { name: "f" } }] }, "tools[0].type", "invalid_value");
    expectRefused({ ...minimal, tools: {} }, "tools", "invalid_type");
  });

  it("accepts every tool_choice form; a named function need not be among tools", () => {
    for (const choice of ["auto", "none", "required", { type: "function", function: { name: "server__tool" } }]) {
      expect(parseChatCompletionRequest({ ...minimal, tool_choice: choice }).tool_choice).toStrictEqual(choice);
    }
  });

  it("refuses any other tool_choice", () => {
    expectRefused({ ...minimal, tool_choice: "always" }, "tool_choice", "invalid_value");
    expectRefused({ ...minimal, tool_choice: { type: "function", function: {} } }, "tool_choice.function.name", "missing_required_parameter");
    expectRefused({ ...minimal, tool_choice: { type: "function" } }, "tool_choice.function", "missing_required_parameter");
  });
});

describe("parseChatCompletionRequest: sampling and output", () => {
  it("accepts every field in range", () => {
    const body = {
      ...minimal,
      temperature: 2,
      top_p: 0,
      max_tokens: 10,
      max_completion_tokens: 20,
      stop: ["a", "b", "c", "d"],
      seed: -3,
      stream: true,
      stream_options: { include_usage: true },
      n: 1,
      mcp: { allowed_tools: ["fs__read_file"], approval: "deny" },
    };
    expect(parseChatCompletionRequest(body)).toStrictEqual(body);
    expect(parseChatCompletionRequest({ ...minimal, stop: "END" }).stop).toBe("END");
  });

  it.each([
    [{ temperature: -0.1 }, "temperature", "invalid_value"],
    [{ temperature: 2.5 }, "temperature", "invalid_value"],
    [{ temperature: "0.5" }, "temperature", "invalid_type"],
    [{ top_p: 1.01 }, "top_p", "invalid_value"],
    [{ top_p: -1 }, "top_p", "invalid_value"],
    [{ max_tokens: 0 }, "max_tokens", "invalid_value"],
    [{ max_tokens: 1.5 }, "max_tokens", "invalid_type"],
    [{ max_completion_tokens: -5 }, "max_completion_tokens", "invalid_value"],
    [{ stop: ["a", "b", "c", "d", "e"] }, "stop", "invalid_value"],
    [{ stop: 5 }, "stop", "invalid_value"],
    [{ stop: ["a", 5] }, "stop[1]", "invalid_type"],
    [{ seed: 0.5 }, "seed", "invalid_type"],
    [{ stream: "yes" }, "stream", "invalid_type"],
    [{ stream_options: { include_usage: 1 } }, "stream_options.include_usage", "invalid_type"],
    [{ n: 2 }, "n", "unsupported_value"],
    [{ n: 0 }, "n", "unsupported_value"],
    [{ mcp: { approval: "ask" } }, "mcp.approval", "invalid_value"],
    [{ mcp: { allowed_tools: "all" } }, "mcp.allowed_tools", "invalid_type"],
    [{ mcp: { allowed_tools: ["a", 1] } }, "mcp.allowed_tools[1]", "invalid_type"],
  ])("refuses %j with param %s", (fields, param, code) => {
    expectRefused({ ...minimal, ...fields }, param, code);
  });

  it("says that only one choice is supported", () => {
    expect(refused({ ...minimal, n: 3 }).message).toContain("only 1");
  });
});
