/**
 * Child-process entry: runs the WebSocket MCP test fixture (tests/fixtures) on a free
 * loopback port, prints `{"url": …}` as one line on stdout, and stops when stdin ends or
 * on SIGTERM. A process of its own, so that the benchmark's client and the server do not
 * share one event loop, as with the other transports' servers.
 */
import { startWebSocketMcpServer } from "../../tests/fixtures/websocket-mcp-server.js";

const server = await startWebSocketMcpServer({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.stdin.on("end", () => void stop());
process.stdin.resume();
process.once("SIGTERM", () => void stop());
