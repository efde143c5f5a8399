/** The data folder rule on each platform, and its override. */
import { describe, expect, it } from "vitest";
import { defaultModelsFolder, userDataFolder } from "./data-folder.js";

describe("userDataFolder", () => {
  it.each([
    ["linux", {}, "/home/ada/.local/share/hearth"],
    ["linux", { XDG_DATA_HOME: "/data/ada" }, "/data/ada/hearth"],
    ["linux", { XDG_DATA_HOME: "relative/ignored" }, "/home/ada/.local/share/hearth"],
    ["freebsd", {}, "/home/ada/.local/share/hearth"],
    ["darwin", {}, "/home/ada/Library/Application Support/Hearth"],
    ["win32", { APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, "C:\\Users\\ada\\AppData\\Roaming\\Hearth"],
    ["darwin", { HEARTH_DATA_DIR: "/tmp/hearth-data" }, "/tmp/hearth-data"],
    ["win32", { HEARTH_DATA_DIR: "D:\\hearth" }, "D:\\hearth"],
  ] as const)("%s with %j is %s", (platform, env, expected) => {
    expect(userDataFolder({ platform, env, home: "/home/ada" })).toBe(expected);
  });

  it("falls back to AppData\\Roaming under the home folder on Windows without APPDATA", () => {
    expect(userDataFolder({ platform: "win32", env: {}, home: "C:\\Users\\ada" })).toBe("C:\\Users\\ada\\AppData\\Roaming\\Hearth");
  });
});

describe("defaultModelsFolder", () => {
  it("is models inside the data folder", () => {
    expect(defaultModelsFolder({ platform: "linux", env: {}, home: "/home/ada" })).toBe("/home/ada/.local/share/hearth/models");
    expect(defaultModelsFolder({ platform: "win32", env: { APPDATA: "C:\\R" }, home: "C:\\Users\\ada" })).toBe("C:\\R\\Hearth\\models");
    expect(defaultModelsFolder({ platform: "linux", env: { HEARTH_DATA_DIR: "/srv/hearth" } })).toBe("/srv/hearth/models");
  });
});
