import { describe, expect, it } from "vitest";
import type { ServerSummary } from "../../../app/contract/channels.js";
import type { ServerEntry, ServerTool } from "../../../app/contract/mcp-channels.js";
import { BridgeClientError } from "../bridge/types.js";
import { fakeClient, type FakeHandlers } from "./fake-client.js";
import { upsertEntry } from "./mcp-page-slice.js";
import { createHearthStore } from "./store.js";

const entry = (id: string, extra: Partial<ServerEntry["definition"]> = {}): ServerEntry => ({ definition: { id, source: { type: "Process", command: "node", args: ["server.mjs"], env: {} }, enabled: true, resources: [], ...extra }, bearerToken: "not set" });
const summary = (id: string, status: ServerSummary["status"] = "running"): ServerSummary => ({ id, transport: "Process", enabled: true, status, tools: 1 });
const tool = (name: string, extra: Partial<ServerTool> = {}): ServerTool => ({ name, exposedName: `w_${name}`, inputSchema: { type: "object" }, enabled: true, policy: "ask", policySource: "annotations", ...extra });
const SETTINGS = { auto_register_tools: true, tool_timeout_secs: 30, max_concurrent_calls: 10 };

function setup(handlers: FakeHandlers = {}) {
  let entries = [entry("weather")];
  const fake = fakeClient({
    "mcp.getConfig": () => ({ path: "/data/mcp-config.json", servers: entries, settings: SETTINGS, text: JSON.stringify({ servers: entries.map((item) => item.definition) }) }),
    "mcp.listServers": () => entries.map((item) => summary(item.definition.id)),
    "mcp.saveServer": (input) => {
      const saved = { definition: input.definition as ServerEntry["definition"], bearerToken: input.bearerToken === undefined || input.bearerToken === null ? ("not set" as const) : ("set" as const) };
      entries = upsertEntry(entries, saved, input.previousId);
      return saved;
    },
    "mcp.removeServer": ({ id }) => {
      entries = entries.filter((item) => item.definition.id !== id);
      return { removed: true };
    },
    ...handlers,
  });
  const store = createHearthStore(fake.client);
  return { ...fake, store };
}

describe("the MCP servers page's slice", () => {
  it("loads the config and the servers' live states", async () => {
    const { store } = setup();
    await store.getState().loadMcpPage();
    expect(store.getState()).toMatchObject({ mcpPageLoaded: true, mcpConfigPath: "/data/mcp-config.json", mcpEntries: [entry("weather")], mcpSettings: SETTINGS, servers: [summary("weather")] });
    expect(store.getState().mcpConfigText).toContain('"weather"');
  });

  it("says why the page could not load instead of throwing", async () => {
    const { store } = setup({
      "mcp.getConfig": () => {
        throw new BridgeClientError("not_implemented", "not built yet");
      },
    });
    await store.getState().loadMcpPage();
    expect(store.getState()).toMatchObject({ mcpPageLoaded: false, mcpPageError: "not built yet" });
  });

  it("saves a new server, and a renamed one in place of the old, sending the token change only when there is one", async () => {
    const { store, calls } = setup();
    await store.getState().loadMcpPage();
    const definition = { id: "files", source: { type: "Http", url: "http://127.0.0.1:9/mcp" } };
    expect(await store.getState().saveServer(definition, "secret")).toMatchObject({ ok: true, entry: { bearerToken: "set" } });
    expect(calls.find((call) => call.channel === "mcp.saveServer")?.input).toEqual({ definition, bearerToken: "secret" });
    expect(store.getState().mcpEntries.map((item) => item.definition.id)).toEqual(["weather", "files"]);

    await store.getState().saveServer({ ...entry("forecast").definition }, undefined, "weather");
    expect(calls.filter((call) => call.channel === "mcp.saveServer").at(-1)?.input).toEqual({ definition: entry("forecast").definition, previousId: "weather" });
    expect(store.getState().mcpEntries.map((item) => item.definition.id)).toEqual(["forecast", "files"]);
    expect(store.getState().servers.map((server) => server.id)).toEqual(["forecast", "files"]);

    await store.getState().saveServer(definition, null, "files");
    expect(calls.filter((call) => call.channel === "mcp.saveServer").at(-1)?.input).toMatchObject({ bearerToken: null });
  });

  it("returns a refused save's code and message for the form", async () => {
    const { store } = setup({
      "mcp.saveServer": () => {
        throw new BridgeClientError("config_invalid", "source.url: not a URL");
      },
    });
    expect(await store.getState().saveServer({ id: "x" }, undefined)).toEqual({ ok: false, code: "config_invalid", message: "source.url: not a URL" });
  });

  it("removes a server from the config and the live list", async () => {
    const { store } = setup();
    await store.getState().loadMcpPage();
    expect(await store.getState().removeServer("weather")).toBe(true);
    expect(store.getState().mcpEntries).toEqual([]);
    expect(store.getState().servers).toEqual([]);
  });

  it("switches a server on and off and reloads the live states", async () => {
    const { store, calls } = setup({ "mcp.setServerEnabled": ({ id, enabled }) => entry(id, { enabled }) });
    await store.getState().loadMcpPage();
    await store.getState().setServerEnabled("weather", false);
    expect(calls.find((call) => call.channel === "mcp.setServerEnabled")?.input).toEqual({ id: "weather", enabled: false });
    expect(calls.filter((call) => call.channel === "mcp.listServers")).toHaveLength(2);
  });

  it("keeps a connection test's result, using the saved token of a server when asked, and turns a failed call into a failed test", async () => {
    const { store, calls } = setup({ "mcp.testServer": () => ({ ok: true, tools: [{ name: "get_weather", inputSchema: {} }] }) });
    const result = store.getState().testServer({ id: "w" }, undefined, "weather");
    expect(store.getState().mcpTesting).toBe(true);
    expect(await result).toMatchObject({ ok: true });
    expect(store.getState()).toMatchObject({ mcpTesting: false, mcpTest: { ok: true, tools: [{ name: "get_weather" }] } });
    expect(calls.at(-1)?.input).toEqual({ definition: { id: "w" }, useSavedTokenOf: "weather" });
    store.getState().clearServerTest();
    expect(store.getState().mcpTest).toBeUndefined();

    const failing = setup({
      "mcp.testServer": () => {
        throw new BridgeClientError("bridge_failed", "connection lost");
      },
    });
    await failing.store.getState().testServer({ id: "w" }, "token");
    expect(failing.store.getState().mcpTest).toEqual({ ok: false, error: "connection lost", stderr: [] });
    expect(failing.calls.at(-1)?.input).toEqual({ definition: { id: "w" }, bearerToken: "token" });
  });

  it("imports servers and reloads the config only when something was added", async () => {
    const { store, calls } = setup({ "mcp.importServers": ({ text }) => (text === "{}" ? { added: [], replaced: [], skipped: [], problems: [] } : { added: ["a", "b"], replaced: [], skipped: [{ id: "c", reason: "exists" }], problems: [] }) });
    await store.getState().importServers("{}");
    expect(calls.filter((call) => call.channel === "mcp.getConfig")).toHaveLength(0);
    await store.getState().importServers('{"mcpServers": {}}', true);
    expect(calls.find((call) => call.channel === "mcp.importServers" && (call.input as { replace?: boolean }).replace === true)).toBeDefined();
    expect(store.getState().mcpImportResult).toMatchObject({ added: ["a", "b"], skipped: [{ id: "c" }] });
    expect(calls.filter((call) => call.channel === "mcp.getConfig")).toHaveLength(1);
  });

  it("shows a failed import call as a problem", async () => {
    const { store } = setup({
      "mcp.importServers": () => {
        throw new BridgeClientError("invalid_input", "too long");
      },
    });
    await store.getState().importServers("x");
    expect(store.getState().mcpImportResult).toEqual({ added: [], replaced: [], skipped: [], problems: [{ path: "", message: "too long" }] });
  });

  it("exports the servers' text", async () => {
    const { store } = setup({ "mcp.exportServers": () => ({ text: '{"mcpServers":{}}' }) });
    expect(await store.getState().exportServers()).toBe('{"mcpServers":{}}');
    expect(store.getState().mcpExportText).toBe('{"mcpServers":{}}');
  });

  it("saves the raw text when valid and keeps the problems when not, reloading only after a save", async () => {
    let valid = false;
    const { store, calls } = setup({ "mcp.saveConfigText": () => (valid ? { saved: true, problems: [] } : { saved: false, problems: [{ path: "", message: "Unexpected token", line: 3, column: 5 }] }) });
    expect(await store.getState().saveConfigText("{ oops")).toEqual({ saved: false, problems: [{ path: "", message: "Unexpected token", line: 3, column: 5 }] });
    expect(store.getState().mcpRawResult?.saved).toBe(false);
    expect(calls.filter((call) => call.channel === "mcp.getConfig")).toHaveLength(0);
    valid = true;
    expect((await store.getState().saveConfigText("{}")).saved).toBe(true);
    expect(calls.filter((call) => call.channel === "mcp.getConfig")).toHaveLength(1);
  });

  it("reports a failed raw save call as not saved", async () => {
    const { store } = setup({
      "mcp.saveConfigText": () => {
        throw new BridgeClientError("not_implemented", "not built yet");
      },
    });
    expect(await store.getState().saveConfigText("{}")).toEqual({ saved: false, problems: [], error: "not built yet" });
  });

  it("updates the settings, or returns why not", async () => {
    let settings = SETTINGS;
    const { store } = setup({
      "mcp.updateSettings": (input) => (settings = { ...settings, ...input }),
      "mcp.getConfig": () => ({ path: "/data/mcp-config.json", servers: [], settings, text: JSON.stringify(settings) }),
    });
    expect(await store.getState().updateMcpSettings({ tool_timeout_secs: 5 })).toBeUndefined();
    expect(store.getState().mcpSettings?.tool_timeout_secs).toBe(5);
    expect(store.getState().mcpConfigText).toContain('"tool_timeout_secs":5');
    const refused = setup({
      "mcp.updateSettings": () => {
        throw new BridgeClientError("config_invalid", "tool_timeout_secs: too big");
      },
    });
    expect(await refused.store.getState().updateMcpSettings({ tool_timeout_secs: 1e9 })).toBe("tool_timeout_secs: too big");
  });

  it("lists a server's tools, switches one off, and sets its policy (null: back to the default)", async () => {
    let policy: ServerTool["policy"] | undefined;
    const { store, calls } = setup({
      "mcp.listServerTools": () => [tool("get_weather", policy === undefined ? {} : { policy, policySource: "rule" }), tool("get_forecast")],
      "mcp.setToolEnabled": ({ toolName, enabled }) => tool(toolName, { enabled }),
      "approvals.setRule": (input) => {
        policy = input.policy ?? undefined;
        return [];
      },
    });
    await store.getState().loadServerTools("weather");
    expect(store.getState().mcpServerTools.weather?.map((item) => item.name)).toEqual(["get_weather", "get_forecast"]);
    await store.getState().setToolEnabled("weather", "get_forecast", false);
    expect(store.getState().mcpServerTools.weather?.[1]).toMatchObject({ name: "get_forecast", enabled: false });
    await store.getState().setToolPolicy("weather", "get_weather", "always");
    expect(calls.find((call) => call.channel === "approvals.setRule")?.input).toEqual({ serverId: "weather", toolName: "get_weather", policy: "always" });
    expect(store.getState().mcpServerTools.weather?.[0]).toMatchObject({ policy: "always", policySource: "rule" });
    await store.getState().setToolPolicy("weather", "get_weather", null);
    expect(store.getState().mcpServerTools.weather?.[0]).toMatchObject({ policySource: "annotations" });
  });

  it("keeps each server's launch diagnostics and log", async () => {
    const diagnostics = { command: "npx", args: [], workDir: "/", path: ["/usr/bin"], pathSource: "process" as const, message: "npx was not found" };
    const { store } = setup({ "mcp.diagnoseServer": () => diagnostics, "mcp.getServerLog": () => [{ at: 1, level: "error" as const, source: "weather", text: "boom" }] });
    await store.getState().diagnoseServer("weather");
    await store.getState().loadServerLog("weather");
    expect(store.getState().mcpDiagnostics.weather).toEqual(diagnostics);
    expect(store.getState().mcpLogs.weather).toEqual([{ at: 1, level: "error", source: "weather", text: "boom" }]);
  });

  it("shows a failed tools call as the notice", async () => {
    const { store } = setup({
      "mcp.listServerTools": () => {
        throw new BridgeClientError("unknown_server", "no server weather");
      },
    });
    await store.getState().loadServerTools("weather");
    expect(store.getState().notice).toMatchObject({ code: "unknown_server" });
  });
});
