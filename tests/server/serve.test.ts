// `hearth serve` as its users meet it: the real CLI in a child process (the scripted model
// through real llama.cpp, the get_weather MCP server over stdio), called with the official
// `openai` npm client, streamed and not, and with plain fetch where a client would not go.
import { execFile } from "node:child_process";
import { request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL_ID, startHearthServe, type RunningHearth } from "./server-fixture.js";

const SUNNY = "It's sunny in Paris.";
const ask = [{ role: "user" as const, content: "What's the weather in Paris?" }];
const BIN = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));

type HearthMessage = OpenAI.Chat.ChatCompletionMessage & { mcp_tool_results?: Array<{ tool_call_id: string; server: string; status: string; content: string }> };

describe("hearth serve with the weather server", () => {
  let server: RunningHearth;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startHearthServe();
    client = new OpenAI({ baseURL: server.baseUrl, apiKey: "not-needed", maxRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    expect(await server?.close()).toBe(0);
  }, 30_000);

  it("lists its model", async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual([SCRIPTED_MODEL_ID]);
  });

  it("runs the MCP tool itself and answers, listing the calls that ran", async () => {
    const completion = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: ask });
    const [choice] = completion.choices;
    const message = choice!.message as HearthMessage;
    expect(message.content).toBe(SUNNY);
    expect(choice!.finish_reason).toBe("stop");
    expect(message.tool_calls).toEqual([{ id: expect.stringMatching(/^call_/), type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    expect(message.mcp_tool_results).toEqual([{ tool_call_id: message.tool_calls![0]!.id, server: "weather", status: "ok", content: "sunny, 24 °C in Paris" }]);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
  }, 60_000);

  it("streams the same answer, with the call as chunks and usage at the end", async () => {
    const stream = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: ask, stream: true, stream_options: { include_usage: true } });
    let text = "";
    const calls: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) calls.push(`${call.function?.name}(${call.function?.arguments})`);
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(SUNNY);
    expect(calls).toEqual(['get_weather({"city":"Paris"})']);
    expect(finish).toBe("stop");
    expect(usage!.completion_tokens).toBeGreaterThan(0);

    const final = await client.chat.completions.stream({ model: SCRIPTED_MODEL_ID, messages: ask }).finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(SUNNY);
    expect(final.choices[0]!.message.tool_calls?.map((call) => call.type === "function" && call.function.name)).toEqual(["get_weather"]);
  }, 60_000);

  it("returns the client's own tool calls unrun, OpenAI-style", async () => {
    const completion = await client.chat.completions.create({
      model: SCRIPTED_MODEL_ID,
      messages: ask,
      tools: [{ type: "function", function: { name: "lookup_city", description: "Look a city up", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }],
      mcp: { allowed_tools: [] },
    } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    const message = completion.choices[0]!.message as HearthMessage;
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    expect(message.tool_calls?.map((call) => call.type === "function" && call.function.name)).toEqual(["lookup_city"]);
    expect(message.mcp_tool_results).toBeUndefined();
  }, 60_000);

  it('denies calls that need approval when the request says mcp.approval "deny"', async () => {
    const completion = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: ask, mcp: { approval: "deny" } } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    expect((completion.choices[0]!.message as HearthMessage).mcp_tool_results?.[0]).toMatchObject({ server: "weather", status: "denied" });
  }, 60_000);

  it("answers errors in OpenAI's shape with the right status", async () => {
    const unknown = await client.chat.completions.create({ model: "gpt-9", messages: ask }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: "model_not_found" });

    const missing = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID } as never).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing).toMatchObject({ status: 400, param: "messages", type: "invalid_request_error" });

    const long = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: [{ role: "user", content: "word ".repeat(3000) }] }).catch((error: unknown) => error);
    expect(long).toBeInstanceOf(OpenAI.BadRequestError);
    expect(long).toMatchObject({ status: 400, code: "context_length_exceeded" });

    const badJson = await fetch(`${server.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_json" } });

    // The server answers 413 from the Content-Length alone, before reading any of the body.
    // The client sends the headers and waits for that answer: writing the 9 MiB anyway would
    // race the server's close, and a reset can drop the answer before the client reads it.
    const huge = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        `${server.baseUrl}/chat/completions`,
        { method: "POST", headers: { "content-type": "application/json", "content-length": String(9 * 1024 * 1024) } },
        (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (text: string) => (body += text));
          response.on("end", () => {
            resolve({ status: response.statusCode!, body });
            request.destroy();
          });
        },
      );
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: "request_too_large" } });

    const nowhere = await fetch(`${server.baseUrl}/embeddings`, { method: "POST" });
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ error: { type: "not_found_error" } });
  }, 60_000);

  it("refuses requests whose Host or Origin is not this server (DNS rebinding)", async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        httpRequest(`${server.origin}/v1/models`, { headers }, (response) => {
          response.resume();
          resolve(response.statusCode!);
        })
          .on("error", reject)
          .end();
      });
    expect(await status({ host: "evil.example:1234" })).toBe(403);
    expect(await status({ origin: "http://evil.example" })).toBe(403);
    expect(await status({ origin: server.origin })).toBe(200);
  });

  it("reports its model, queue and MCP servers in /health, and counts in /metrics", async () => {
    const health = await (await fetch(`${server.origin}/health`)).json();
    expect(health).toMatchObject({ status: "ok", model: { id: SCRIPTED_MODEL_ID, state: "loaded" }, queue: { capacity: 1, waiting: 0 }, mcp: [{ id: "weather", status: "running", tools: 1 }] });
    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    expect(metrics).toMatch(/hearth_tool_calls_total\{server="weather",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/hearth_requests_total\{route="\/v1\/chat\/completions",status="200"\} [1-9]/);
    expect(metrics).toMatch(/hearth_tokens_total\{kind="completion"\} [1-9]/);
  });

  it("queues concurrent requests for its one slot and serves them all", async () => {
    const answers = await Promise.all([1, 2, 3].map(() => client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: ask })));
    expect(answers.map((answer) => answer.choices[0]!.message.content)).toEqual([SUNNY, SUNNY, SUNNY]);
  }, 90_000);
});

describe("hearth serve when things go wrong", () => {
  it("completes the turn when the tool server crashes, reporting the failed call", async () => {
    const server = await startHearthServe({ weather: { mode: "crash" } });
    try {
      const client = new OpenAI({ baseURL: server.baseUrl, apiKey: "x", maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: ask });
      const message = completion.choices[0]!.message as HearthMessage;
      expect(message.mcp_tool_results?.[0]).toMatchObject({ server: "weather", status: "error" });
      expect(message.content).toBe(SUNNY);
    } finally {
      expect(await server.close()).toBe(0);
    }
  }, 120_000);

  it("aborts the turn of a client that disconnects, freeing the model for the next", async () => {
    const server = await startHearthServe({ weather: { mode: "slow", delayMs: 30_000 } });
    try {
      const controller = new AbortController();
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: SCRIPTED_MODEL_ID, messages: ask, stream: true }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let seen = "";
      while (!seen.includes("tool_calls")) seen += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      const started = performance.now();
      for (;;) {
        const health = (await (await fetch(`${server.origin}/health`)).json()) as { queue: { running: number } };
        if (health.queue.running === 0) break;
        expect(performance.now() - started).toBeLessThan(15_000);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      expect(await server.close()).toBe(0);
    }
  }, 120_000);

  it("on SIGTERM stops accepting, lets the turn in flight finish, and exits 0", async () => {
    const server = await startHearthServe({ weather: { mode: "slow", delayMs: 3_000 } });
    try {
      const client = new OpenAI({ baseURL: server.baseUrl, apiKey: "x", maxRetries: 0 });
      const answer = client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: ask });
      for (;;) {
        const health = (await (await fetch(`${server.origin}/health`)).json()) as { queue: { running: number } };
        if (health.queue.running === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const exited = new Promise<number | null>((resolve) => server.process.child.once("exit", (code) => resolve(code)));
      server.process.child.kill("SIGTERM");
      expect((await answer).choices[0]!.message.content).toBe(SUNNY);
      expect(await exited).toBe(0);
      expect(server.stderr()).toContain("stopping (1 turn in flight)");
      await expect(fetch(`${server.origin}/health`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  }, 120_000);

  it("requires the API key when it has one", async () => {
    const server = await startHearthServe({ args: ["--approve", "auto", "--api-key", "s3cret"] });
    try {
      const anonymous = await new OpenAI({ baseURL: server.baseUrl, apiKey: "wrong", maxRetries: 0 }).models.list().catch((error: unknown) => error);
      expect(anonymous).toBeInstanceOf(OpenAI.AuthenticationError);
      const models = await new OpenAI({ baseURL: server.baseUrl, apiKey: "s3cret", maxRetries: 0 }).models.list();
      expect(models.data).toHaveLength(1);
      expect(server.stderr()).not.toContain("s3cret");
    } finally {
      expect(await server.close()).toBe(0);
    }
  }, 120_000);

  it("refuses to listen beyond loopback without a key, and says how to give a model", async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(process.execPath, [BIN, "serve", ...args], { timeout: 60_000, env: { ...process.env, HEARTH_DATA_DIR: "/nonexistent-hearth-data", HEARTH_API_KEY: "" } }, (error, _out, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
        ),
      );
    const open = await run("--host", "0.0.0.0", "--model", "x.gguf");
    expect(open.code).toBe(2);
    expect(open.stderr).toContain("refusing to listen on 0.0.0.0 without an API key");
    const noModel = await run("--port", "0");
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toContain("hearth serve needs a model");
    expect(noModel.stderr).toContain("--remote-url URL --remote-model NAME");
  }, 60_000);
});
