#!/usr/bin/env node
// Entry point of the `hearth` command: runs the TypeScript CLI through tsx, so the
// checkout works without a build step (`npx hearth …`).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../app/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
