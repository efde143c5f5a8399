/** The global settings form's text, checked with the contract's `McpSettingsSchema`. */
import { McpSettingsSchema, type McpSettings } from "../../../../app/contract/mcp-channels.js";
import { numberOrText } from "./draft.js";

/** The settings as typed. */
export interface SettingsText {
  timeout: string;
  concurrent: string;
  autoRegister: boolean;
}

/** The text of saved settings. */
export const textOf = (settings: McpSettings): SettingsText => ({ timeout: String(settings.tool_timeout_secs), concurrent: String(settings.max_concurrent_calls), autoRegister: settings.auto_register_tools });

/** The settings the text describes, checked by the config's own rules; errors by field. */
export function parseSettings(text: SettingsText): { settings?: McpSettings; errors: Partial<Record<keyof McpSettings, string>> } {
  const result = McpSettingsSchema.safeParse({ tool_timeout_secs: numberOrText(text.timeout), max_concurrent_calls: numberOrText(text.concurrent), auto_register_tools: text.autoRegister });
  if (result.success) return { settings: result.data, errors: {} };
  const errors: Partial<Record<keyof McpSettings, string>> = {};
  for (const issue of result.error.issues) {
    const key = issue.path[0] as keyof McpSettings;
    errors[key] ??= issue.message;
  }
  return { errors };
}
