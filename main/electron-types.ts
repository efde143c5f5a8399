/**
 * The few Electron types app.ts and preload.ts use, declared here because the `electron`
 * package is not installed in every checkout (its install script downloads a binary, which
 * fails offline, and CI runs without it): importing types from a missing package would
 * break `tsc`. Each is the subset of Electron's own declaration that Hearth touches, named
 * after it, built from the small interfaces the logic modules declare, so the real objects
 * fit them. With `electron` installed these can be checked against the real ones by
 * assigning, e.g. `const check: ElectronMain = await import("electron")`.
 */
import type { Rectangle, TrackedWindow } from "./window-state.js";
import type { FocusableWindow, QuitEvent } from "./lifecycle.js";
import type { GuardedContents, HeadersReceivedHook, PermissionSession } from "./security.js";
import type { EventTargetContents, IpcMainLike } from "./ipc.js";
import type { IpcRendererLike } from "./preload-api.js";
import type { SafeStorageLike } from "./secrets.js";
import type { MenuTemplateItem } from "./menu.js";
import type { SecureWebPreferences } from "./security.js";

/** `WebContents`: what the window's page is. */
export interface WebContents extends GuardedContents, EventTargetContents {}

/** `BrowserWindowConstructorOptions`, the fields Hearth sets. */
export interface BrowserWindowOptions {
  width: number;
  height: number;
  x?: number;
  y?: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor?: string;
  webPreferences: SecureWebPreferences;
}

/** `BrowserWindow`. */
export interface BrowserWindow extends TrackedWindow, FocusableWindow {
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  maximize(): void;
  on(event: "resize" | "move" | "maximize" | "unmaximize" | "close" | "closed", listener: () => void): unknown;
  once(event: "ready-to-show", listener: () => void): unknown;
}

/** `app`. */
export interface App {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(exitCode?: number): void;
  getPath(name: "userData"): string;
  setPath(name: "userData", path: string): void;
  getAppPath(): string;
  getVersion(): string;
  on(event: "before-quit", listener: (event: QuitEvent) => void): unknown;
  on(event: "second-instance" | "window-all-closed" | "activate", listener: () => void): unknown;
}

/** `Session`: the default session's request hooks and permission handlers. */
export interface Session extends PermissionSession {
  readonly webRequest: HeadersReceivedHook;
}

/** `protocol`. */
export interface Protocol {
  registerSchemesAsPrivileged(schemes: ReadonlyArray<{ scheme: string; privileges: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean } }>): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** `Menu` (static side) and a built menu. */
export interface MenuStatic {
  buildFromTemplate(template: MenuTemplateItem[]): unknown;
  setApplicationMenu(menu: unknown): void;
}

/** The main process's `electron` module, as far as app.ts uses it. */
export interface ElectronMain {
  app: App;
  BrowserWindow: new (options: BrowserWindowOptions) => BrowserWindow;
  Menu: MenuStatic;
  ipcMain: IpcMainLike;
  protocol: Protocol;
  safeStorage: SafeStorageLike;
  screen: { getAllDisplays(): Array<{ workArea: Rectangle }> };
  session: { readonly defaultSession: Session };
  shell: { openExternal(url: string): Promise<void> };
  dialog: { showErrorBox(title: string, content: string): void };
}

/** The preload's `electron` module (sandboxed renderer): `contextBridge` and `ipcRenderer`. */
export interface ElectronPreload {
  contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
  ipcRenderer: IpcRendererLike;
}
