// "Test connection" and launch diagnostics: a definition is tried without being saved
// and without touching running servers; a command that cannot be found is explained
// with the PATH folders searched and where that PATH came from.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { diagnoseLaunch, resolveCommand } from "../../app/mcp-config/launch-diagnostics.js";
import { clearLoginShellPathCache } from "../../mcp/transports/login-shell-path.js";
import { everythingProcessSource } from "../fixtures/everything-server.js";
import { WEATHER_SERVER, weatherProcessSource } from "../fixtures/weather-server.js";
import { PageWorld } from "./page-fixture.js";

const posix = process.platform !== "win32";
let world: PageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("mcp.testServer", () => {
  it("lists the tools of an unsaved server and saves nothing", async () => {
    world = await PageWorld.start();
    const result = await world.invoke("mcp.testServer", { definition: { id: "everything", source: everythingProcessSource() } });
    expect(result.ok).toBe(true);
    expect(result.ok && result.tools.map((tool) => tool.name)).toContain("echo");
    expect(await world.fileText()).toBe("");
    expect(world.pool.server("everything")).toBeUndefined();
  });

  it("leaves a running server of the same id alone", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "weather", source: weatherProcessSource() } });
    const running = world.pool.server("weather")!;
    const since = running.state.status === "running" ? running.state.since : 0;
    const result = await world.invoke("mcp.testServer", { definition: { id: "weather", source: weatherProcessSource({ mode: "error" }) } });
    expect(result.ok).toBe(true);
    expect(world.pool.server("weather")).toBe(running);
    expect(running.state).toEqual({ status: "running", since });
  });

  it("explains a command that is not found: the PATH folders searched and where PATH came from", async () => {
    world = await PageWorld.start();
    const result = await world.invoke("mcp.testServer", { definition: { id: "broken", source: { type: "Process", command: "hearth-no-such-command", args: ["--x"] } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain("hearth-no-such-command");
    const folders = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
    expect(result.launch).toMatchObject({ command: "hearth-no-such-command", args: ["--x"], workDir: process.cwd(), path: folders, pathSource: "process" });
    expect(result.launch!.resolved).toBeUndefined();
    expect(result.launch!.message).toContain(`not found in any of the ${folders.length} PATH folders`);
    expect(result.launch!.message).toContain(folders[0]!);
  });

  it("reports the stderr of a server that crashes at start", async () => {
    world = await PageWorld.start();
    const script = "process.stderr.write('boom: missing API key\\n'); process.exit(2)";
    const result = await world.invoke("mcp.testServer", { definition: { id: "crash", source: { type: "Process", command: process.execPath, args: ["-e", script] } } });
    expect(result).toMatchObject({ ok: false, stderr: ["boom: missing API key"] });
    expect(!result.ok && result.launch?.resolved).toBe(process.execPath);
  });

  it("refuses an invalid definition naming the field", async () => {
    world = await PageWorld.start();
    const failure = await world.failure("mcp.testServer", { definition: { id: "x", source: { type: "WebSocket", url: "http://nope" } } });
    expect(failure.code).toBe("config_invalid");
    expect(failure.message).toContain("source.url");
  });
});

describe("mcp.diagnoseServer", () => {
  it("diagnoses a saved Process server, and refuses unknown and URL servers", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "weather", source: weatherProcessSource() } });
    await world.invoke("mcp.saveServer", { definition: { id: "remote", enabled: false, source: { type: "Http", url: "http://127.0.0.1:9/mcp" } } });
    const found = await world.invoke("mcp.diagnoseServer", { id: "weather" });
    expect(found).toMatchObject({ command: process.execPath, resolved: process.execPath, pathSource: "process" });
    expect((await world.failure("mcp.diagnoseServer", { id: "nope" })).code).toBe("not_found");
    expect((await world.failure("mcp.diagnoseServer", { id: "remote" })).code).toBe("not_process");
  });

  it("uses the pool's login-shell PATH when it has one", async () => {
    world = await PageWorld.start({ pool: { processSearchPath: ["/login/one", "/login/two"].join(delimiter) } });
    await world.invoke("mcp.saveServer", { definition: { id: "gone", enabled: false, source: { type: "Process", command: "hearth-gone" } } });
    const diagnosis = await world.invoke("mcp.diagnoseServer", { id: "gone" });
    expect(diagnosis).toMatchObject({ path: ["/login/one", "/login/two"], pathSource: "login-shell" });
    expect(diagnosis.message).toContain("from your login shell");
  });
});

describe.runIf(posix)("launch diagnostics with a login shell", () => {
  it("says when the login shell's PATH has a command that Hearth's own PATH lacks", async () => {
    world = await PageWorld.start();
    const bin = join(world.folder, "shell-bin");
    await mkdir(bin);
    await writeFile(join(bin, "my-server"), "#!/bin/sh\nexit 0\n");
    await chmod(join(bin, "my-server"), 0o755);
    const shell = join(world.folder, "fake-shell");
    await writeFile(shell, `#!/bin/sh\necho "banner"\nPATH="${bin}:/usr/bin"\neval "$2"\n`);
    await chmod(shell, 0o755);
    clearLoginShellPathCache();
    const diagnosis = await diagnoseLaunch({ type: "Process", command: "my-server", args: [], env: {} }, { env: { PATH: "/usr/bin", SHELL: shell } });
    expect(diagnosis).toMatchObject({ path: ["/usr/bin"], pathSource: "process" });
    expect(diagnosis.message).toContain(`Your login shell finds it at ${join(bin, "my-server")}`);
  });

  it("the pool spawns Process servers with its processSearchPath (opt-in), and without it does not find them", async () => {
    const bin = await mkdtemp(join(tmpdir(), "hearth-login-bin-"));
    await writeFile(join(bin, "my-weather"), `#!/bin/sh\nexec "${process.execPath}" "${WEATHER_SERVER}"\n`);
    await chmod(join(bin, "my-weather"), 0o755);
    const definition = { id: "weather", source: { type: "Process", command: "my-weather" } };
    const plain = await PageWorld.start();
    try {
      world = await PageWorld.start({ pool: { processSearchPath: `${bin}:/usr/bin:/bin` } });
      await world.invoke("mcp.saveServer", { definition });
      expect(world.pool.server("weather")?.state.status).toBe("running");
      await plain.invoke("mcp.saveServer", { definition });
      expect(plain.pool.server("weather")?.state).toMatchObject({ status: "error", code: "spawn_failed" });
    } finally {
      await plain.close();
      await rm(bin, { recursive: true, force: true });
    }
  });

  it("resolves a relative command against the working folder, and skips files that are not executable", async () => {
    world = await PageWorld.start();
    await writeFile(join(world.folder, "plain"), "not executable");
    await writeFile(join(world.folder, "tool"), "#!/bin/sh\n");
    await chmod(join(world.folder, "tool"), 0o755);
    expect(resolveCommand("./tool", { folders: [], workDir: world.folder })).toBe(join(world.folder, "tool"));
    expect(resolveCommand("plain", { folders: [world.folder], workDir: "/" })).toBeUndefined();
    expect(resolveCommand("tool", { folders: ["/nowhere", world.folder], workDir: "/" })).toBe(join(world.folder, "tool"));
  });
});

describe("resolveCommand on Windows", () => {
  it("tries each PATHEXT extension", () => {
    // Only the lookup rule is checked here: the folder is this test's own.
    expect(resolveCommand("node", { folders: [join(process.execPath, "..")], workDir: "/", platform: "win32", pathext: ".CMD;.EXE" })).toBe(
      process.platform === "win32" ? process.execPath : join(process.execPath, "..", "node"),
    );
  });
});
