/**
 * `npm run bench -- <name> [options]`: runs one benchmark. Each benchmark prints a markdown
 * table with ratios against its baseline, measured in the same run, and writes JSON under
 * `bench/results/` (git-ignored). With no name, lists the benchmarks.
 *
 * To add a benchmark, add one line to `BENCHMARKS`: its module exports `run(args)`.
 */
import type { BenchmarkModule } from "./lib/benchmark.js";

const BENCHMARKS: Record<string, { summary: string; load: () => Promise<BenchmarkModule> }> = {
  mcp: { summary: "MCP tools/call round trip and server start: Hearth's pool vs the bare SDK client", load: () => import("./mcp.js") },
  turn: { summary: "One chat turn with one MCP tool call on a SmolLM2-135M-shaped model: time split (prompt, generation, tool, Hearth overhead) and tokens evaluated after the tool result", load: () => import("./turn.js") },
  server: { summary: "hearth serve's overhead: short completions with and without an MCP tool call, 1 and 8 clients, against the library API in-process", load: () => import("./server.js") },
  inference: { summary: "Local inference on a SmolLM2-135M-shaped model: Hearth's LocalChatRunner vs raw node-llama-cpp, follow-up cost, threads", load: () => import("./inference.js") },
};

function listing(): string {
  const width = Math.max(...Object.keys(BENCHMARKS).map((name) => name.length));
  const lines = Object.entries(BENCHMARKS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return ["Usage: npm run bench -- <name> [options]", "", "Benchmarks:", ...lines].join("\n");
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(listing());
    return;
  }
  const benchmark = BENCHMARKS[name];
  if (!benchmark) {
    console.error(`Unknown benchmark "${name}".\n\n${listing()}`);
    process.exitCode = 2;
    return;
  }
  const module = await benchmark.load();
  await module.run(args);
}

await main();
