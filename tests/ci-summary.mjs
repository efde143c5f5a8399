// Prints the closing line of `.ci/run`: "N passed, N failed, N skipped", alone on the
// line, adding up the Vitest results and the conformance scenarios. A suite whose
// results file is missing (the run stopped before it) counts as one failure, so the line
// never reports a clean run that did not happen.
import { readFileSync } from "node:fs";

function read(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = read("test-results/vitest.json");
if (vitest === undefined) {
  console.log("vitest: no results (the run stopped before the tests)");
  failed++;
} else {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
}
const conformance = read("test-results/conformance.json");
if (conformance === undefined) {
  console.log("conformance: no results (the run stopped before the suite)");
  failed++;
} else {
  passed += conformance.passed;
  failed += conformance.failed;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
