/** The WebSocket MCP test fixture, run in a child process (see websocket-fixture-server.ts). */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startServerProcess, type ServerProcess } from "../../tests/fixtures/child-processes.js";

const ENTRY = fileURLToPath(new URL("./websocket-fixture-server.ts", import.meta.url));

/** A running fixture. */
export interface WebSocketFixture {
  /** `ws://127.0.0.1:<port>/mcp` */
  url: string;
  process: ServerProcess;
  stop(): Promise<void>;
}

/** Starts the fixture under tsx and resolves with its URL once it listens. */
export async function startWebSocketFixture(timeoutMs = 20_000): Promise<WebSocketFixture> {
  const server = startServerProcess(process.execPath, ["--import", import.meta.resolve("tsx"), ENTRY], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines = createInterface({ input: server.child.stdout! });
  const timer = setTimeout(() => void server.stop(), timeoutMs);
  try {
    const [line] = (await Promise.race([once(lines, "line"), once(server.child, "exit")])) as [unknown];
    if (typeof line !== "string") throw new Error("it exited before printing its URL");
    const { url } = JSON.parse(line) as { url: string };
    return {
      url,
      process: server,
      stop: async () => {
        server.child.stdin?.end();
        await server.stop(2_000);
      },
    };
  } catch (error) {
    await server.stop();
    throw new Error(`the WebSocket fixture did not start: ${String(error)}\n${server.stderrTail()}`, { cause: error });
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
