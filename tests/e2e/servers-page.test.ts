// The MCP servers page end to end (issue 7), as a user sees it: Debian's Chromium, driven by
// playwright-core, against `hearth serve --ui` with an empty mcp-config.json that the page
// edits. Adds the weather server through the form (tested first), a broken command and a
// crashing one, imports a Claude Desktop config, and tries to save invalid raw JSON.
// Screenshots of each step go to test-results/e2e/servers-*.png.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEATHER_SERVER } from "../fixtures/weather-server.js";
import { launchChromium, SHOTS, waitForUiUrl } from "./browser.js";
import { startHearthServe, type RunningHearth } from "../server/server-fixture.js";

const MISSING_COMMAND = "hearth-no-such-command-e2e";

let browser: Browser;
let dataDir: string;
let server: RunningHearth | undefined;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), "hearth-e2e-servers-"));
  // No model: the page needs none. The fixture gives `--mcp-config` a file of its own, which the page edits.
  server = await startHearthServe({ model: null, mcpConfig: { servers: [] }, args: ["--approve", "deny", "--ui"], env: { HEARTH_DATA_DIR: dataDir } });
  const url = await waitForUiUrl(server);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.getByTestId("nav-servers").click();
  await page.getByTestId("page-servers").waitFor();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const row = (id: string): Locator => page.locator(`[data-testid="server-row"][data-server-id="${id}"]`);
// The page scrolls inside its main column, so a shot is of the viewport, scrolled to what matters.
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `servers-${name}.png`) });

const scrollTo = (locator: Locator) => locator.evaluate((element) => element.scrollIntoView({ block: "start" }));

/** Opens the form and fills a Process server. */
async function fillProcessServer(id: string, command: string, args: string[]): Promise<Locator> {
  await page.getByTestId("servers-tab-servers").click();
  await page.getByTestId("add-server").click();
  const form = page.getByTestId("server-form");
  await form.waitFor();
  await form.getByTestId("field-id").fill(id);
  await form.getByTestId("field-command").fill(command);
  for (const [index, arg] of args.entries()) {
    await form.getByRole("button", { name: "Add argument" }).click();
    await form.getByLabel(`Argument ${index + 1}`, { exact: true }).fill(arg);
  }
  return form;
}

describe("the MCP servers page in Chromium", () => {
  it("starts empty, with a call to add a server", async () => {
    await page.getByTestId("servers-empty").waitFor({ timeout: 20_000 });
    await shot("0-empty");
  });

  it("checks the form as the user types, with each error next to its field", async () => {
    await page.getByTestId("add-server-empty").click();
    const form = page.getByTestId("server-form");
    await form.getByTestId("field-tool-prefix").fill("has space");
    await expect.poll(() => form.locator('[data-testid="field-error"][data-field="toolPrefix"]').textContent()).toContain("letters");
    await form.getByTestId("field-type").selectOption("Http");
    await form.getByTestId("field-url").fill("ftp://example.com");
    await expect.poll(() => form.locator('[data-testid="field-error"][data-field="url"]').textContent()).toContain("http://");
    await form.getByTestId("save-server").click();
    await expect.poll(() => form.locator('[data-testid="field-error"][data-field="id"]').count()).toBe(1);
    expect(await form.getByTestId("token-state").textContent()).toBe("not set");
    await shot("1-form-errors");
    await form.getByTestId("cancel-server").click();
  });

  it("tests the weather server before saving, saves it, and shows it running with its tools", async () => {
    const form = await fillProcessServer("weather", process.execPath, [WEATHER_SERVER]);
    await form.getByTestId("field-name").fill("Weather");
    await form.getByTestId("test-connection").click();
    const result = form.getByTestId("test-result");
    await expect.poll(() => result.getAttribute("data-ok"), { timeout: 30_000 }).toBe("true");
    expect(await result.getByTestId("test-tool").first().textContent()).toContain("get_weather");
    await shot("2-test-ok");

    await form.getByTestId("save-server").click();
    await expect.poll(() => row("weather").getAttribute("data-status"), { timeout: 30_000 }).toBe("running");
    expect(await row("weather").getByTestId("tool-count").textContent()).toContain("1 tool");
    await row("weather").getByTestId("show-tools").click();
    const tool = row("weather").locator('[data-testid="server-tool"][data-tool-name="get_weather"]');
    await tool.waitFor({ timeout: 20_000 });
    await tool.locator("summary").click();
    expect(await tool.getByTestId("tool-schema").textContent()).toContain('"city"');
    await tool.getByTestId("tool-policy").selectOption("always");
    await expect.poll(() => tool.getByTestId("tool-policy").inputValue()).toBe("always");
    await shot("3-running-with-tools");
  }, 90_000);

  it("shows a command that is not on PATH in red, with the PATH folders it searched", async () => {
    const form = await fillProcessServer("broken", MISSING_COMMAND, ["--serve"]);
    await form.getByTestId("test-connection").click();
    const result = form.getByTestId("test-result");
    await expect.poll(() => result.getAttribute("data-ok"), { timeout: 30_000 }).toBe("false");
    await expect.poll(() => result.getByTestId("launch-path").locator("li").count()).toBeGreaterThan(0);
    expect(await result.getByTestId("launch-message").textContent()).toContain(MISSING_COMMAND);
    await shot("4-test-broken");

    await form.getByTestId("save-server").click();
    await expect.poll(() => row("broken").getAttribute("data-status"), { timeout: 30_000 }).toBe("error");
    // The launch diagnostics come with the error, PATH folders and all.
    await expect.poll(() => row("broken").getByTestId("launch-path").locator("li").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await row("broken").getByTestId("server-error").textContent()).toContain(MISSING_COMMAND);
    await scrollTo(row("broken"));
    await shot("5-broken-command");
  }, 90_000);

  it("shows a server that exits at start in red, with what it wrote to stderr", async () => {
    const form = await fillProcessServer("crashes", process.execPath, ["-e", "console.error('boom: no API key given'); process.exit(1)"]);
    await form.getByTestId("save-server").click();
    await expect.poll(() => row("crashes").getAttribute("data-status"), { timeout: 30_000 }).toBe("error");
    const stderr = row("crashes").getByTestId("server-stderr");
    await stderr.waitFor({ timeout: 20_000 });
    await stderr.locator("summary").click();
    expect(await stderr.textContent()).toContain("boom: no API key given");
    await row("crashes").getByTestId("show-log").click();
    await expect.poll(() => row("crashes").getByTestId("server-log").textContent(), { timeout: 20_000 }).toContain("boom");
    await scrollTo(row("crashes"));
    await shot("6-crashing-server");
  }, 90_000);

  it("imports a Claude Desktop config with two servers", async () => {
    await page.getByTestId("servers-tab-import").click();
    const claude = { mcpServers: { alpha: { command: process.execPath, args: [WEATHER_SERVER] }, beta: { command: process.execPath, args: [WEATHER_SERVER], env: { WEATHER_MODE: "slow" } } } };
    await page.getByTestId("import-text").fill(JSON.stringify(claude, null, 2));
    await page.getByTestId("import-servers").click();
    const added = page.getByTestId("import-added");
    await added.waitFor({ timeout: 20_000 });
    expect(await added.textContent()).toContain("alpha");
    expect(await added.textContent()).toContain("beta");
    await page.getByTestId("export-servers").click();
    await expect.poll(() => page.getByTestId("export-text").inputValue()).toContain('"alpha"');
    await shot("7-imported");

    await page.getByTestId("servers-tab-servers").click();
    await expect.poll(() => row("alpha").getAttribute("data-status"), { timeout: 30_000 }).toBe("running");
    await expect.poll(() => row("beta").getAttribute("data-status"), { timeout: 30_000 }).toBe("running");
    // Switching one off stops it.
    await row("beta").getByTestId("server-enabled").uncheck();
    await expect.poll(() => row("beta").getAttribute("data-status"), { timeout: 20_000 }).toBe("disabled");
    await scrollTo(row("crashes"));
    await shot("8-list");
  }, 90_000);

  it("refuses invalid raw JSON, says where it is wrong, and keeps the file as it was", async () => {
    await page.getByTestId("servers-tab-raw").click();
    const path = (await page.getByTestId("config-path").textContent()) ?? "";
    expect(path).toMatch(/mcp-config\.json$/);
    const before = await readFile(path, "utf8");
    expect(JSON.parse(before)).toMatchObject({ servers: expect.arrayContaining([expect.objectContaining({ id: "weather" })]) });
    const editor = page.getByTestId("raw-editor");
    await expect.poll(() => editor.inputValue()).toContain('"weather"');

    const broken = before.replace('"weather"', '"weather",,');
    await editor.fill(broken);
    await page.getByTestId("save-raw").click();
    const problem = page.getByTestId("raw-problem").first();
    await problem.waitFor({ timeout: 20_000 });
    const line = Number(await problem.getAttribute("data-line"));
    expect(line).toBeGreaterThan(0);
    expect(await readFile(path, "utf8")).toBe(before);
    await problem.click();
    const caretLine = await editor.evaluate((element) => {
      // The root tsconfig has no DOM types: the textarea's two properties, structurally.
      const area = element as unknown as { value: string; selectionStart: number };
      return area.value.slice(0, area.selectionStart).split("\n").length;
    });
    expect(caretLine).toBe(line);
    await shot("9-raw-refused");
  }, 60_000);

  it("edits a server in place, and removes one after asking", async () => {
    await page.getByTestId("servers-tab-servers").click();
    await row("alpha").getByTestId("edit-server").click();
    const form = page.getByTestId("server-form");
    expect(await form.getByTestId("field-id").inputValue()).toBe("alpha");
    await form.getByTestId("field-name").fill("Alpha weather");
    await form.getByTestId("save-server").click();
    await expect.poll(() => row("alpha").locator(".servers-item-name").textContent(), { timeout: 20_000 }).toBe("Alpha weather");

    await row("crashes").getByTestId("remove-server").click();
    await row("crashes").getByTestId("confirm-remove").waitFor();
    await shot("10-confirm-remove");
    await row("crashes").getByTestId("confirm-remove").click();
    await expect.poll(() => row("crashes").count(), { timeout: 20_000 }).toBe(0);
  }, 60_000);

  it("checks and saves the global settings", async () => {
    await page.getByTestId("servers-tab-settings").click();
    const settings = page.getByTestId("mcp-settings");
    await settings.getByTestId("setting-timeout").fill("0");
    await expect.poll(() => settings.locator('[data-testid="field-error"][data-field="tool_timeout_secs"]').count()).toBe(1);
    expect(await settings.getByTestId("save-settings").isDisabled()).toBe(true);
    await settings.getByTestId("setting-timeout").fill("45");
    await settings.getByTestId("save-settings").click();
    await expect.poll(() => settings.getByRole("status").textContent(), { timeout: 20_000 }).toBe("Saved.");
    await page.getByTestId("servers-tab-raw").click();
    const path = (await page.getByTestId("config-path").textContent()) ?? "";
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ tool_timeout_secs: 45 });
  }, 60_000);

  it("reads in the dark theme", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByTestId("servers-tab-servers").click();
    await row("broken").getByTestId("show-tools").waitFor();
    await shot("11-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });
});
