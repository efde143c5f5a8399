/**
 * `hearth chat --model FILE "question"` with the scripted model through real llama.cpp:
 * the answer is printed, with speed figures on stderr, as a user runs it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL } from "../fixtures/models.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";

const bin = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));

function hearth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return hearthWithInput(undefined, ...args);
}

/** Runs the CLI with `input` on its stdin (a pipe, not a terminal). */
function hearthWithInput(input: string | undefined, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? "");
  });
}

describe("hearth chat", () => {
  it("prints the model's answer and its speed", async () => {
    const { code, stdout, stderr } = await hearth("chat", "--model", SCRIPTED_MODEL, "--temperature", "0", "What is the capital of France?");
    expect(code).toBe(0);
    expect(stdout).toBe("The capital of France is Paris.\n");
    expect(stderr).toMatch(/\[\d+ tokens, [\d.]+ tokens\/s, first token after \d+ ms; cpu, [12] threads\]/);
  }, 90_000);

  it("names a missing model file and exits 1", async () => {
    const { code, stderr } = await hearth("chat", "--model", "/nowhere/model.gguf", "hi");
    expect(code).toBe(1);
    expect(stderr).toContain("[model_not_found]");
    expect(stderr).toContain("/nowhere/model.gguf");
  }, 90_000);

  it("refuses a bad option value with exit code 2", async () => {
    const { code, stderr } = await hearth("chat", "--model", SCRIPTED_MODEL, "--max-tokens", "many", "hi");
    expect(code).toBe(2);
    expect(stderr).toContain('--max-tokens must be a whole number, not "many"');
  }, 90_000);
});

describe("hearth chat --mcp-config", () => {
  let folder: string;
  let config: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-chat-cli-"));
    config = join(folder, "mcp-config.json");
    await writeFile(config, JSON.stringify({ servers: [{ id: "weather", source: weatherProcessSource() }] }));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const chat = (...args: string[]) => ["chat", "--model", SCRIPTED_MODEL, "--temperature", "0", "--context-size", "2048", "--mcp-config", config, ...args];

  it("--approve auto: prints the call and its result as they happen, then the answer", async () => {
    const { code, stdout, stderr } = await hearth(...chat("--approve", "auto", "Weather in Paris?"));
    expect(stderr).toContain('→ get_weather({"city":"Paris"}) on weather');
    expect(stderr).toMatch(/← ok in \d+ ms: sunny, 24 °C in Paris/);
    expect(stderr).toMatch(/; 1 tool call\]/);
    expect(stdout).toBe("It's sunny in Paris.\n");
    expect(code).toBe(0);
  }, 90_000);

  it("denies calls that need approval when not on a terminal", async () => {
    const { code, stderr } = await hearth(...chat("Weather?"));
    expect(stderr).toMatch(/← denied in \d+ ms: No one could approve this call of get_weather/);
    expect(code).toBe(0);
  }, 90_000);

  it("--approve ask reads the answer from stdin", async () => {
    const yes = await hearthWithInput("y\n", ...chat("--approve", "ask", "Weather?"));
    expect(yes.stderr).toContain('Allow get_weather on weather with {"city":"Paris"}? [y]es, [n]o');
    expect(yes.stderr).toMatch(/← ok in/);
    const no = await hearthWithInput("n\n", ...chat("--approve", "ask", "Weather?"));
    expect(no.stderr).toMatch(/← denied in \d+ ms: The user denied/);
  }, 120_000);

  it("refuses a bad --approve and an invalid config with exit code 2", async () => {
    const approve = await hearth(...chat("--approve", "sometimes", "hi"));
    expect(approve.code).toBe(2);
    expect(approve.stderr).toContain('--approve must be ask, auto or deny, not "sometimes"');
    const bad = join(folder, "bad.json");
    await writeFile(bad, JSON.stringify({ servers: [{ id: "web", source: { type: "Http", url: "nope" } }] }));
    const invalid = await hearth("chat", "--model", SCRIPTED_MODEL, "--mcp-config", bad, "hi");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("servers[0].source.url");
  }, 90_000);
});
