/**
 * The channels of the settings page (issue 7): theme, data folder, CPU threads, and the
 * log viewer (the app's own log and each MCP server's, filterable by level). Approvals
 * given "always" are listed and revoked through `approvals.listRules` / `approvals.removeRule`.
 */
import { z } from "zod";
import { LogEntrySchema } from "./mcp-channels.js";

const Empty = z.object({}).strict();

export const SettingsSchema = z.object({
  theme: z.enum(["light", "dark", "system"]),
  /** Where Hearth keeps its data; read-only here (set `HEARTH_DATA_DIR` to move it). */
  dataFolder: z.string(),
  /** CPU threads for local inference; `auto`: the machine's physical cores. Applies from the next model load. */
  threads: z.union([z.literal("auto"), z.number().int().min(1).max(512)]),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsInvokeChannels = {
  "settings.get": { input: Empty, output: SettingsSchema },
  "settings.update": { input: SettingsSchema.omit({ dataFolder: true }).partial().strict(), output: SettingsSchema },
  /** The newest entries first; `source`: `app` or a server id (absent: all); `level`: this level and above. */
  "logs.list": {
    input: z.object({ source: z.string().min(1).optional(), level: LogEntrySchema.shape.level.optional(), limit: z.number().int().min(1).max(5_000).optional() }).strict(),
    output: z.array(LogEntrySchema),
  },
} as const;
