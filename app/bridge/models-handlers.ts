/**
 * The handlers of the models page (app/contract/models-channels.ts).
 */
import type { modelsInvokeChannels } from "../contract/models-channels.js";
import type { InvokeHandlers } from "../contract/channels.js";
import type { PageContext } from "./page-context.js";
import { BridgeFailure } from "./failure.js";

/** The models page's handlers over `context`. */
export function createModelsHandlers(context: PageContext): Pick<InvokeHandlers, keyof typeof modelsInvokeChannels> {
  void context;
  const todo = async (): Promise<never> => {
    throw new BridgeFailure("not_implemented", "not built yet");
  };
  return {
    "models.listLocal": todo,
    "models.load": todo,
    "models.unload": todo,
    "models.recommended": todo,
    "models.download": todo,
    "models.cancelDownload": todo,
    "models.listDownloads": todo,
    "models.delete": todo,
    "models.getRemote": todo,
    "models.setRemote": todo,
    "models.testRemote": todo,
  };
}
