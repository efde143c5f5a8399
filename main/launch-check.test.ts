// Test double: Electron cannot be launched on this machine (its binary does not install),
// so the file system and `require.resolve` are fakes describing each way an install can
// be: no package, a package whose download failed, a complete one.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canLaunchElectron, nodeLaunchFileSystem, type LaunchFileSystem } from "./launch-check.js";

const PACKAGE = join("/project", "node_modules", "electron");

/** A fake file system holding `files` (path → content); `resolve("electron")` works when `installed`. */
function fakeFileSystem(options: { installed: boolean; files?: Record<string, string> }): LaunchFileSystem {
  const files = options.files ?? {};
  return {
    resolve(specifier) {
      if (specifier === "electron" && options.installed) return join(PACKAGE, "index.js");
      throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: "MODULE_NOT_FOUND" });
    },
    existsSync: (path) => Object.hasOwn(files, path),
    readFileSync(path) {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      return files[path]!;
    },
  };
}

const complete = fakeFileSystem({ installed: true, files: { [join(PACKAGE, "path.txt")]: "electron", [join(PACKAGE, "dist", "electron")]: "" } });
const withDisplay = { platform: "linux", variables: { DISPLAY: ":0" } };

describe("canLaunchElectron", () => {
  it("needs a display on Linux", () => {
    expect(canLaunchElectron({ platform: "linux", variables: {} }, complete)).toMatchObject({ ok: false, code: "no_display", reason: expect.stringContaining("DISPLAY") });
    expect(canLaunchElectron({ platform: "linux", variables: { DISPLAY: " " } }, complete)).toMatchObject({ ok: false, code: "no_display" });
    expect(canLaunchElectron({ platform: "linux", variables: { WAYLAND_DISPLAY: "wayland-0" } }, complete)).toMatchObject({ ok: true });
  });

  it("needs no display variable on macOS or Windows", () => {
    const mac = fakeFileSystem({
      installed: true,
      files: { [join(PACKAGE, "path.txt")]: "Electron.app/Contents/MacOS/Electron", [join(PACKAGE, "dist", "Electron.app/Contents/MacOS/Electron")]: "" },
    });
    expect(canLaunchElectron({ platform: "darwin", variables: {} }, mac)).toEqual({ ok: true, executable: join(PACKAGE, "dist", "Electron.app/Contents/MacOS/Electron") });
  });

  it("needs the electron package", () => {
    expect(canLaunchElectron(withDisplay, fakeFileSystem({ installed: false }))).toMatchObject({ ok: false, code: "electron_missing", reason: expect.stringContaining("not installed") });
  });

  it("needs the binary the package's install script downloads", () => {
    expect(canLaunchElectron(withDisplay, fakeFileSystem({ installed: true }))).toMatchObject({ ok: false, code: "electron_binary_missing", reason: expect.stringContaining("path.txt") });
    expect(canLaunchElectron(withDisplay, fakeFileSystem({ installed: true, files: { [join(PACKAGE, "path.txt")]: "  \n" } }))).toMatchObject({ code: "electron_binary_missing" });
    const recordedButGone = fakeFileSystem({ installed: true, files: { [join(PACKAGE, "path.txt")]: "electron" } });
    expect(canLaunchElectron(withDisplay, recordedButGone)).toMatchObject({ ok: false, code: "electron_binary_missing", reason: expect.stringContaining(join(PACKAGE, "dist", "electron")) });
  });

  it("finds a complete install, and honours ELECTRON_OVERRIDE_DIST_PATH", () => {
    expect(canLaunchElectron(withDisplay, complete)).toEqual({ ok: true, executable: join(PACKAGE, "dist", "electron") });
    const overridden = fakeFileSystem({ installed: true, files: { [join("/opt/electron", "electron")]: "" } });
    expect(canLaunchElectron({ platform: "linux", variables: { DISPLAY: ":0", ELECTRON_OVERRIDE_DIST_PATH: "/opt/electron" } }, overridden)).toEqual({
      ok: true,
      executable: join("/opt/electron", "electron"),
    });
  });

  it("resolves packages from this folder with the real file system", () => {
    const fs = nodeLaunchFileSystem();
    expect(fs.resolve("zod")).toContain("zod");
    expect(() => fs.resolve("hearth-no-such-package")).toThrow();
    expect(fs.existsSync(fs.resolve("zod"))).toBe(true);
  });
});
