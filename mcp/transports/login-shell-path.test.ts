// The login shell's PATH, with fake shells: a script that prints a banner and then runs
// the command it is given as `sh -c` would, one that hangs, and one that prints nothing.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearLoginShellPathCache, loginShellPath } from "./login-shell-path.js";

const posix = process.platform !== "win32";
let folder = "";

/** A shell script at `name` whose body is `body`; it gets the args `-ilc <script>`. */
async function fakeShell(name: string, body: string): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-shell-"));
});
afterAll(() => rm(folder, { recursive: true, force: true }));
beforeEach(() => clearLoginShellPathCache());

describe.runIf(posix)("loginShellPath", () => {
  it("runs $SHELL as a login interactive shell and reads PATH between the markers, past banners", async () => {
    const shell = await fakeShell(
      "banner-shell",
      [
        'test "$1" = "-ilc" || exit 9',
        'echo "Welcome to your shell! PATH is not this"',
        "PATH=/opt/homebrew/bin:/Users/me/.nvm/bin:/usr/bin",
        'eval "$2"',
        'echo "bye"',
      ].join("\n"),
    );
    const found = await loginShellPath({ env: { SHELL: shell, PATH: "/usr/bin:/bin" } });
    expect(found).toEqual({ path: "/opt/homebrew/bin:/Users/me/.nvm/bin:/usr/bin", source: "login-shell" });
  });

  it("caches the answer per shell, and asks again with refresh", async () => {
    const counter = join(folder, "count");
    const shell = await fakeShell("counting-shell", `echo x >> "${counter}"\nPATH=/counted/bin\neval "$2"`);
    await loginShellPath({ shell });
    await loginShellPath({ shell });
    expect((await import("node:fs")).readFileSync(counter, "utf8").trim().split("\n")).toHaveLength(1);
    await loginShellPath({ shell, refresh: true });
    expect((await import("node:fs")).readFileSync(counter, "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("falls back to the process PATH when the shell hangs past the timeout", async () => {
    const shell = await fakeShell("hanging-shell", "exec /bin/sleep 30");
    const started = Date.now();
    const found = await loginShellPath({ shell, timeoutMs: 300, env: { PATH: "/fallback/bin" } });
    expect(found).toEqual({ path: "/fallback/bin", source: "process" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("falls back when the shell prints no PATH or does not exist", async () => {
    const silent = await fakeShell("silent-shell", "exit 1");
    expect(await loginShellPath({ shell: silent, env: { PATH: "/a" } })).toEqual({ path: "/a", source: "process" });
    expect(await loginShellPath({ shell: join(folder, "no-such-shell"), env: { PATH: "/b" } })).toEqual({ path: "/b", source: "process" });
  });
});

describe("loginShellPath on Windows", () => {
  it("uses the process PATH without starting a shell", async () => {
    expect(await loginShellPath({ platform: "win32", shell: "/no/such/shell", env: { Path: "C:\\bin" } })).toEqual({ path: "C:\\bin", source: "process" });
  });
});
