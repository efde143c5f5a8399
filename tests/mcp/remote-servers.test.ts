/**
 * Http and WebSocket servers at the pool level: bearer tokens from `${env:…}`, many
 * calls over one socket, a dropped socket reconnected with backoff, and an expired
 * Streamable HTTP session replaced by a fresh initialize.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHttpMcpServer } from "../fixtures/http-mcp-server.js";
import { startWebSocketMcpServer } from "../fixtures/websocket-mcp-server.js";
import { freePort } from "../fixtures/everything-server.js";
import { closeAllPools, eventually, resultText, startPool } from "./pool-helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await closeAllPools();
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe("WebSocket servers", () => {
  it("sends the bearer token from ${env:…} in the handshake and multiplexes 100 calls", async () => {
    const server = await startWebSocketMcpServer({ token: "ws-s3cret" });
    cleanups.push(server.close);
    const pool = await startPool(
      { max_concurrent_calls: 100, servers: [{ id: "ws", tool_prefix: "ws", source: { type: "WebSocket", url: server.url }, bearer_token: "${env:HEARTH_TEST_WS_TOKEN}" }] },
      { autoRestart: false, env: { HEARTH_TEST_WS_TOKEN: "ws-s3cret" } },
    );
    expect(pool.server("ws")!.state.status).toBe("running");
    expect(pool.server("ws")!.transportKind).toBe("websocket");
    const answers = await Promise.all(Array.from({ length: 100 }, (_, index) => pool.callTool("ws_echo", { message: `m${index}` })));
    expect(answers.map((answer) => resultText(answer.result))).toEqual(Array.from({ length: 100 }, (_, index) => `Echo: m${index}`));
    expect(server.connectionCount()).toBe(1);
  });

  it("names the server when its token is refused, and never shows the token", async () => {
    const server = await startWebSocketMcpServer({ token: "ws-s3cret" });
    cleanups.push(server.close);
    const pool = await startPool({ servers: [{ id: "ws", source: { type: "WebSocket", url: server.url }, bearer_token: "guess" }] });
    expect(pool.server("ws")!.state).toMatchObject({ status: "error", code: "auth_failed", retryable: false, message: expect.stringContaining('server "ws"') });
    expect(JSON.stringify(pool.server("ws")!.state)).not.toContain("guess");
  });

  it("fails the call in flight when the socket drops, then reconnects with backoff", async () => {
    const server = await startWebSocketMcpServer();
    cleanups.push(server.close);
    const pool = await startPool(
      { servers: [{ id: "ws", source: { type: "WebSocket", url: server.url } }] },
      { autoRestart: true, restartBackoff: { initialDelayMs: 100, jitter: 0 } },
    );
    const inFlight = pool.callTool("slow", { ms: 5000 });
    await eventually(() => server.connectionCount() === 1);
    server.dropAll();
    await expect(inFlight).rejects.toMatchObject({ code: "connection_closed", serverId: "ws" });
    await eventually(() => pool.server("ws")!.state.status === "running");
    expect(resultText((await pool.callTool("echo", { message: "back" })).result)).toBe("Echo: back");
  });
});

describe("Http servers", () => {
  it("re-initializes when the server answers 404 to an expired session, and the call succeeds", async () => {
    const server = await startHttpMcpServer({ token: "http-s3cret" });
    cleanups.push(server.close);
    const pool = await startPool({ servers: [{ id: "web", source: { type: "Http", url: server.url }, bearer_token: "http-s3cret" }] });
    expect(resultText((await pool.callTool("echo", { message: "one" })).result)).toBe("Echo: one");
    server.expireSessions();
    expect(resultText((await pool.callTool("echo", { message: "two" })).result)).toBe("Echo: two");
    expect(server.sessionsCreated()).toBe(2);
    expect(pool.server("web")!.state.status).toBe("running");
    // Stopping ends the session at the server (HTTP DELETE), not only the connection.
    expect(server.openSessions()).toBe(1);
    await pool.server("web")!.stop();
    expect(server.openSessions()).toBe(0);
  });

  it("sends the configured headers, and re-lists tools when the server says they changed", async () => {
    const server = await startHttpMcpServer();
    cleanups.push(server.close);
    const pool = await startPool({ servers: [{ id: "web", tool_prefix: "web", source: { type: "Http", url: server.url, headers: { "X-Team": "docs" } } }] });
    expect(server.lastHeaders()["x-team"]).toBe("docs");
    const changes: string[][] = [];
    pool.on("toolsChanged", (tools) => changes.push(tools.map((tool) => tool.name)));
    await pool.callTool("web_add_tool", { name: "fresh" });
    await eventually(() => pool.findTool("web_fresh") !== undefined);
    expect(changes.at(-1)).toEqual(["web_slow", "web_echo", "web_add_tool", "web_fresh"]);
    expect(resultText((await pool.callTool("web_fresh")).result)).toBe("added");
  });

  it("tells the server a timed-out call is cancelled", async () => {
    const server = await startHttpMcpServer();
    cleanups.push(server.close);
    const pool = await startPool({ servers: [{ id: "web", source: { type: "Http", url: server.url, timeout_secs: 1.5 } }] });
    await expect(pool.callTool("slow", { ms: 10_000 })).rejects.toMatchObject({ code: "tool_timeout", message: expect.stringContaining("within 1.5 s") });
    await eventually(() => server.cancelledCalls() === 1);
  });

  it("reports a server that is not listening as a retryable error", async () => {
    const port = await freePort();
    const pool = await startPool({ servers: [{ id: "down", source: { type: "Http", url: `http://127.0.0.1:${port}/mcp` } }] });
    expect(pool.server("down")!.state).toMatchObject({ status: "error", code: "connection_closed", retryable: true, message: expect.stringContaining('server "down"') });
  });

  it("says which variable is missing when ${env:…} cannot be resolved", async () => {
    const pool = await startPool(
      { servers: [{ id: "web", source: { type: "Http", url: "http://127.0.0.1:9/mcp" }, bearer_token: "${env:HEARTH_TEST_UNSET_TOKEN}" }] },
      { autoRestart: false, env: {} },
    );
    expect(pool.server("web")!.state).toMatchObject({ status: "error", code: "env_missing", retryable: false, message: expect.stringContaining("HEARTH_TEST_UNSET_TOKEN") });
  });
});
