// The models page end to end, as a user sees it: Debian's Chromium, driven by
// playwright-core, against `hearth serve --ui` started without a model, whose data folder's
// models/ holds a copy of the scripted model. Loading it from the page shows a progress
// bar, then the model loaded on the CPU. Screenshot: test-results/e2e/models-page.png.
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL } from "../fixtures/models.js";
import { startModelFileServer, type ModelFileServer } from "../fixtures/model-file-server.js";
import { launchChromium, SHOTS, waitForUiUrl } from "./browser.js";
import { startHearthServe, type RunningHearth } from "../server/server-fixture.js";


/**
 * Runs in the page: records each appearance of the load progress bar and the values it
 * showed, however briefly it was there (a small model loads in well under a second).
 */
const WATCH_PROGRESS = `(() => {
  window.__progressSeen = [];
  const record = () => {
    const bar = document.querySelector('[data-testid="model-load-progress"]');
    if (bar) window.__progressSeen.push({ role: bar.getAttribute("role"), value: bar.getAttribute("aria-valuenow") });
  };
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
})()`;

let browser: Browser;
let dataDir: string;
let server: RunningHearth | undefined;
let files: ModelFileServer | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), "hearth-e2e-models-"));
  await mkdir(join(dataDir, "models"));
  await copyFile(SCRIPTED_MODEL, join(dataDir, "models", "scripted.gguf"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await files?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe("the models page in Chromium", () => {
  it("loads the scripted model from the models page with a progress bar", async () => {
    // Two threads: the machines that run this have two cores (see ../shared/fixtures/models/README.md).
    server = await startHearthServe({ model: null, args: ["--approve", "deny", "--ui", "--threads", "2"], env: { HEARTH_DATA_DIR: dataDir } });
    const url = await waitForUiUrl(server);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);

    await page.getByTestId("nav-models").click();
    const row = page.locator('[data-testid="model-row"][data-model-id="local:scripted.gguf"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator("td").nth(0).textContent()).toBe("263 kB");
    expect(await page.locator('[data-testid="model-load-status"]').getAttribute("data-state")).toBe("none");
    // The recommended list is there to download from.
    expect(await page.getByTestId("models-recommended").locator("li").count()).toBeGreaterThan(0);

    await page.evaluate(WATCH_PROGRESS);
    await row.getByTestId("model-load").click();
    const status = page.locator('[data-testid="model-load-status"][data-state="loaded"]');
    await status.waitFor({ timeout: 60_000 });
    expect(await status.getAttribute("data-backend")).toBe("cpu");
    expect(await status.textContent()).toContain("CPU");
    expect(await status.textContent()).toMatch(/0 of \d+ layers on the GPU/);
    expect(await row.getAttribute("data-loaded")).toBe("true");

    const seen = (await page.evaluate("window.__progressSeen")) as Array<{ role: string | null; value: string | null }>;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((entry) => entry.role === "progressbar")).toBe(true);
    const values = seen.map((entry) => Number(entry.value));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(await page.getByTestId("model-load-progress").count()).toBe(0);

    await page.screenshot({ path: join(SHOTS, "models-page.png"), fullPage: true });
    const health = (await (await fetch(`${server.origin}/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
    await page.close();
  }, 180_000);

  it("downloads a model by URL with progress, cancel and resume, and keeps the remote key masked", async () => {
    if (server === undefined) throw new Error("the first test starts the server");
    files = await startModelFileServer();
    const content = await readFile(SCRIPTED_MODEL);
    // A slow link, so the download can be watched and cancelled.
    files.serveFile("/files/fetched.gguf", content, { chunkBytes: 8_192, chunkDelayMs: 100 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.uiUrl()!);
    await page.getByTestId("nav-models").click();
    await page.getByTestId("model-uri").fill(`${files.url}/files/fetched.gguf`);
    await page.getByTestId("model-uri").press("Enter");
    const download = page.getByTestId("model-download").filter({ hasText: "fetched.gguf" });
    // Some bytes first, so there is something to resume.
    await expect.poll(async () => Number((await download.locator('[role="progressbar"]').getAttribute("aria-valuenow", { timeout: 1_000 }).catch(() => null)) ?? 0), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    await download.getByRole("button", { name: /^Cancel the download/ }).click();
    await expect.poll(() => download.getAttribute("data-state"), { timeout: 20_000 }).toBe("cancelled");
    await download.getByRole("button", { name: /^Resume the download/ }).click();
    await expect.poll(() => download.getAttribute("data-state"), { timeout: 30_000 }).toBe("done");
    expect(files.requestsFor("/files/fetched.gguf").at(-1)?.range).toMatch(/^bytes=\d+-$/);
    await page.locator('[data-testid="model-row"][data-model-id="local:fetched.gguf"]').waitFor({ timeout: 20_000 });

    const form = page.getByTestId("remote-form");
    await form.getByLabel("Base URL").fill("http://127.0.0.1:9/v1");
    await form.getByLabel("Model name").fill("remote-model");
    await form.getByLabel(/^API key/).fill("sk-e2e-secret");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByTestId("remote-key-status").textContent()).toBe("set");
    expect(await form.getByLabel(/^API key/).inputValue()).toBe("");
    expect(await page.content()).not.toContain("sk-e2e-secret");
    await form.getByRole("button", { name: "Test" }).click();
    await expect.poll(() => page.getByTestId("remote-test-result").textContent(), { timeout: 15_000 }).toContain("cannot reach");

    await page.screenshot({ path: join(SHOTS, "models-page-downloads.png") });
    await page.close();
  }, 180_000);
});
