// What every e2e spec shares: Debian's Chromium driven by playwright-core, the folder the
// screenshots go to, and waiting for `hearth serve --ui` to print the UI's address.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import type { RunningHearth } from "../server/server-fixture.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

/** Where the specs write their screenshots. */
export const SHOTS = join(process.cwd(), "test-results", "e2e");

/** Launches headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and makes sure SHOTS exists. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** The address `hearth serve --ui` printed, waiting up to 10 s for it. */
export async function waitForUiUrl(server: RunningHearth): Promise<string> {
  for (let tries = 0; server.uiUrl() === undefined && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
  const url = server.uiUrl();
  if (url === undefined) throw new Error(`hearth serve printed no UI address:\n${server.stderr()}`);
  return url;
}
