/**
 * The handlers of the settings page (app/contract/settings-channels.ts).
 */
import type { settingsInvokeChannels } from "../contract/settings-channels.js";
import type { InvokeHandlers } from "../contract/channels.js";
import type { PageContext } from "./page-context.js";
import { BridgeFailure } from "./failure.js";

/** The settings page's handlers over `context`. */
export function createSettingsHandlers(context: PageContext): Pick<InvokeHandlers, keyof typeof settingsInvokeChannels> {
  void context;
  const todo = async (): Promise<never> => {
    throw new BridgeFailure("not_implemented", "not built yet");
  };
  return {
    "settings.get": todo,
    "settings.update": todo,
    "logs.list": todo,
  };
}
