/**
 * Servers that misbehave, side by side with one that works: each gives a clear error
 * within the timeout, the healthy server keeps working, and no process is left behind.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { McpConfigInput } from "../../mcp/config/schema.js";
import type { McpPool } from "../../mcp/pool/pool.js";
import { everythingProcessSource } from "../fixtures/everything-server.js";
import { startHttpMcpServer, type HttpMcpServer } from "../fixtures/http-mcp-server.js";
import { processMarker, waitForNoProcessesWith } from "../fixtures/processes.js";
import { closeAllPools, eventually, resultText, startPool } from "./pool-helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/servers/${name}`, import.meta.url));
const marker = processMarker();
const script = (name: string, ...args: string[]) => ({ type: "Process" as const, command: process.execPath, args: [fixture(name), ...args, marker] });

let protectedHttp: HttpMcpServer;
beforeAll(async () => {
  protectedHttp = await startHttpMcpServer({ token: "right-token" });
});
afterEach(closeAllPools);
afterAll(async () => {
  await protectedHttp.close();
});

function faultyConfig(): McpConfigInput {
  return {
    tool_timeout_secs: 4,
    servers: [
      { id: "good", source: everythingProcessSource(marker) },
      { id: "crashes", tool_prefix: "crashes", source: script("crash-mid-call.mjs") },
      { id: "hangs", source: script("hang.mjs") },
      { id: "hangs-on-call", tool_prefix: "slow", source: script("hang.mjs", "--hang-on-call") },
      { id: "banner", tool_prefix: "banner", source: script("garbage-stdout.mjs") },
      { id: "garbage", source: script("garbage-stdout.mjs", "--only-garbage") },
      { id: "missing", source: { type: "Process", command: "hearth-no-such-server", args: [marker] } },
      { id: "wrong-token", source: { type: "Http", url: protectedHttp.url }, bearer_token: "not-the-s3cret" },
    ],
  };
}

describe("faulty servers", () => {
  let pool: McpPool;
  beforeAll(async () => {
    const started = Date.now();
    // 8 s, not less: under CI's load (the other worker may be running a model) the healthy
    // servers' handshakes took over 2 s, and they must not fail with the hanging one.
    pool = await startPool(faultyConfig(), { autoRestart: false, connectTimeoutMs: 8000 }, []);
    // Everything settles within the connect limit (plus process start-up), not the 30 s default.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
  afterAll(async () => {
    await pool.close();
  });

  it("reports each failure as a state with a clear message, and the others run", () => {
    const state = (id: string) => pool.server(id)!.state;
    expect(state("good").status).toBe("running");
    expect(state("crashes").status).toBe("running");
    expect(state("banner").status).toBe("running");
    expect(state("hangs")).toMatchObject({ status: "error", code: "handshake_failed", retryable: true, message: expect.stringContaining("did not answer initialize within 8000 ms") });
    expect(state("garbage")).toMatchObject({ status: "error", code: "handshake_failed", message: expect.stringContaining("Server starting on stdio...") });
    expect(state("missing")).toMatchObject({ status: "error", code: "spawn_failed", retryable: false, message: expect.stringMatching(/command not found: "hearth-no-such-server".*PATH/s) });
    expect(state("wrong-token")).toMatchObject({ status: "error", code: "auth_failed", retryable: false, message: expect.stringContaining('server "wrong-token" answered 401') });
    // The token itself is never shown.
    expect(JSON.stringify(pool.servers().map((server) => [server.state, server.log.lines()]))).not.toContain("not-the-s3cret");
  });

  it("tolerates a banner on stdout and keeps it in the server's log", async () => {
    const outcome = await pool.callTool("banner_echo", { message: "hi" });
    expect(resultText(outcome.result)).toBe("Echo: hi");
    expect(pool.server("banner")!.log.lines()).toContain("[stdout] Server starting on stdio...");
  });

  it("times out a call that hangs, and the other servers answer meanwhile", async () => {
    const started = Date.now();
    const hanging = pool.callTool("slow_wait", {});
    const echo = await pool.callTool("echo", { message: "meanwhile" });
    expect(resultText(echo.result)).toBe("Echo: meanwhile");
    await expect(hanging).rejects.toMatchObject({ code: "tool_timeout", serverId: "hangs-on-call", message: expect.stringContaining("within 4 s") });
    expect(Date.now() - started).toBeLessThan(7000);
  });

  it("fails a call in flight at once when its server crashes, quoting the exit code and stderr", async () => {
    const started = Date.now();
    const error = await pool.callTool("crashes_crash", {}).catch((reason: unknown) => reason);
    // Well before the 4 s tool timeout: the crash itself fails the call.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ code: "connection_closed", serverId: "crashes" });
    expect((error as Error).message).toMatch(/code 3/);
    expect((error as Error).message).toContain("simulated crash");
    await eventually(() => pool.server("crashes")!.state.status === "error");
    expect(pool.server("crashes")!.state).toMatchObject({ retryable: true, stderr: expect.arrayContaining([expect.stringContaining("simulated crash")]) });
    expect(pool.findTool("crashes_ok")).toBeUndefined();
    expect(resultText((await pool.callTool("echo", { message: "still up" })).result)).toBe("Echo: still up");
  });

  it("leaves no process behind once the pool closes", async () => {
    await pool.close();
    expect(await waitForNoProcessesWith(marker, 8000)).toEqual([]);
  });
});

describe("restart after a crash", () => {
  it("comes back with backoff and serves calls again", async () => {
    const restartMarker = processMarker();
    const pool = await startPool(
      { servers: [{ id: "crashes", source: { ...script("crash-mid-call.mjs"), args: [fixture("crash-mid-call.mjs"), restartMarker] } }] },
      { autoRestart: true, restartBackoff: { initialDelayMs: 100, jitter: 0 } },
    );
    const statuses: string[] = [];
    pool.on("serverStateChanged", (_id, state) => statuses.push(state.status));
    await expect(pool.callTool("crash")).rejects.toMatchObject({ code: "connection_closed" });
    await eventually(() => pool.server("crashes")!.state.status === "running");
    expect(statuses).toEqual(["error", "starting", "running"]);
    expect(resultText((await pool.callTool("ok", { text: "back" })).result)).toBe("back");
    await pool.close();
    expect(await waitForNoProcessesWith(restartMarker)).toEqual([]);
  });
});
