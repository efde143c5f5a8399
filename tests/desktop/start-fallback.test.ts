// `npm start` (build/start.mjs) where Electron cannot start: no display here (and no
// Electron binary). It must say why in one line, start the same UI headless instead with
// the data folder's MCP config, print the address, serve it, and stop everything on
// Ctrl-C. Run as `node build/start.mjs`, which is what `npm start` runs.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processMarker, processesWith, waitForNoProcessesWith } from "../fixtures/processes.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let dataFolder: string;
let child: ChildProcess | undefined;
const marker = processMarker();

beforeAll(async () => {
  dataFolder = await mkdtemp(join(tmpdir(), "hearth-start-"));
  // The marker rides in the MCP server's arguments, and in the path of the config that
  // `hearth serve` is given, so every process `npm start` leads to can be found.
  const weather = weatherProcessSource();
  await writeFile(join(dataFolder, "mcp-config.json"), JSON.stringify({ servers: [{ id: "weather", source: { ...weather, args: [...weather.args, marker] } }] }));
});
afterAll(async () => {
  if (child?.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const pid of processesWith(marker)) process.kill(pid, "SIGKILL");
  for (const pid of processesWith(dataFolder)) process.kill(pid, "SIGKILL");
  await rm(dataFolder, { recursive: true, force: true });
});

/** Resolves to the first match of `pattern` in what `read()` returns, polling until `timeoutMs`. */
async function waitFor(read: () => string, pattern: RegExp, timeoutMs: number, isAlive: () => boolean): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = read().match(pattern);
    if (match) return match;
    if (!isAlive()) throw new Error(`npm start exited before printing ${pattern}:\n${read()}`);
    if (Date.now() > deadline) throw new Error(`npm start printed no ${pattern} within ${timeoutMs} ms:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("npm start without a display", () => {
  it("says why, serves the UI headless at the address it prints, and stops everything on Ctrl-C", async () => {
    const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...environment } = process.env;
    child = spawn(process.execPath, [join(ROOT, "build", "start.mjs"), "--", "--port", "0"], {
      cwd: ROOT,
      env: { ...environment, HEARTH_DATA_DIR: dataFolder },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.stderr!.setEncoding("utf8").on("data", (text: string) => (output += text));
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    const isAlive = () => child!.exitCode === null && child!.signalCode === null;

    // The renderer may need building first (vite, on a busy 2-core machine): be generous.
    const reason = await waitFor(() => output, /^hearth: Electron cannot start here: (.+)$/m, 240_000, isAlive);
    expect(reason[1]).toMatch(/no display/);
    expect(output).toMatch(/^hearth: starting the same UI headless instead \(hearth serve --ui\)/m);
    const address = await waitFor(() => output, /the UI is at (http:\/\/127\.0\.0\.1:\d+)\/#token=[\w-]+/, 120_000, isAlive);
    // The data folder's MCP config was given to `hearth serve`: its one server and tool are up.
    expect(output).toMatch(/1 MCP tool from 1 server/);
    expect(processesWith(`--mcp-config ${join(dataFolder, "mcp-config.json")}`)).toHaveLength(1);

    const origin = address[1]!;
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<div id="root">/);

    child.kill("SIGINT");
    const [code, signal] = await Promise.race([
      exited,
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`npm start did not exit within 60 s of SIGINT:\n${output}`)), 60_000)),
    ]);
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/hearth serve: stopping/);
    expect(await waitForNoProcessesWith(marker, 10_000)).toEqual([]);
    expect(await waitForNoProcessesWith(dataFolder, 10_000)).toEqual([]);
  }, 480_000);
});
