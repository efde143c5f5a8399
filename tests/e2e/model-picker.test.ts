// Choosing a conversation's model in the chat UI, as a user does: Debian's Chromium, driven
// by playwright-core, against `hearth serve --ui` (the real CLI, the scripted model through
// real llama.cpp). The data folder's models/ holds a second copy of the scripted model, so
// the picker offers two. Screenshot: test-results/e2e/model-picker.png.
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL } from "../fixtures/models.js";
import { launchChromium, SHOTS, waitForUiUrl } from "./browser.js";
import { startHearthServe, type RunningHearth } from "../server/server-fixture.js";

const CAPITAL = "The capital of France is Paris.";
const COPY = "local:second-copy.gguf";
const SERVED = "local:scripted-toolcall.gguf";

let browser: Browser;
let dataDir: string;
let server: RunningHearth | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), "hearth-e2e-models-"));
  await mkdir(join(dataDir, "models"));
  await copyFile(SCRIPTED_MODEL, join(dataDir, "models", "second-copy.gguf"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** The picker's options as value → text. */
async function options(page: Page): Promise<Record<string, string>> {
  const entries: Array<[string, string]> = [];
  for (const option of await page.getByTestId("model-picker").locator("option").all()) entries.push([(await option.getAttribute("value")) ?? "", (await option.textContent()) ?? ""]);
  return Object.fromEntries(entries);
}

describe("the model picker in Chromium", () => {
  it("lists the models, keeps a conversation's choice across a reload, and answers on it", async () => {
    // No MCP server: the scripted model then answers at once, without a tool call.
    server = await startHearthServe({ mcpConfig: { servers: [] }, args: ["--approve", "deny", "--ui"], env: { HEARTH_DATA_DIR: dataDir } });
    const url = await waitForUiUrl(server);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);

    const picker = page.getByTestId("model-picker");
    await picker.waitFor();
    expect(await page.getByLabel("Model").count()).toBe(1);
    await expect.poll(() => options(page), { timeout: 20_000 }).toEqual({
      "": "Default (scripted-toolcall.gguf)",
      [COPY]: "second-copy.gguf",
      [SERVED]: "scripted-toolcall.gguf · loaded",
    });
    // Nothing to choose for until a conversation is open.
    expect(await picker.isDisabled()).toBe(true);

    await page.getByTestId("new-conversation").click();
    await expect.poll(() => picker.isEnabled()).toBe(true);
    expect(await picker.inputValue()).toBe("");
    await picker.selectOption(COPY);
    await expect.poll(() => picker.inputValue()).toBe(COPY);

    // The choice is the conversation's, kept by the core: it survives a reload.
    await page.reload();
    await page.getByTestId("conversation-item").first().click();
    await expect.poll(() => page.getByTestId("model-picker").inputValue(), { timeout: 20_000 }).toBe(COPY);

    await page.getByTestId("composer").fill("What is the capital of France?");
    await page.getByTestId("composer").press("Enter");
    await expect.poll(() => page.getByTestId("message-assistant").last().textContent(), { timeout: 60_000 }).toContain(CAPITAL);
    // It ran on the chosen copy: the status and the picker say which is loaded now.
    await expect.poll(() => page.getByTestId("model-status").textContent(), { timeout: 20_000 }).toContain("second-copy.gguf");
    await expect.poll(async () => (await options(page))[COPY], { timeout: 20_000 }).toBe("second-copy.gguf · loaded");
    await page.screenshot({ path: join(SHOTS, "model-picker.png") });

    // Back to the default.
    await page.getByTestId("model-picker").selectOption("");
    await page.reload();
    await page.getByTestId("conversation-item").first().click();
    await expect.poll(() => page.getByTestId("model-picker").inputValue(), { timeout: 20_000 }).toBe("");
    await page.close();
    expect(await server.close()).toBe(0);
    server = undefined;
  }, 180_000);
});
