/** The settings page: theme, data folder, threads, approvals given "always", the log viewer. */
import type { ApprovalRule } from "../../../app/contract/chat.js";
import type { LogEntry } from "../../../app/contract/mcp-channels.js";
import type { InvokeInput } from "../../../app/contract/channels.js";
import type { Settings } from "../../../app/contract/settings-channels.js";
import type { BridgeClient } from "../bridge/types.js";
import type { HearthState, SliceCreator } from "./types.js";

export type { ApprovalRule, LogEntry, Settings };
export type Theme = Settings["theme"];
export type LogLevel = LogEntry["level"];
/** What `settings.update` takes: the theme and the threads, each optional. */
export type SettingsChange = InvokeInput<"settings.update">;

/** The log viewer's filter: `source` `app` or a server id (undefined: all); entries at `level` or above. */
export interface LogFilter {
  source: string | undefined;
  level: LogLevel;
}

/** How many entries the log viewer asks for. */
const LOG_VIEW_LIMIT = 500;

/** The settings page's state and actions. */
export interface SettingsSlice {
  /** Undefined until loaded. */
  settings: Settings | undefined;
  loadSettings(): Promise<void>;
  /** Changes settings; the change shows at once and is undone when the core refuses it (the notice says why). */
  updateSettings(change: SettingsChange): Promise<void>;

  /** Every stored approval rule (`approvals.listRules`); see {@link selectAlwaysRules}. */
  approvalRules: ApprovalRule[];
  approvalRulesLoaded: boolean;
  loadApprovalRules(): Promise<void>;
  /** Revokes the rule of a server (no `toolName`) or of one tool, then reloads the list. */
  revokeApprovalRule(serverId: string, toolName: string | undefined): Promise<void>;

  /** The log viewer's entries, newest first. */
  logEntries: LogEntry[];
  logFilter: LogFilter;
  logsLoading: boolean;
  /** Changes the filter (when given) and loads the entries it selects. */
  loadLogs(filter?: Partial<LogFilter>): Promise<void>;
}

/** The rules that run tools without asking: the ones the settings page lists. */
export function selectAlwaysRules(state: Pick<HearthState, "approvalRules">): ApprovalRule[] {
  return state.approvalRules.filter((rule) => rule.policy === "always");
}

export const createSettingsSlice =
  (client: BridgeClient): SliceCreator<SettingsSlice> =>
  (set, get) => ({
    settings: undefined,
    async loadSettings() {
      try {
        set({ settings: await client.invoke("settings.get", {}) });
      } catch (error) {
        get().showError(error);
      }
    },
    async updateSettings(change) {
      const before = get().settings;
      if (before !== undefined) set({ settings: { ...before, ...definedFields(change) } });
      try {
        set({ settings: await client.invoke("settings.update", change) });
      } catch (error) {
        // Only undo when nothing newer came meanwhile.
        if (before !== undefined) set((state) => (state.settings !== undefined ? { settings: { ...state.settings, ...pick(before, change) } } : {}));
        get().showError(error);
      }
    },

    approvalRules: [],
    approvalRulesLoaded: false,
    async loadApprovalRules() {
      try {
        set({ approvalRules: await client.invoke("approvals.listRules", {}), approvalRulesLoaded: true });
      } catch (error) {
        get().showError(error);
      }
    },
    async revokeApprovalRule(serverId, toolName) {
      try {
        await client.invoke("approvals.removeRule", toolName === undefined ? { serverId } : { serverId, toolName });
      } catch (error) {
        get().showError(error);
      }
      await get().loadApprovalRules();
    },

    logEntries: [],
    logFilter: { source: undefined, level: "debug" },
    logsLoading: false,
    async loadLogs(filter) {
      const logFilter = { ...get().logFilter, ...filter };
      set({ logFilter, logsLoading: true });
      try {
        const input = { level: logFilter.level, limit: LOG_VIEW_LIMIT, ...(logFilter.source === undefined ? {} : { source: logFilter.source }) };
        const entries = await client.invoke("logs.list", input);
        // A slower answer to an older filter must not replace a newer one's.
        if (get().logFilter === logFilter) set({ logEntries: entries });
      } catch (error) {
        get().showError(error);
      } finally {
        if (get().logFilter === logFilter) set({ logsLoading: false });
      }
    },
  });

/** `change` without its undefined fields. */
function definedFields(change: SettingsChange): Partial<Settings> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<Settings>;
}

/** The fields of `settings` that `change` touches. */
function pick(settings: Settings, change: SettingsChange): Partial<Settings> {
  return Object.fromEntries(Object.keys(definedFields(change)).map((key) => [key, settings[key as keyof Settings]])) as Partial<Settings>;
}
