/**
 * What the client declares and surfaces beyond tool calls, against server-everything over
 * stdio: roots only when the host supplies them, server log messages, and updates of the
 * resources matched by a server's `resources` patterns.
 */
import { afterEach, describe, expect, it } from "vitest";
import { everythingProcessSource } from "../fixtures/everything-server.js";
import { closeAllPools, eventually, resultText, startPool } from "./pool-helpers.js";

afterEach(closeAllPools);

describe("client capabilities", () => {
  it("declares roots only when the host supplies them, and answers roots/list", async () => {
    const without = await startPool({ servers: [{ id: "everything", source: everythingProcessSource() }] });
    expect(without.findTool("get-roots-list")).toBeUndefined();

    const withRoots = await startPool({ servers: [{ id: "everything", source: everythingProcessSource() }] }, {
      autoRestart: false,
      host: { roots: () => [{ uri: "file:///home/someone/project", name: "project" }] },
    });
    expect(withRoots.findTool("get-roots-list")).toBeDefined();
    const outcome = await withRoots.callTool("get-roots-list");
    expect(resultText(outcome.result)).toContain("file:///home/someone/project");
  });

  it("routes sampling and elicitation requests to the host's callbacks", async () => {
    const asked: string[] = [];
    const pool = await startPool({ servers: [{ id: "everything", source: everythingProcessSource() }] }, {
      autoRestart: false,
      host: {
        sampling: async (params, context) => {
          asked.push(`sampling from ${context.serverId}`);
          const first = params.messages[0]!.content;
          const prompt = "text" in first ? first.text : "";
          return { role: "assistant", model: "hearth-test", content: { type: "text", text: `answer to: ${prompt}` } };
        },
        elicitation: async (params) => {
          asked.push(`elicitation: ${params.message}`);
          return { action: "decline" };
        },
      },
    });
    const sampled = await pool.callTool("trigger-sampling-request", { prompt: "what is 2+2?" });
    expect(resultText(sampled.result)).toContain("answer to: Resource trigger-sampling-request context: what is 2+2?");
    const elicited = await pool.callTool("trigger-elicitation-request");
    expect(resultText(elicited.result)).toContain("User declined");
    expect(asked).toEqual(["sampling from everything", expect.stringMatching(/^elicitation: /)]);
  });

  it("puts notifications/message in the server's log and surfaces subscribed resource updates", async () => {
    const pool = await startPool({
      servers: [{ id: "everything", source: everythingProcessSource(), resources: ["demo://resource/static/**"] }],
    });
    const logLines: string[] = [];
    const updated: string[] = [];
    pool.on("serverLog", (serverId, line) => serverId === "everything" && logLines.push(line));
    pool.on("resourceUpdated", (_serverId, uri) => updated.push(uri));
    await pool.callTool("toggle-simulated-logging");
    await pool.callTool("toggle-subscriber-updates");
    // server-everything sends both every 5 seconds.
    await eventually(() => logLines.some((line) => /^\[(debug|info|notice|warning|error|critical|alert|emergency)\]/.test(line)) && updated.length > 0, 12_000);
    expect(updated.every((uri) => uri.startsWith("demo://resource/static/"))).toBe(true);
    expect(pool.server("everything")!.log.lines()).toEqual(expect.arrayContaining([logLines.find((line) => line.startsWith("["))]));
  }, 20_000);
});
