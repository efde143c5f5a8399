// The preload script: runs in the sandboxed renderer before the page and exposes
// `window.hearth` (preload-api.ts), nothing else. A sandboxed preload cannot load ES
// modules or node_modules, so it ships bundled as CommonJS (the bundler turns this import
// into `require("electron")`). `"electron" as string` keeps tsc from resolving the module,
// which is not installed in every checkout (electron-types.ts says why). No top-level await
// (CommonJS has none): the API is exposed in a microtask right after this script runs.
import type { ElectronPreload } from "./electron-types.js";
import { PRELOAD_API_KEY, makePreloadApi } from "./preload-api.js";

void (import("electron" as string) as Promise<ElectronPreload>).then(({ contextBridge, ipcRenderer }) => contextBridge.exposeInMainWorld(PRELOAD_API_KEY, makePreloadApi(ipcRenderer)));
