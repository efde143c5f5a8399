import { describe, expect, it } from "vitest";
import type { ApprovalRule } from "../../../app/contract/chat.js";
import type { LogEntry } from "../../../app/contract/mcp-channels.js";
import type { Settings } from "../../../app/contract/settings-channels.js";
import { BridgeClientError } from "../bridge/types.js";
import { followTheme } from "../pages/settings/theme.js";
import { fakeClient, settle, type FakeHandlers } from "./fake-client.js";
import { selectAlwaysRules } from "./settings-slice.js";
import { connectEvents, createHearthStore } from "./store.js";

const SETTINGS: Settings = { theme: "system", dataFolder: "/home/u/.hearth", threads: "auto" };
const rule = (serverId: string, toolName: string | undefined, policy: ApprovalRule["policy"] = "always"): ApprovalRule => ({ serverId, ...(toolName === undefined ? {} : { toolName }), policy, createdAt: 1 });
const entry = (text: string, level: LogEntry["level"] = "info", source = "app"): LogEntry => ({ at: 1, level, source, text });

function setup(handlers: FakeHandlers = {}) {
  let settings = { ...SETTINGS };
  let rules = [rule("fs", "read_file"), rule("git", undefined), rule("fs", "write_file", "ask")];
  const fake = fakeClient({
    "settings.get": () => settings,
    "settings.update": (change) => (settings = { ...settings, ...change } as Settings),
    "approvals.listRules": () => rules,
    "approvals.removeRule": ({ serverId, toolName }) => {
      const before = rules.length;
      rules = rules.filter((item) => !(item.serverId === serverId && item.toolName === toolName));
      return { removed: rules.length < before };
    },
    "logs.list": ({ source, level }) => [entry(`${source ?? "all"} at ${level ?? "debug"}`, level ?? "debug", source ?? "app")],
    "model.getStatus": () => ({ state: "none" }),
    "mcp.listServers": () => [],
    "conversations.list": () => [],
    "models.list": () => [],
    ...handlers,
  });
  const store = createHearthStore(fake.client);
  return { ...fake, store };
}

describe("the settings slice", () => {
  it("loads the settings and applies a change at once, then as the core answers", async () => {
    const { store, calls } = setup();
    await store.getState().loadSettings();
    expect(store.getState().settings).toEqual(SETTINGS);
    const updating = store.getState().updateSettings({ theme: "dark" });
    expect(store.getState().settings?.theme).toBe("dark");
    await updating;
    expect(store.getState().settings).toEqual({ ...SETTINGS, theme: "dark" });
    await store.getState().updateSettings({ threads: 8 });
    expect(store.getState().settings?.threads).toBe(8);
    expect(calls.filter((call) => call.channel === "settings.update").map((call) => call.input)).toEqual([{ theme: "dark" }, { threads: 8 }]);
  });

  it("undoes a change the core refuses and says why", async () => {
    const { store } = setup({
      "settings.update": () => {
        throw new BridgeClientError("invalid_input", "threads: too many");
      },
    });
    await store.getState().loadSettings();
    await store.getState().updateSettings({ threads: 9 });
    expect(store.getState().settings).toEqual(SETTINGS);
    expect(store.getState().notice).toEqual({ code: "invalid_input", message: "threads: too many" });
  });

  it("lists the 'always' rules and revokes one", async () => {
    const { store, calls } = setup();
    expect(store.getState().approvalRulesLoaded).toBe(false);
    await store.getState().loadApprovalRules();
    expect(selectAlwaysRules(store.getState())).toEqual([rule("fs", "read_file"), rule("git", undefined)]);
    await store.getState().revokeApprovalRule("git", undefined);
    expect(calls.find((call) => call.channel === "approvals.removeRule")?.input).toEqual({ serverId: "git" });
    await store.getState().revokeApprovalRule("fs", "read_file");
    expect(calls.filter((call) => call.channel === "approvals.removeRule").at(-1)?.input).toEqual({ serverId: "fs", toolName: "read_file" });
    expect(selectAlwaysRules(store.getState())).toEqual([]);
    expect(store.getState().approvalRules).toEqual([rule("fs", "write_file", "ask")]);
  });

  it("loads logs with the filter, keeping the filter between loads", async () => {
    const { store, calls } = setup();
    await store.getState().loadLogs();
    expect(store.getState().logEntries).toEqual([entry("all at debug", "debug")]);
    await store.getState().loadLogs({ source: "weather" });
    await store.getState().loadLogs({ level: "warn" });
    expect(store.getState().logFilter).toEqual({ source: "weather", level: "warn" });
    expect(store.getState().logEntries).toEqual([entry("weather at warn", "warn", "weather")]);
    await store.getState().loadLogs({ source: undefined });
    expect(calls.filter((call) => call.channel === "logs.list").map((call) => call.input)).toEqual([
      { level: "debug", limit: 500 },
      { level: "debug", limit: 500, source: "weather" },
      { level: "warn", limit: 500, source: "weather" },
      { level: "warn", limit: 500 },
    ]);
    expect(store.getState().logsLoading).toBe(false);
  });

  it("keeps the newest filter's entries when an older answer comes last", async () => {
    const answers: Array<(entries: LogEntry[]) => void> = [];
    const { store } = setup({ "logs.list": () => new Promise<LogEntry[]>((resolve) => answers.push(resolve)) });
    const first = store.getState().loadLogs({ source: "app" });
    const second = store.getState().loadLogs({ source: "weather" });
    answers[1]!([entry("new", "info", "weather")]);
    answers[0]!([entry("old")]);
    await Promise.all([first, second]);
    expect(store.getState().logEntries).toEqual([entry("new", "info", "weather")]);
    expect(store.getState().logsLoading).toBe(false);
  });
});

describe("followTheme", () => {
  it("loads the settings when the connection opens and applies each theme change", async () => {
    const { store, client, setStatus } = setup();
    connectEvents(store, client);
    const applied: string[] = [];
    const stop = followTheme(store, (theme) => applied.push(theme));
    expect(applied).toEqual(["system"]); // nothing remembered here: the system's
    setStatus("open");
    await settle();
    expect(store.getState().settings).toEqual(SETTINGS);
    await store.getState().updateSettings({ theme: "dark" });
    await store.getState().updateSettings({ threads: 2 });
    await store.getState().updateSettings({ theme: "light" });
    expect(applied).toEqual(["system", "system", "dark", "light"]);
    stop();
    await store.getState().updateSettings({ theme: "system" });
    expect(applied).toHaveLength(4);
  });
});
