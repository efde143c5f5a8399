// `npm start`: builds what is out of date and opens Hearth in Electron; where Electron
// cannot start (no display, no Electron binary), says why in one line and starts the same
// UI headless instead (`hearth serve --ui`), which prints the address to open in a browser.
//
//   npm start                       the desktop app, or the UI in a browser
//   npm start -- --model x.gguf     arguments after `--` go to the app: to `hearth serve`
//                                   in the fallback (see `hearth serve --help`)
//
// Steps: the renderer is built (vite) when dist/renderer is missing or older than its
// sources; the main process is bundled (esbuild, about a second) only when Electron is to
// start, since the headless fallback does not load it; the launch check
// is main/launch-check.ts's (through tsx, as bin/hearth.js runs the CLI). Electron ≥ 45
// downloads its binary on first use rather than at `npm install`, so a missing binary is
// fetched here, once, when there is a display to open it on.
//
// The child (Electron or `hearth serve`) gets this process's stdout and stderr, and its
// exit code becomes this one's. SIGINT, SIGTERM and SIGHUP are passed on (see
// `runForwardingSignals`), so Ctrl-C stops it in order: `hearth serve` finishes its turns
// and stops the MCP servers; Electron quits as from the menu.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import { register } from "tsx/esm/api";
import { buildMain, ROOT } from "./build-main.mjs";
import { ensureElectronNativeModules } from "./electron-natives.mjs";

/** Signals within this many milliseconds of one passed on are the same keypress (see below). */
const DUPLICATE_SIGNAL_MS = 300;

const say = (line) => process.stderr.write(`hearth: ${line}\n`);

/** The newest modification time (ms) of the files under `paths` (files or folders), skipping tests. */
function newestModification(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== "node_modules") visit(join(path, entry));
    } else if (!/\.test\.tsx?$/.test(path)) {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

/** Whether dist/renderer is missing or older than what it is built from (renderer/ imports app/contract/). */
function rendererIsStale() {
  const built = join(ROOT, "dist", "renderer", "index.html");
  if (!existsSync(built)) return true;
  const sources = [join(ROOT, "renderer"), join(ROOT, "app", "contract"), join(ROOT, "vite.config.ts"), join(ROOT, "package-lock.json")];
  return newestModification(sources) > statSync(built).mtimeMs;
}

/** Runs `node args…` in the root with inherited stdio; throws when it fails. */
function runNode(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${what} failed (${result.error?.message ?? `exit status ${result.status ?? result.signal}`})`);
}

/**
 * Starts `command args…` with this process's stdout and stderr, passes on SIGINT, SIGTERM
 * and SIGHUP, and resolves to the exit code this process should end with.
 *
 * The child runs in a process group of its own (POSIX), so only this process passes it the
 * signal: otherwise a Ctrl-C in a terminal would reach it twice, from the terminal and
 * from here, and `hearth serve` takes a second interrupt as "exit now". Under `npm start`,
 * npm also passes its own SIGINT on to this process, so one keypress arrives here twice as
 * well: signals within {@link DUPLICATE_SIGNAL_MS} of the last one passed on are dropped.
 * A terminal that closes (SIGHUP) stops the child as SIGTERM would. On Windows a console's
 * Ctrl-C reaches every process attached to it, the child included, and `kill` would
 * terminate the child outright, so nothing is passed on there.
 */
function runForwardingSignals(command, args, options = {}) {
  const posix = process.platform !== "win32";
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], detached: posix, ...options });
  let lastPassedOn = -Infinity;
  const passOn = (signal) => {
    const now = performance.now();
    if (now - lastPassedOn < DUPLICATE_SIGNAL_MS) return;
    lastPassedOn = now;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
  };
  const signals = posix ? ["SIGINT", "SIGTERM", "SIGHUP"] : [];
  for (const signal of signals) process.on(signal, passOn);
  // This process ending first (an uncaught error) must not leave the child behind.
  const stopChild = () => child.kill("SIGTERM");
  process.on("exit", stopChild);
  return new Promise((resolve) => {
    const done = (code) => {
      for (const signal of signals) process.off(signal, passOn);
      process.off("exit", stopChild);
      resolve(code);
    };
    child.once("error", (error) => {
      say(`cannot start ${command}: ${error.message}`);
      done(1);
    });
    child.once("exit", (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}

/** The launch check, fetching Electron's binary first when that is all that is missing. */
async function launchCheck() {
  const { canLaunchElectron } = await import("../main/launch-check.ts");
  const environment = { platform: process.platform, variables: process.env };
  const check = canLaunchElectron(environment);
  if (check.ok || check.code !== "electron_binary_missing") return check;
  say("downloading Electron's binary (once)…");
  const installScript = join(dirname(createRequire(join(ROOT, "package.json")).resolve("electron/package.json")), "install.js");
  const download = spawnSync(process.execPath, [installScript], { cwd: ROOT, stdio: "inherit" });
  if (download.status === 0) return canLaunchElectron(environment);
  return { ...check, reason: `${check.reason} (the download failed${download.error ? `: ${download.error.message}` : ", see above"})` };
}

/** `hearth serve --ui` with the data folder's MCP config, and `extraArguments` after. */
async function serveHeadless(extraArguments) {
  const { userDataFolder } = await import("../models/data-folder.ts");
  const mcpConfig = join(userDataFolder(), "mcp-config.json");
  const givenConfig = extraArguments.some((argument) => argument === "--mcp-config" || argument.startsWith("--mcp-config="));
  const configArguments = existsSync(mcpConfig) && !givenConfig ? ["--mcp-config", mcpConfig] : [];
  return runForwardingSignals(process.execPath, [join(ROOT, "bin", "hearth.js"), "serve", "--ui", ...configArguments, ...extraArguments]);
}

async function start() {
  const extraArguments = process.argv.slice(2);
  if (extraArguments[0] === "--") extraArguments.shift();

  if (rendererIsStale()) {
    say("building the UI (npm run build:ui)…");
    runNode([join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], "building the UI");
  }
  register();

  let check = await launchCheck();
  if (check.ok) {
    const natives = ensureElectronNativeModules({ root: ROOT, log: say });
    if (!natives.ok) check = { ok: false, code: "native_modules", reason: natives.reason };
  }
  if (!check.ok) {
    say(`Electron cannot start here: ${check.reason}`);
    say("starting the same UI headless instead (hearth serve --ui): open the URL it prints in a browser");
    return serveHeadless(extraArguments);
  }
  await buildMain();
  // ELECTRON_RUN_AS_NODE (set by some tools) would make Electron a plain Node.
  const { ELECTRON_RUN_AS_NODE: _runAsNode, ...environment } = process.env;
  return runForwardingSignals(check.executable, [".", ...extraArguments], { env: environment });
}

try {
  process.exitCode = await start();
} catch (error) {
  say(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
