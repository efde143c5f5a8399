/**
 * The Electron main process: one instance, one window, the contract bound to IPC, and a
 * quit that waits for the core to stop. Deliberately thin: every decision lives in a
 * module that takes its Electron parts as parameters and is tested under plain Node
 * (security.ts, app-protocol.ts, window-state.ts, secrets.ts, ipc.ts, menu.ts,
 * lifecycle.ts); this file only wires them to the real `electron` module.
 *
 * `electron` is imported dynamically, as `"electron" as string`, so that tsc does not
 * resolve it: the package is not installed in every checkout (see electron-types.ts) and
 * its types come from there. Bundled, the specifier is the plain literal again.
 *
 * The core itself (store, MCP pool, model) is built by the caller's `createCore`, which
 * belongs to app/: main/ only binds it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EventSink, InvokeHandlers } from "../app/contract/channels.js";
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, makeAppProtocolHandler } from "./app-protocol.js";
import type { BrowserWindow, ElectronMain } from "./electron-types.js";
import { bindIpc, eventSender } from "./ipc.js";
import { focusWindow, gracefulQuit } from "./lifecycle.js";
import { applicationMenuTemplate, readmeUrlFrom } from "./menu.js";
import { SecretStore } from "./secrets.js";
import {
  CONTENT_SECURITY_POLICY,
  applyContentSecurityPolicy,
  developmentContentSecurityPolicy,
  guardNavigation,
  restrictPermissions,
  secureWebPreferences,
  trustedSenderCheck,
} from "./security.js";
import { loadWindowState, trackWindowState, windowBounds, type WindowStateTracker } from "./window-state.js";

/** What the core gives the desktop app. */
export interface DesktopCore {
  handlers: InvokeHandlers;
  /** Stops the MCP servers, unloads the model, closes the store. Called once, when the app quits. */
  shutdown(): Promise<void>;
}

/** What {@link startDesktopApp} needs. */
export interface DesktopAppOptions {
  /** Builds the core once Electron is ready. `emit` reaches the window (events before it exists are dropped). */
  createCore(context: { emit: EventSink; secrets: SecretStore; userDataFolder: string; version: string }): Promise<DesktopCore>;
  /** The renderer's built folder (`npm run build:ui`). Default: `dist/renderer` in the app's folder. */
  rendererFolder?: string;
  /** The bundled preload script. Default: `preload.cjs` beside this file once bundled. */
  preloadPath?: string;
  /** A development server to load instead of the built renderer; only honoured when not packaged. Default: `HEARTH_RENDERER_URL`. */
  devServerUrl?: string;
  /**
   * The data folder (Electron's `userData`: the database, MCP config, models, window state
   * and secrets). Default: Electron's own. main/index.ts passes Hearth's, so the desktop app
   * and the `hearth` CLI share conversations and models.
   */
  dataFolder?: string;
  /** Where faults go (never a secret's value). Default: `console.error`. */
  log?(message: string, error?: unknown): void;
}

/** Loads the main process's `electron` module (see the file's comment). */
async function loadElectron(): Promise<ElectronMain> {
  // Named exports in Electron's ES module loader; behind `default` when a bundler wraps CommonJS.
  const module = (await import("electron" as string)) as Partial<ElectronMain> & { default?: ElectronMain };
  return (module.app !== undefined ? module : module.default) as ElectronMain;
}

/**
 * Starts the desktop app. Resolves once everything that must precede Electron's `ready`
 * is done (the single-instance lock, the `hearth:` scheme's privileges, the quit
 * handling), so an ES module entry may `await` it at the top level; the core, the menu
 * and the window follow after `ready`.
 */
export async function startDesktopApp(options: DesktopAppOptions): Promise<void> {
  const electron = await loadElectron();
  const { app, BrowserWindow: Window, Menu, dialog, ipcMain, protocol, safeStorage, screen, session, shell } = electron;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(`hearth: ${message}`, error ?? ""));

  // Before the lock and `ready`: both read the userData path.
  if (options.dataFolder !== undefined) app.setPath("userData", options.dataFolder);

  // A second launch focuses the first window and ends (one database, one set of MCP servers).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  const development = !app.isPackaged;
  const devServerUrl = development ? (options.devServerUrl ?? process.env.HEARTH_RENDERER_URL) : undefined;
  const appOrigin = devServerUrl !== undefined ? new URL(devServerUrl).origin : APP_ORIGIN;
  const entryUrl = devServerUrl ?? APP_ENTRY_URL;
  const policy = devServerUrl !== undefined ? developmentContentSecurityPolicy(devServerUrl) : CONTENT_SECURITY_POLICY;
  const userDataFolder = app.getPath("userData");
  const windowStateFile = join(userDataFolder, "window-state.json");
  const openExternal = (url: string) => shell.openExternal(url).catch((error: unknown) => log(`cannot open ${url}`, error));

  let window: BrowserWindow | undefined;
  let tracker: WindowStateTracker | undefined;
  let sink: EventSink | undefined;
  const emit: EventSink = (channel, payload) => sink?.(channel, payload);
  /** The core once `createCore` has settled; undefined until it starts, or when it failed. */
  let coreStarting: Promise<DesktopCore | undefined> = Promise.resolve(undefined);
  let unbind: () => void = () => {};

  app.on("second-instance", () => focusWindow(window));
  const quitting = gracefulQuit({
    shutdown: async () => {
      unbind();
      await tracker?.flush();
      // A core still starting is waited for, then stopped like a running one.
      await (await coreStarting)?.shutdown();
    },
    quit: () => app.quit(),
    onError: (error) => log("shutdown failed", error),
  });
  app.on("before-quit", quitting.onBeforeQuit);
  app.on("window-all-closed", () => {
    // macOS keeps apps running without windows; `activate` reopens one.
    if (process.platform !== "darwin") app.quit();
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => app.quit());

  // Not awaited: Electron emits `ready` only once the ES module entry has finished
  // evaluating, so awaiting it here (from a top-level await) would hang the app
  // (https://www.electronjs.org/docs/latest/tutorial/esm, "Caveats").
  void app.whenReady()
    .then(afterReady)
    .catch((error: unknown) => {
      log("Hearth failed to start", error);
      app.exit(1);
    });

  async function afterReady(): Promise<void> {
    const defaultSession = session.defaultSession;
    restrictPermissions(defaultSession, appOrigin);
    applyContentSecurityPolicy(defaultSession.webRequest, policy);
    if (devServerUrl === undefined) {
      const root = options.rendererFolder ?? join(app.getAppPath(), "dist", "renderer");
      protocol.handle(APP_SCHEME, makeAppProtocolHandler({ root, readFile: (path) => readFile(path), contentSecurityPolicy: policy }));
    }

    const secrets = new SecretStore({ file: join(userDataFolder, "secrets.json"), safeStorage });
    const starting = options.createCore({ emit, secrets, userDataFolder, version: app.getVersion() });
    coreStarting = starting.catch(() => undefined);
    let core: DesktopCore;
    try {
      core = await starting;
    } catch (error) {
      log("the core failed to start", error);
      dialog.showErrorBox("Hearth cannot start", error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    if (quitting.stage() !== "running") return;
    const handlers = core.handlers;
    unbind = bindIpc(ipcMain, handlers, { isTrustedSender: trustedSenderCheck(appOrigin), onInternalError: (error) => log("a request failed", error) });

    const readmeUrl = await readFile(join(app.getAppPath(), "package.json"), "utf8")
      .then((text) => readmeUrlFrom(JSON.parse(text) as { homepage?: unknown; repository?: unknown }))
      .catch(() => undefined);
    const template = applicationMenuTemplate({
      platform: process.platform,
      development,
      // `conversations.create` announces the new conversation (`conversations.changed`); the renderer opens it.
      onNewConversation: () => void handlers["conversations.create"]({}).catch((error: unknown) => log("cannot create a conversation", error)),
      ...(readmeUrl !== undefined ? { readmeUrl } : {}),
      openExternal: (url) => void openExternal(url),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));

    const preloadPath = options.preloadPath ?? fileURLToPath(new URL("preload.cjs", import.meta.url));
    const openWindow = async () => {
      const state = await loadWindowState(windowStateFile, screen.getAllDisplays().map((display) => display.workArea));
      const created = new Window({ ...windowBounds(state), show: false, title: "Hearth", webPreferences: secureWebPreferences(preloadPath) });
      window = created;
      guardNavigation(created.webContents, appOrigin, openExternal, (error) => log("cannot open a link", error));
      tracker = trackWindowState(created, windowStateFile, { onError: (error) => log("cannot save the window's state", error) });
      sink = eventSender(created.webContents, (channel, reason) => log(`dropped the event ${channel}: ${reason}`));
      created.once("ready-to-show", () => {
        if (state.maximized) created.maximize();
        created.show();
      });
      created.on("closed", () => {
        if (window === created) {
          window = undefined;
          sink = undefined;
        }
      });
      await created.loadURL(entryUrl);
    };
    app.on("activate", () => {
      if (window === undefined && quitting.stage() === "running") void openWindow().catch((error: unknown) => log("cannot open the window", error));
    });
    await openWindow().catch((error: unknown) => log("cannot open the window", error));
  }
}
