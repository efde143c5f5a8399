// Not a test double: a boundary check. Only the two shells (app.ts, preload.ts) may load
// `electron`; every other file of main/ takes its Electron parts as parameters, which is
// what lets the tests beside them run under plain Node, where Electron cannot start.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const folder = fileURLToPath(new URL(".", import.meta.url));
const importsElectron = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']electron["']/;

describe("main/", () => {
  it("loads electron only in app.ts and preload.ts, and never statically", async () => {
    const files = (await readdir(folder)).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
    const loaders: string[] = [];
    for (const name of files) {
      // Comments may name `require("electron")`; only code counts.
      const text = (await readFile(join(folder, name), "utf8")).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      expect(text, name).not.toMatch(/^\s*import\s[^;]*from\s*["']electron["']/m);
      if (importsElectron.test(text)) loaders.push(name);
    }
    expect(loaders.sort()).toEqual(["app.ts", "preload.ts"]);
  });
});
