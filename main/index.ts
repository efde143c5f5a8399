// The Electron main process's entry: `npm start` and the packaged app run it as
// dist/main/index.js, bundled by build/build-main.mjs (`package.json` "main" points there,
// so `electron .` finds it). It only joins the two halves: the window and IPC (app.ts) and
// the core over the data folder (app/desktop-core.ts). An ES module, so the top-level
// await below finishes before Electron emits `ready` (app.ts says why that matters).
import { createDesktopCore, userDataFolder } from "../app/desktop-core.js";
import { startDesktopApp } from "./app.js";

// Hearth's data folder, not Electron's default: the window, `hearth serve --ui` (npm start's
// fallback) and the CLI then share conversations, mcp-config.json and models.
await startDesktopApp({ dataFolder: userDataFolder(), createCore: (context) => createDesktopCore(context) });
