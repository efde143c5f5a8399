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
