/**
 * The application menu as data (the template `Menu.buildFromTemplate` takes), so what it
 * holds in development and in a packaged app is tested without Electron. Items that only a
 * developer needs (reload, developer tools) are left out of a packaged app: a reload there
 * would drop a running turn, and developer tools open a console on the page.
 */
import { isExternalWebUrl } from "./security.js";

/** The Electron menu roles the template uses. */
export type MenuRole =
  | "appMenu"
  | "windowMenu"
  | "help"
  | "close"
  | "quit"
  | "undo"
  | "redo"
  | "cut"
  | "copy"
  | "paste"
  | "pasteAndMatchStyle"
  | "delete"
  | "selectAll"
  | "reload"
  | "forceReload"
  | "toggleDevTools"
  | "resetZoom"
  | "zoomIn"
  | "zoomOut"
  | "togglefullscreen";

/** One item of the template: a subset of Electron's `MenuItemConstructorOptions`. */
export interface MenuTemplateItem {
  label?: string;
  role?: MenuRole;
  type?: "normal" | "separator" | "submenu";
  accelerator?: string;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

/** What {@link applicationMenuTemplate} needs. */
export interface ApplicationMenuOptions {
  /** `process.platform`: macOS gets its application menu first and keeps Quit there. */
  platform: string;
  /** True when not packaged (`!app.isPackaged`): adds reload and developer tools. */
  development: boolean;
  /** File › New conversation. */
  onNewConversation(): void;
  /** Help › Hearth README: opened in the user's browser; without an http(s) URL there is no Help menu. */
  readmeUrl?: string;
  /** `shell.openExternal`. */
  openExternal(url: string): void;
}

const separator: MenuTemplateItem = { type: "separator" };

/** The menu bar; see the file's comment. */
export function applicationMenuTemplate(options: ApplicationMenuOptions): MenuTemplateItem[] {
  const mac = options.platform === "darwin";
  const file: MenuTemplateItem = {
    label: "&File",
    submenu: [
      { label: "New Conversation", accelerator: "CmdOrCtrl+N", click: () => options.onNewConversation() },
      separator,
      // On macOS, Quit is in the application menu (Cmd+Q) and File closes the window.
      mac ? { role: "close" } : { role: "quit" },
    ],
  };
  const edit: MenuTemplateItem = {
    label: "&Edit",
    submenu: [
      { role: "undo" },
      { role: "redo" },
      separator,
      { role: "cut" },
      { role: "copy" },
      { role: "paste" },
      ...(mac ? [{ role: "pasteAndMatchStyle" } as const] : []),
      { role: "delete" },
      separator,
      { role: "selectAll" },
    ],
  };
  const view: MenuTemplateItem = {
    label: "&View",
    submenu: [
      ...(options.development ? [{ role: "reload" } as const, { role: "forceReload" } as const, { role: "toggleDevTools" } as const, separator] : []),
      { role: "resetZoom" },
      { role: "zoomIn" },
      { role: "zoomOut" },
      separator,
      { role: "togglefullscreen" },
    ],
  };
  const readmeUrl = options.readmeUrl;
  // Help holds only the README for now: without a web address for it, there is no Help menu.
  const help: MenuTemplateItem[] =
    readmeUrl !== undefined && isExternalWebUrl(readmeUrl) ? [{ role: "help", label: "&Help", submenu: [{ label: "Hearth README", click: () => options.openExternal(readmeUrl) }] }] : [];
  return [...(mac ? [{ role: "appMenu" } as const] : []), file, edit, view, { role: "windowMenu", label: "&Window" }, ...help];
}

/**
 * The README's address from the project's package.json: `homepage` when it is a web
 * address, else the `repository` URL (`git+https://…/x.git` becomes `https://…/x#readme`).
 * Undefined when neither names one (Help then has no README item).
 */
export function readmeUrlFrom(packageJson: { homepage?: unknown; repository?: unknown }): string | undefined {
  if (typeof packageJson.homepage === "string" && isExternalWebUrl(packageJson.homepage)) return packageJson.homepage;
  const repository = packageJson.repository;
  const raw = typeof repository === "string" ? repository : typeof repository === "object" && repository !== null ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== "string") return undefined;
  const url = raw.replace(/^git\+/, "").replace(/\.git$/, "");
  return isExternalWebUrl(url) && url.startsWith("https:") ? `${url}#readme` : undefined;
}
