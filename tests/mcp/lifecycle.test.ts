/**
 * Lifecycle: `start()` is idempotent, and applying a new config touches only the servers
 * whose definition changed; the others keep their process.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { McpConfigSchema } from "../../mcp/config/schema.js";
import { ServerConnection } from "../../mcp/connection/server-connection.js";
import { everythingProcessSource } from "../fixtures/everything-server.js";
import { processMarker, processesWith, waitForNoProcessesWith } from "../fixtures/processes.js";
import { closeAllPools, startPool } from "./pool-helpers.js";

afterEach(closeAllPools);

describe("server lifecycle", () => {
  it("starts once however often start() is called, and reports starting then running", async () => {
    const marker = processMarker();
    const [definition] = McpConfigSchema.parse({ servers: [{ id: "everything", source: everythingProcessSource(marker) }] }).servers;
    const connection = new ServerConnection({ definition: definition!, autoRestart: false });
    const statuses: string[] = [];
    connection.on("stateChanged", (state) => statuses.push(state.status));
    await Promise.all([connection.start(), connection.start(), connection.start()]);
    await connection.start();
    expect(statuses).toEqual(["starting", "running"]);
    expect(processesWith(marker)).toHaveLength(1);
    await connection.stop();
    expect(connection.state.status).toBe("stopped");
    expect(await waitForNoProcessesWith(marker)).toEqual([]);
  });

  it("applies a new config by starting, stopping and restarting only what changed", async () => {
    const [keep, edit, drop] = [processMarker(), processMarker(), processMarker()];
    const pool = await startPool({
      servers: [
        { id: "keep", source: everythingProcessSource(keep), tool_prefix: "keep" },
        { id: "edit", source: everythingProcessSource(edit), tool_prefix: "edit" },
        { id: "drop", source: everythingProcessSource(drop), tool_prefix: "drop" },
      ],
    });
    const keepPids = processesWith(keep);
    const editPids = processesWith(edit);
    const keepConnection = pool.server("keep");

    const added = processMarker();
    const diff = await pool.apply(
      McpConfigSchema.parse({
        servers: [
          { id: "keep", source: everythingProcessSource(keep), tool_prefix: "keep" },
          { id: "edit", source: everythingProcessSource(edit, "--changed"), tool_prefix: "edit" },
          { id: "drop", source: everythingProcessSource(drop), tool_prefix: "drop", enabled: false },
          { id: "new", source: everythingProcessSource(added), tool_prefix: "new" },
        ],
      }),
    );
    expect(diff).toMatchObject({ unchanged: ["keep"], removed: ["drop"] });
    expect(pool.server("keep")).toBe(keepConnection);
    expect(processesWith(keep)).toEqual(keepPids);
    expect(processesWith(edit)).not.toEqual(editPids);
    expect(await waitForNoProcessesWith(drop)).toEqual([]);
    expect(pool.servers().map((server) => [server.id, server.state.status])).toEqual([
      ["keep", "running"],
      ["edit", "running"],
      ["new", "running"],
    ]);
    const prefixes = new Set(pool.tools().map((tool) => tool.name.split("_")[0]));
    expect([...prefixes].sort()).toEqual(["edit", "keep", "new"]);
  });

  it("stops a server that hangs at initialize at once, without waiting for the handshake timeout", async () => {
    const marker = processMarker();
    const hang = fileURLToPath(new URL("../fixtures/servers/hang.mjs", import.meta.url));
    const [definition] = McpConfigSchema.parse({ servers: [{ id: "hangs", source: { type: "Process", command: process.execPath, args: [hang, marker] } }] }).servers;
    const connection = new ServerConnection({ definition: definition!, requestTimeoutMs: 60_000, autoRestart: false });
    const starting = connection.start();
    while (processesWith(marker).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = Date.now();
    await connection.stop();
    await starting;
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect(connection.state.status).toBe("stopped");
    expect(await waitForNoProcessesWith(marker)).toEqual([]);
  });
});
