/**
 * The renderer's one way to the core: `invoke(channel, input)` and `on(channel, listener)`,
 * typed from the contract (app/contract/channels.ts). In Electron the preload exposes
 * `window.hearth`; in a browser (`hearth serve --ui`) the page talks to the WebSocket
 * bridge on its own host, with the token from the address's `#token=` fragment.
 */
import type { InvokeOutput, InvokeResult } from "../../../app/contract/channels.js";
import { BridgeClientError, toClientError, type BridgeClient } from "./types.js";
import { createWebSocketClient } from "./websocket-client.js";

export { BridgeClientError, toClientError, type BridgeClient, type ConnectionStatus } from "./types.js";

/** `window.hearth` as main/preload-api.ts builds it. */
export interface PreloadBinding {
  invoke(channel: string, input: unknown): Promise<InvokeResult>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/** A client over the Electron preload's `window.hearth`. */
export function createPreloadClient(binding: PreloadBinding): BridgeClient {
  return {
    binding: "electron",
    async invoke(channel, input) {
      let result: Awaited<ReturnType<PreloadBinding["invoke"]>>;
      try {
        result = await binding.invoke(channel, input);
      } catch (error) {
        throw toClientError(error, "ipc_failed");
      }
      if (!result.ok) throw new BridgeClientError(result.error.code, result.error.message);
      return result.output as InvokeOutput<typeof channel>;
    },
    on(channel, listener) {
      return binding.on(channel, listener as (payload: unknown) => void);
    },
    onStatus(listener) {
      listener("open");
      return () => {};
    },
    close() {},
  };
}

/** The `#token=` of a page address (`hearth serve --ui` prints it), or undefined. */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token === null || token === "" ? undefined : token;
}

/** `ws(s)://<host>/bridge?token=…` for a page served from `location`. */
export function bridgeUrl(location: Pick<Location, "protocol" | "host">, token: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
}

/** The client for this page: the preload's binding when there is one, else the WebSocket bridge. */
export function createBridgeClient(page: Window = window): BridgeClient {
  const preload = (page as Window & { hearth?: PreloadBinding }).hearth;
  if (preload !== undefined) return createPreloadClient(preload);
  const token = tokenFromHash(page.location.hash) ?? "";
  return createWebSocketClient({ url: bridgeUrl(page.location, token), createSocket: (url) => new WebSocket(url) });
}
