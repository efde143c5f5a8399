// The settings page end to end (issue 7), as a user sees it: Debian's Chromium, driven by
// playwright-core, against `hearth serve --ui` (the real CLI, no model, the get_weather MCP
// server over stdio writing a few stderr lines as it starts). An "always" rule is written
// into the data folder's database before the server starts. Screenshots go to
// test-results/e2e/settings-*.png.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatStore } from "../../app/store/index.js";
import { WEATHER_SERVER, weatherProcessSource } from "../fixtures/weather-server.js";
import { launchChromium, SHOTS, waitForUiUrl } from "./browser.js";
import { startHearthServe, type RunningHearth } from "../server/server-fixture.js";

const WARMING_UP = "weather: warming up";
const COLD_CACHE = "WARN weather: the cache is cold";

let browser: Browser;
let dataDir: string;
let server: RunningHearth;
let url: string;

/** The weather server over stdio, writing two lines to stderr before it starts. */
function chattyWeather() {
  const source = weatherProcessSource();
  const writes = [WARMING_UP, COLD_CACHE].map((line) => `process.stderr.write(${JSON.stringify(`${line}\n`)});`).join("");
  return { ...source, args: ["-e", `${writes}import(${JSON.stringify(pathToFileURL(WEATHER_SERVER).href)});`] };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "hearth-e2e-settings-"));
  {
    using store = ChatStore.open(join(dataDir, "hearth.db"));
    store.setApprovalRule({ serverId: "weather", toolName: "get_weather", policy: "always" });
    store.setApprovalRule({ serverId: "files", policy: "always" });
    store.setApprovalRule({ serverId: "weather", toolName: "forecast", policy: "ask" });
  }
  browser = await launchChromium();
  server = await startHearthServe({ model: null, mcpConfig: { servers: [{ id: "weather", source: chattyWeather() }] }, args: ["--approve", "deny", "--ui"], env: { HEARTH_DATA_DIR: dataDir } });
  url = await waitForUiUrl(server);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  if (server !== undefined) expect(await server.close()).toBe(0);
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** A page on the UI (in a fresh browser context: nothing remembered), on the settings page once loaded. */
async function openSettings(existing?: Page): Promise<Page> {
  const page = existing ?? (await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage());
  if (existing === undefined) await page.goto(url);
  else await page.reload();
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("page-settings").waitFor();
  await expect.poll(() => page.getByTestId("data-folder").textContent()).toBe(dataDir);
  return page;
}

const background = (page: Page) => page.evaluate<string>("getComputedStyle(document.body).backgroundColor");

describe("the settings page in Chromium", () => {
  it("lists the approvals given 'always', and a revoked one stays gone after a reload", async () => {
    const page = await openSettings();
    const rules = page.getByTestId("approval-rule");
    await expect.poll(() => rules.count()).toBe(2);
    expect(await page.getByTestId("approval-rules").textContent()).toContain("all tools");
    await page.screenshot({ path: join(SHOTS, "settings-light.png"), fullPage: true });

    const weather = page.locator('[data-testid="approval-rule"][data-server="weather"][data-tool="get_weather"]');
    expect(await weather.count()).toBe(1);
    await weather.getByRole("button", { name: 'Revoke "always" for get_weather of weather' }).click();
    await expect.poll(() => weather.count()).toBe(0);
    expect(await rules.count()).toBe(1);

    await openSettings(page);
    await expect.poll(() => rules.count()).toBe(1);
    expect(await page.locator('[data-testid="approval-rule"][data-server="files"]').count()).toBe(1);
    expect(await weather.count()).toBe(0);

    // The last one, from the keyboard: then the empty state.
    await page.getByTestId("revoke-rule").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("approval-rules-empty").waitFor();
    await page.close();
  }, 120_000);

  it("switches to the dark theme at once, and keeps it across a reload and in a new window", async () => {
    const page = await openSettings();
    const light = await background(page);
    expect(light).toBe("rgb(255, 255, 255)");
    await page.getByTestId("theme-dark").check();
    await expect.poll(() => background(page)).toBe("rgb(22, 24, 28)");
    expect(await page.evaluate<string[]>("[document.documentElement.dataset.theme, getComputedStyle(document.documentElement).colorScheme]")).toEqual(["dark", "dark"]);
    await page.screenshot({ path: join(SHOTS, "settings-dark.png"), fullPage: true });

    await openSettings(page);
    await expect.poll(() => background(page)).toBe("rgb(22, 24, 28)");
    expect(await page.getByTestId("theme-dark").isChecked()).toBe(true);

    // A fresh context has nothing in localStorage: the theme comes from the core's setting.
    const fresh = await openSettings();
    await expect.poll(() => background(fresh)).toBe("rgb(22, 24, 28)");

    // Light wins over a dark system; system follows it again.
    await fresh.emulateMedia({ colorScheme: "dark" });
    await fresh.getByTestId("theme-light").check();
    await expect.poll(() => background(fresh)).toBe("rgb(255, 255, 255)");
    await fresh.getByTestId("theme-system").check();
    await expect.poll(() => background(fresh)).toBe("rgb(22, 24, 28)");
    expect(await fresh.evaluate<string | null>("document.documentElement.dataset.theme ?? null")).toBeNull();
    await fresh.emulateMedia({ colorScheme: "light" });
    await expect.poll(() => background(fresh)).toBe("rgb(255, 255, 255)");
    await fresh.close();
    await page.close();
  }, 120_000);

  it("keeps a fixed number of CPU threads across a reload", async () => {
    const page = await openSettings();
    expect(await page.getByTestId("threads-auto").isChecked()).toBe(true);
    await page.getByTestId("threads-count").fill("6");
    await page.getByTestId("threads-count").press("Enter");
    await expect.poll(() => page.getByTestId("threads-fixed").isChecked()).toBe(true);
    await openSettings(page);
    await expect.poll(() => page.getByTestId("threads-fixed").isChecked()).toBe(true);
    expect(await page.getByTestId("threads-count").inputValue()).toBe("6");
    await page.getByTestId("settings-performance").screenshot({ path: join(SHOTS, "settings-threads.png") });
    await page.close();
  }, 120_000);

  it("shows the weather server's stderr in the log viewer, filtered by source and level", async () => {
    const page = await openSettings();
    const entries = page.getByTestId("log-entry");
    await page.getByTestId("logs-source").selectOption("weather");
    await expect.poll(() => entries.allTextContents(), { timeout: 20_000 }).toEqual([expect.stringContaining(COLD_CACHE), expect.stringContaining(WARMING_UP)]);
    expect(await entries.first().getAttribute("data-level")).toBe("warn");
    expect(await entries.last().getAttribute("data-source")).toBe("weather");

    await page.getByTestId("logs-level").selectOption("warn");
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain(COLD_CACHE);

    // Every source: the settings changed by the tests before are in the app's log.
    await page.getByTestId("logs-level").selectOption("debug");
    await page.getByTestId("logs-source").selectOption("");
    await page.getByTestId("logs-refresh").click();
    await expect.poll(async () => (await entries.allTextContents()).join("\n")).toContain("settings changed: theme = dark");
    await page.getByTestId("settings-logs").screenshot({ path: join(SHOTS, "settings-logs.png") });
    await page.close();
  }, 120_000);
});
