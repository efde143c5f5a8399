import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{app,mcp,models,main,renderer,tests}/**/*.test.ts"],
    // The MCP tests start real servers as child processes; on a 2-core machine running
    // many files at once makes their timings meaningless, so keep the pool small.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
