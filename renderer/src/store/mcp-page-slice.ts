/**
 * The MCP servers page: the config (servers, settings, raw text), the form's draft, tests,
 * import/export, tools with their policies, diagnostics and logs.
 */
import type { ApprovalPolicy } from "../../../app/contract/chat.js";
import type { InvokeOutput } from "../../../app/contract/channels.js";
import type { ConfigProblem, LaunchDiagnostics, LogEntry, McpSettings, ServerEntry, ServerTest, ServerTool } from "../../../app/contract/mcp-channels.js";
import { toClientError, type BridgeClient } from "../bridge/types.js";
import type { SliceCreator } from "./types.js";

export type ImportResult = InvokeOutput<"mcp.importServers">;

/** A new bearer token (`string`), its removal (`null`), or no change (`undefined`). */
export type TokenChange = string | null | undefined;

/** What saving went to: the saved entry, or why it was refused (`code` as the core gave it). */
export type SaveResult = { ok: true; entry: ServerEntry } | { ok: false; code: string; message: string };

/** What saving the raw file did. */
export interface RawSaveResult {
  saved: boolean;
  problems: ConfigProblem[];
  /** Set when the call itself failed (not a problem of the text). */
  error?: string;
}

/** The MCP servers page's state and actions. */
export interface McpPageSlice {
  mcpPageLoaded: boolean;
  /** Why the page could not load (the core's message), when it could not. */
  mcpPageError: string | undefined;
  /** The config file's path. */
  mcpConfigPath: string;
  mcpEntries: ServerEntry[];
  mcpSettings: McpSettings | undefined;
  /** The config file's text, tokens masked. */
  mcpConfigText: string;
  /** Each server's tools, by server id, once asked for. */
  mcpServerTools: Record<string, ServerTool[]>;
  mcpDiagnostics: Record<string, LaunchDiagnostics>;
  mcpLogs: Record<string, LogEntry[]>;
  /** The last "Test connection" result (undefined: none yet, or the draft changed since). */
  mcpTest: ServerTest | undefined;
  mcpTesting: boolean;
  mcpImportResult: ImportResult | undefined;
  mcpExportText: string | undefined;
  mcpRawResult: RawSaveResult | undefined;

  /** Loads the config and the servers' live states. */
  loadMcpPage(): Promise<void>;
  /** Adds (no `previousId`) or replaces a server, then reloads the config. */
  saveServer(definition: unknown, bearerToken: TokenChange, previousId?: string): Promise<SaveResult>;
  removeServer(id: string): Promise<boolean>;
  setServerEnabled(id: string, enabled: boolean): Promise<void>;
  /** Connects to `definition` without saving it; the result lands in `mcpTest`. */
  testServer(definition: unknown, bearerToken: string | undefined, useSavedTokenOf?: string): Promise<ServerTest | undefined>;
  clearServerTest(): void;
  importServers(text: string, replace?: boolean): Promise<ImportResult | undefined>;
  exportServers(): Promise<string | undefined>;
  /** Replaces the whole file with `text` when it is valid (the core refuses otherwise). */
  saveConfigText(text: string): Promise<RawSaveResult>;
  /** Saves the global settings; the error message when refused. */
  updateMcpSettings(settings: Partial<McpSettings>): Promise<string | undefined>;
  loadServerTools(id: string): Promise<void>;
  setToolEnabled(serverId: string, toolName: string, enabled: boolean): Promise<void>;
  /** Sets one tool's approval policy (`null`: back to the default), then reloads that server's tools. */
  setToolPolicy(serverId: string, toolName: string, policy: ApprovalPolicy | null): Promise<void>;
  diagnoseServer(id: string): Promise<void>;
  loadServerLog(id: string): Promise<void>;
}

/** `entries` with `entry` in place of the one with `previousId` (or its own id), or added at the end. */
export function upsertEntry(entries: readonly ServerEntry[], entry: ServerEntry, previousId?: string): ServerEntry[] {
  const id = previousId ?? entry.definition.id;
  const index = entries.findIndex((candidate) => candidate.definition.id === id);
  if (index === -1) return [...entries, entry];
  return entries.map((candidate, position) => (position === index ? entry : candidate));
}

/** `tools` with `tool` in place of the one of the same name. */
function replaceTool(tools: readonly ServerTool[] | undefined, tool: ServerTool): ServerTool[] {
  return (tools ?? []).map((candidate) => (candidate.name === tool.name ? tool : candidate));
}

export const createMcpPageSlice =
  (client: BridgeClient): SliceCreator<McpPageSlice> =>
  (set, get) => {
    /** Reloads the config quietly (after a change); failures go to the notice. */
    const reloadConfig = async () => {
      try {
        const config = await client.invoke("mcp.getConfig", {});
        set({ mcpConfigPath: config.path, mcpEntries: config.servers, mcpSettings: config.settings, mcpConfigText: config.text, mcpPageLoaded: true, mcpPageError: undefined });
      } catch (error) {
        set({ mcpPageError: toClientError(error).message });
      }
    };

    return {
      mcpPageLoaded: false,
      mcpPageError: undefined,
      mcpConfigPath: "",
      mcpEntries: [],
      mcpSettings: undefined,
      mcpConfigText: "",
      mcpServerTools: {},
      mcpDiagnostics: {},
      mcpLogs: {},
      mcpTest: undefined,
      mcpTesting: false,
      mcpImportResult: undefined,
      mcpExportText: undefined,
      mcpRawResult: undefined,

      async loadMcpPage() {
        await Promise.all([reloadConfig(), get().loadServers()]);
      },

      async saveServer(definition, bearerToken, previousId) {
        try {
          const entry = await client.invoke("mcp.saveServer", { definition, ...(previousId === undefined ? {} : { previousId }), ...(bearerToken === undefined ? {} : { bearerToken }) });
          set((state) => ({ mcpEntries: upsertEntry(state.mcpEntries, entry, previousId), mcpTest: undefined }));
          await Promise.all([reloadConfig(), get().loadServers()]);
          return { ok: true, entry };
        } catch (error) {
          const clientError = toClientError(error);
          return { ok: false, code: clientError.code, message: clientError.message };
        }
      },

      async removeServer(id) {
        try {
          const { removed } = await client.invoke("mcp.removeServer", { id });
          set((state) => ({ mcpEntries: state.mcpEntries.filter((entry) => entry.definition.id !== id), servers: state.servers.filter((server) => server.id !== id) }));
          await reloadConfig();
          return removed;
        } catch (error) {
          get().showError(error);
          return false;
        }
      },

      async setServerEnabled(id, enabled) {
        try {
          const entry = await client.invoke("mcp.setServerEnabled", { id, enabled });
          set((state) => ({ mcpEntries: upsertEntry(state.mcpEntries, entry) }));
          await Promise.all([reloadConfig(), get().loadServers()]);
        } catch (error) {
          get().showError(error);
        }
      },

      async testServer(definition, bearerToken, useSavedTokenOf) {
        set({ mcpTesting: true, mcpTest: undefined });
        try {
          const result = await client.invoke("mcp.testServer", { definition, ...(bearerToken === undefined ? {} : { bearerToken }), ...(useSavedTokenOf === undefined ? {} : { useSavedTokenOf }) });
          set({ mcpTest: result });
          return result;
        } catch (error) {
          const result: ServerTest = { ok: false, error: toClientError(error).message, stderr: [] };
          set({ mcpTest: result });
          return result;
        } finally {
          set({ mcpTesting: false });
        }
      },

      clearServerTest() {
        set({ mcpTest: undefined });
      },

      async importServers(text, replace) {
        try {
          const result = await client.invoke("mcp.importServers", { text, ...(replace === undefined ? {} : { replace }) });
          set({ mcpImportResult: result });
          if (result.added.length > 0 || result.replaced.length > 0) await Promise.all([reloadConfig(), get().loadServers()]);
          return result;
        } catch (error) {
          const result: ImportResult = { added: [], replaced: [], skipped: [], problems: [{ path: "", message: toClientError(error).message }] };
          set({ mcpImportResult: result });
          return result;
        }
      },

      async exportServers() {
        try {
          const { text } = await client.invoke("mcp.exportServers", {});
          set({ mcpExportText: text });
          return text;
        } catch (error) {
          get().showError(error);
          return undefined;
        }
      },

      async saveConfigText(text) {
        let result: RawSaveResult;
        try {
          result = await client.invoke("mcp.saveConfigText", { text });
        } catch (error) {
          result = { saved: false, problems: [], error: toClientError(error).message };
        }
        set({ mcpRawResult: result });
        if (result.saved) await Promise.all([reloadConfig(), get().loadServers()]);
        return result;
      },

      async updateMcpSettings(settings) {
        try {
          const saved = await client.invoke("mcp.updateSettings", settings);
          set({ mcpSettings: saved });
          await reloadConfig();
          return undefined;
        } catch (error) {
          return toClientError(error).message;
        }
      },

      async loadServerTools(id) {
        try {
          const tools = await client.invoke("mcp.listServerTools", { id });
          set((state) => ({ mcpServerTools: { ...state.mcpServerTools, [id]: tools } }));
        } catch (error) {
          get().showError(error);
        }
      },

      async setToolEnabled(serverId, toolName, enabled) {
        try {
          const tool = await client.invoke("mcp.setToolEnabled", { serverId, toolName, enabled });
          set((state) => ({ mcpServerTools: { ...state.mcpServerTools, [serverId]: replaceTool(state.mcpServerTools[serverId], tool) } }));
        } catch (error) {
          get().showError(error);
        }
      },

      async setToolPolicy(serverId, toolName, policy) {
        try {
          await client.invoke("approvals.setRule", { serverId, toolName, policy });
          await get().loadServerTools(serverId);
        } catch (error) {
          get().showError(error);
        }
      },

      async diagnoseServer(id) {
        try {
          const diagnostics = await client.invoke("mcp.diagnoseServer", { id });
          set((state) => ({ mcpDiagnostics: { ...state.mcpDiagnostics, [id]: diagnostics } }));
        } catch (error) {
          get().showError(error);
        }
      },

      async loadServerLog(id) {
        try {
          const log = await client.invoke("mcp.getServerLog", { id });
          set((state) => ({ mcpLogs: { ...state.mcpLogs, [id]: log } }));
        } catch (error) {
          get().showError(error);
        }
      },
    };
  };
