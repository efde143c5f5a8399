/**
 * `hearth chat --model FILE "question"` with the scripted model through real llama.cpp:
 * the answer is printed, with speed figures on stderr, as a user runs it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SCRIPTED_MODEL } from "../fixtures/models.js";

const bin = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));

function hearth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
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
