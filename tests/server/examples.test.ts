/**
 * The examples of `hearth serve` run as their header comments say, against the real
 * server (the scripted model and the get_weather MCP server, see ./server-fixture.ts):
 * the OpenAI client in TypeScript, curl, the standard-library Python client, and the
 * example mcp-config.json files, which must pass Hearth's own validation.
 */
import { execFile, spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMcpConfigText } from "../../mcp/config/index.js";
import { startHearthServe, type RunningHearth } from "./server-fixture.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const QUESTION = "Weather in Paris?";
const SUNNY = "It's sunny in Paris.";

interface Run {
  code: number | string;
  stdout: string;
  stderr: string;
}

/** Runs `command` in the repository root with `env` added; never rejects (the exit code is in the result). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? error.signal ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What failed, for an assertion's message. */
const describeRun = (result: Run) => `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

/** The lines the TypeScript and Python clients print, whichever runs. */
function expectClientOutput(result: Run): void {
  expect(result.code, describeRun(result)).toBe(0);
  const lines = result.stdout.split("\n");
  expect(lines).toContain('tool: get_weather({"city":"Paris"})');
  expect(lines).toContain(`answer: ${SUNNY}`);
  expect(lines).toContain("streamed tool: get_weather");
  // The streamed text, on a line of its own (the non-streamed answer has its `answer: ` prefix).
  expect(lines).toContain(SUNNY);
  expect(result.stdout).toMatch(/^usage: \d+ \+ \d+ tokens$/m);
}

const python = spawnSync("python3", ["--version"]).error === undefined;

describe("the examples against hearth serve", () => {
  let server: RunningHearth;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startHearthServe();
    env = { HEARTH_URL: server.origin, HEARTH_API_KEY: "", HEARTH_MODEL: "" };
  }, 120_000);

  afterAll(async () => {
    if (server) expect(await server.close(), server.stderr()).toBe(0);
  }, 30_000);

  it("examples/openai-client.ts prints the tool call, the answer, the streamed text and the usage", async () => {
    expectClientOutput(await run(process.execPath, ["--import", "tsx", "examples/openai-client.ts", QUESTION], env));
  }, 120_000);

  it("examples/curl.sh prints the health, the completion and the stream", async () => {
    const result = await run("bash", ["examples/curl.sh", QUESTION], env);
    expect(result.code, describeRun(result)).toBe(0);
    const [before, health, completion, stream] = result.stdout.split(/^### .*$/m);
    expect(before!.trim()).toBe("");

    expect(JSON.parse(health!)).toMatchObject({ status: "ok" });

    const answer = JSON.parse(completion!);
    expect(answer.choices[0].message.content).toBe(SUNNY);
    expect(answer.choices[0].message.tool_calls[0].function.name).toBe("get_weather");
    expect(JSON.parse(answer.choices[0].message.tool_calls[0].function.arguments)).toEqual({ city: "Paris" });

    const events = stream!.split("\n").filter((line) => line.trim() !== "");
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(events.every((line) => line.startsWith("data: ")), stream).toBe(true);
    // The chunks before [DONE] carry the tool call and, put together, the answer.
    const chunks = events.slice(0, -1).map((line) => JSON.parse(line.slice("data: ".length)));
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta ?? {});
    expect(deltas.flatMap((delta) => delta.tool_calls ?? []).map((call) => call.function?.name)).toContain("get_weather");
    expect(deltas.map((delta) => delta.content ?? "").join("")).toBe(SUNNY);
  }, 120_000);

  it.skipIf(!python)(
    python ? "examples/python_client.py prints what the TypeScript client prints" : "examples/python_client.py (skipped: no python3 on PATH)",
    async () => {
      expectClientOutput(await run("python3", ["examples/python_client.py", QUESTION], env));
    },
    120_000,
  );
});

describe("the example MCP configs", () => {
  it.each([
    ["examples/mcp-config.stdio.json", ["Process", "Process"]],
    ["examples/mcp-config.http.json", ["Http"]],
    ["examples/mcp-config.websocket.json", ["WebSocket"]],
  ])("%s passes Hearth's validation", async (path, types) => {
    const result = parseMcpConfigText(await readFile(join(ROOT, path), "utf8"), path);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.config.servers.map((server) => server.source.type)).toEqual(types);
  });
});
