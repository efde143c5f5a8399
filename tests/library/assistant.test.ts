// The library API as a TypeScript user meets it: createAssistant(...).withMcpClient(...)
// .build(), on the scripted model and the weather MCP server, and the README's example
// run as a user runs it.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigInvalidError, createAssistant, type Assistant, type TurnEvent } from "hearth";
import { SCRIPTED_MODEL } from "../fixtures/models.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";

const SUNNY = "It's sunny in Paris.";
const config = { servers: [{ id: "weather", source: weatherProcessSource() }] };

describe("createAssistant", () => {
  let assistant: Assistant;
  beforeAll(async () => {
    assistant = await createAssistant({ model: SCRIPTED_MODEL, contextSize: 2048, sampling: { temperature: 0 } })
      .withMcpClient(config)
      .withApprovals("auto")
      .build();
  }, 60_000);
  afterAll(() => assistant?.close());

  it("answers through the MCP tool, returning the final message with its tool_calls", async () => {
    const events: TurnEvent[] = [];
    const reply = await assistant.send("What's the weather in Paris?", { onEvent: (event) => events.push(event) });
    expect(reply).toMatchObject({ role: "assistant", content: SUNNY, stopReason: "stop" });
    expect(reply.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        record: expect.objectContaining({ serverId: "weather", status: "ok" }),
      },
    ]);
    expect(events.map((event) => event.type)).toContain("toolCallFinished");
    expect(assistant.description).toBe("local: scripted-toolcall.gguf");
  }, 60_000);

  it("continues a conversation whose history the caller keeps", async () => {
    const first = await assistant.send("Weather?");
    const second = await assistant.send([{ role: "user", content: "Weather?" }, ...first.messages, { role: "user", content: "Tomorrow?" }]);
    expect(second.content).toBe(SUNNY);
    expect(second.tool_calls).toEqual([]);
    expect(second.usage.evaluatedPromptTokens).toBeLessThan(second.usage.promptTokens / 5);
  }, 60_000);

  it("denies calls that need approval unless told otherwise", async () => {
    const strict = await createAssistant({ model: SCRIPTED_MODEL, contextSize: 2048, sampling: { temperature: 0 } }).withMcpClient(config).build();
    try {
      const reply = await strict.send("Weather?");
      expect(reply.tool_calls[0]!.record.status).toBe("denied");
    } finally {
      await strict.close();
    }
  }, 60_000);

  it("refuses an invalid config object, naming each problem's path", () => {
    const build = () => createAssistant({ model: SCRIPTED_MODEL }).withMcpClient({ servers: [{ id: "web", source: { type: "Http", url: "not a url" } }] } as never);
    expect(build).toThrow(ConfigInvalidError);
    expect(build).toThrow(/servers\[0\]\.source\.url/);
  });
});

describe("examples/library/ask.ts", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-example-"));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("runs as the README says, printing the tool call and the answer", async () => {
    const configPath = join(folder, "mcp-config.json");
    await writeFile(configPath, JSON.stringify(config));
    const example = fileURLToPath(new URL("../../examples/library/ask.ts", import.meta.url));
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", example, SCRIPTED_MODEL, configPath, "Weather in Paris?"], { timeout: 90_000 }, (error, out, err) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(stderr).toContain("calling get_weather on weather");
    expect(stdout).toBe(`tool get_weather({"city":"Paris"}): ok\n${SUNNY}\n`);
    expect(code).toBe(0);
  }, 90_000);
});
