// `npm run dist [-- electron-builder options]`: the installable packages of this platform
// in release/ (electron-builder.yml), e.g. `npm run dist -- --arm64` or `-- --linux deb`.
// Builds the renderer (vite) and the main process (build-main.mjs), then runs
// electron-builder with the options given.
//
// electron-builder rebuilds better-sqlite3 for Electron in node_modules itself (`npmRebuild`),
// after which the CLI, `hearth serve` and the tests (plain Node) cannot load it. So
// whatever electron-builder's outcome, when Node can no longer load it, it is rebuilt for
// Node again (`npm rebuild better-sqlite3`).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildMain, ROOT } from "./build-main.mjs";

const say = (line) => process.stderr.write(`hearth: ${line}\n`);

/** Runs `node args…` in the root with inherited stdio; its exit status (1 when it could not run). */
const runNode = (args) => spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" }).status ?? 1;

/** Whether plain Node loads better-sqlite3 (in a child: a loaded addon stays loaded). */
const nodeLoadsBetterSqlite = () => spawnSync(process.execPath, ["-e", 'new (require("better-sqlite3"))(":memory:").close()'], { cwd: ROOT, stdio: "ignore" }).status === 0;

/** `npm rebuild better-sqlite3`, with the npm that runs this script when there is one. */
function rebuildForNode() {
  const npmCli = process.env.npm_execpath;
  const [command, args, shell] = npmCli !== undefined && npmCli.endsWith(".js") ? [process.execPath, [npmCli], false] : ["npm", [], process.platform === "win32"];
  return spawnSync(command, [...args, "rebuild", "better-sqlite3"], { cwd: ROOT, stdio: "inherit", shell }).status ?? 1;
}

function dist(builderArguments) {
  if (runNode([join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build"]) !== 0) return 1;
  return buildMain({ log: say }).then(() => {
    const status = runNode([join(ROOT, "node_modules", "electron-builder", "cli.js"), ...builderArguments]);
    if (!nodeLoadsBetterSqlite()) {
      say("rebuilding better-sqlite3 for Node (electron-builder rebuilt it for Electron)…");
      if (rebuildForNode() !== 0) say("could not: run `npm rebuild better-sqlite3` before using the CLI or running the tests");
    }
    return status;
  });
}

const builderArguments = process.argv.slice(2);
if (builderArguments[0] === "--") builderArguments.shift();
try {
  process.exitCode = await dist(builderArguments);
} catch (error) {
  say(`npm run dist failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
