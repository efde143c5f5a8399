// Test double: Electron cannot be launched on this machine (its binary does not install),
// so the menu is checked as the template `Menu.buildFromTemplate` would receive, and its
// clicks call recording fakes instead of the core and `shell.openExternal`.
import { describe, expect, it, vi } from "vitest";
import { applicationMenuTemplate, readmeUrlFrom, type MenuTemplateItem } from "./menu.js";

function roles(items: MenuTemplateItem[]): string[] {
  return items.flatMap((item) => [...(item.role !== undefined ? [item.role] : []), ...roles(item.submenu ?? [])]);
}
function labels(items: MenuTemplateItem[]): string[] {
  return items.flatMap((item) => [...(item.label !== undefined ? [item.label] : []), ...labels(item.submenu ?? [])]);
}
function find(items: MenuTemplateItem[], label: string): MenuTemplateItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = find(item.submenu ?? [], label);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

const base = { onNewConversation: () => {}, openExternal: () => {}, readmeUrl: "https://example.org/hearth#readme" };

describe("applicationMenuTemplate", () => {
  it("has File, Edit, View, Window and Help on Windows and Linux", () => {
    const template = applicationMenuTemplate({ ...base, platform: "linux", development: false });
    expect(template.map((item) => item.label)).toEqual(["&File", "&Edit", "&View", "&Window", "&Help"]);
    expect(roles(template)).toEqual(expect.arrayContaining(["quit", "undo", "redo", "cut", "copy", "paste", "selectAll", "zoomIn", "zoomOut", "resetZoom", "windowMenu"]));
    expect(roles(template)).not.toContain("appMenu");
  });

  it("leaves reload and developer tools out of a packaged app", () => {
    const packaged = roles(applicationMenuTemplate({ ...base, platform: "win32", development: false }));
    expect(packaged).not.toContain("reload");
    expect(packaged).not.toContain("forceReload");
    expect(packaged).not.toContain("toggleDevTools");
    const development = roles(applicationMenuTemplate({ ...base, platform: "win32", development: true }));
    expect(development).toEqual(expect.arrayContaining(["reload", "forceReload", "toggleDevTools"]));
  });

  it("follows macOS: the application menu first, Quit there, Close in File", () => {
    const template = applicationMenuTemplate({ ...base, platform: "darwin", development: false });
    expect(template[0]).toEqual({ role: "appMenu" });
    expect(roles(template[1]!.submenu!)).toEqual(["close"]);
    expect(roles(template)).toContain("pasteAndMatchStyle");
  });

  it("starts a new conversation from File", () => {
    const onNewConversation = vi.fn();
    const item = find(applicationMenuTemplate({ ...base, onNewConversation, platform: "linux", development: false }), "New Conversation");
    expect(item?.accelerator).toBe("CmdOrCtrl+N");
    item!.click!();
    expect(onNewConversation).toHaveBeenCalledOnce();
  });

  it("opens the README in the browser from Help", () => {
    const openExternal = vi.fn();
    find(applicationMenuTemplate({ ...base, openExternal, platform: "linux", development: false }), "Hearth README")!.click!();
    expect(openExternal).toHaveBeenCalledExactlyOnceWith("https://example.org/hearth#readme");
  });

  it("has no Help menu without a web address for the README", () => {
    for (const readmeUrl of [undefined, "file:///README.md", "javascript:alert(1)"]) {
      const { readmeUrl: _drop, ...rest } = base;
      const template = applicationMenuTemplate({ ...rest, ...(readmeUrl !== undefined ? { readmeUrl } : {}), platform: "linux", development: false });
      expect(labels(template)).not.toContain("&Help");
    }
  });
});

describe("readmeUrlFrom", () => {
  it("takes the homepage, else the repository's web address", () => {
    expect(readmeUrlFrom({ homepage: "https://hearth.example/docs" })).toBe("https://hearth.example/docs");
    expect(readmeUrlFrom({ repository: { type: "git", url: "git+https://github.com/example/hearth.git" } })).toBe("https://github.com/example/hearth#readme");
    expect(readmeUrlFrom({ repository: "https://github.com/example/hearth" })).toBe("https://github.com/example/hearth#readme");
  });

  it("gives nothing when neither is a web address", () => {
    expect(readmeUrlFrom({})).toBeUndefined();
    expect(readmeUrlFrom({ homepage: "javascript:alert(1)" })).toBeUndefined();
    expect(readmeUrlFrom({ repository: "github:example/hearth" })).toBeUndefined();
    expect(readmeUrlFrom({ repository: { url: "git@github.com:example/hearth.git" } })).toBeUndefined();
    expect(readmeUrlFrom({ repository: null })).toBeUndefined();
  });
});
