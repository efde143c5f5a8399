/**
 * The handlers of the settings page (app/contract/settings-channels.ts, issue 7): the
 * settings kept in the store, and the log viewer over the app's log and each MCP server's.
 * Approvals given "always" are listed and revoked by `approvals.*` (./core-handlers.ts).
 */
import { THREADS_SETTING } from "../local-model-host.js";
import { SettingsSchema, type Settings, type settingsInvokeChannels } from "../contract/settings-channels.js";
import type { InvokeHandlers } from "../contract/channels.js";
import { newestFirst } from "../log.js";
import type { PageContext } from "./page-context.js";

/** The store's key of the theme: `light`, `dark` or `system` (default). */
export const THEME_SETTING = "ui.theme";
/** How many entries `logs.list` answers when its input gives no `limit`. */
export const DEFAULT_LOG_LIMIT = 500;

/** The settings page's handlers over `context`. */
export function createSettingsHandlers(context: PageContext): Pick<InvokeHandlers, keyof typeof settingsInvokeChannels> {
  const { store, log } = context;
  const { serverLogs } = context;

  /** The stored settings; a value the store holds that is not valid (hand-edited, older) reads as the default. */
  const read = (): Settings => {
    const theme = SettingsSchema.shape.theme.safeParse(store.setting(THEME_SETTING));
    const threads = SettingsSchema.shape.threads.safeParse(store.setting(THREADS_SETTING));
    return {
      theme: theme.success ? theme.data : "system",
      dataFolder: context.dataFolder,
      threads: threads.success ? threads.data : "auto",
    };
  };

  return {
    "settings.get": async () => read(),
    "settings.update": async (change) => {
      if (change.theme !== undefined) store.setSetting(THEME_SETTING, change.theme);
      if (change.threads !== undefined) store.setSetting(THREADS_SETTING, change.threads);
      const changed = Object.entries(change).filter(([, value]) => value !== undefined);
      if (changed.length > 0) log.write("info", `settings changed: ${changed.map(([key, value]) => `${key} = ${String(value)}`).join(", ")}`, "settings");
      return read();
    },
    "logs.list": async ({ source, level = "debug", limit = DEFAULT_LOG_LIMIT }) => {
      // `app` is the app's whole log, whatever part of it wrote the entry (`settings`, `models`…);
      // another source is a server's id (or one such part).
      const appEntries = log.list(level);
      const app = source === undefined || source === "app" ? appEntries : appEntries.filter((entry) => entry.source === source);
      const servers = source === "app" ? [] : serverLogs.list(source, level);
      return newestFirst([app, servers], limit);
    },
  };
}
