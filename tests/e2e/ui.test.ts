// The chat UI end to end, as a user sees it: Debian's Chromium, driven by playwright-core,
// against `hearth serve --ui` (the real CLI: the scripted model through real llama.cpp,
// the get_weather MCP server over stdio), all started here. Screenshots of each view go
// to test-results/e2e/.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRandomModel } from "../fixtures/models.js";
import { launchChromium, SHOTS, waitForUiUrl } from "./browser.js";
import { startHearthServe, type HearthServeOptions, type RunningHearth } from "../server/server-fixture.js";

const SUNNY = "It's sunny in Paris.";

let browser: Browser;
let dataDir: string;
const servers: RunningHearth[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), "hearth-e2e-"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const server of servers.splice(0)) await server.close();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** Starts `hearth serve --ui` on the shared data folder, and a page on its UI. */
async function openUi(options: HearthServeOptions = {}): Promise<{ server: RunningHearth; page: Page }> {
  const server = await startHearthServe({ ...options, args: ["--approve", "deny", "--ui", ...(options.args ?? [])], env: { HEARTH_DATA_DIR: dataDir, ...options.env } });
  servers.push(server);
  const url = await waitForUiUrl(server);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  return { server, page };
}

async function stopServer(server: RunningHearth): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  expect(await server.close()).toBe(0);
}

async function ask(page: Page, text: string): Promise<void> {
  await page.getByTestId("new-conversation").click();
  await page.getByTestId("composer").fill(text);
  await page.getByTestId("composer").press("Enter");
}

describe("the chat UI in Chromium", () => {
  it("starts without a model, and the UI says how to give one", async () => {
    const { server, page } = await openUi({ model: null });
    await expect.poll(() => page.locator('[data-testid="empty-state"][data-kind="no-model"]').count(), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: join(SHOTS, "0-no-model.png") });
    const health = (await (await fetch(`${server.origin}/health`)).json()) as { model: { state: string } };
    expect(health.model.state).toBe("none");
    const completion = await fetch(`${server.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "any", messages: [{ role: "user", content: "hi" }] }) });
    expect(completion.status).toBe(503);
    expect(await completion.json()).toMatchObject({ error: { code: "no_model" } });
    await page.close();
    await stopServer(server);
  }, 180_000);

  it("asks before a tool call, runs it once allowed, and streams the answer", async () => {
    const { server, page } = await openUi();
    await expect.poll(() => page.getByTestId("empty-state").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "1-empty.png") });

    await ask(page, "What's the weather in Paris?");
    const card = page.getByTestId("tool-card").first();
    await card.waitFor();
    await expect.poll(() => card.getAttribute("data-status")).toBe("waiting-for-approval");
    await page.screenshot({ path: join(SHOTS, "2-approval.png") });
    await page.getByTestId("approve-once").click();
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 30_000 }).toBe("done");
    await expect.poll(() => page.getByTestId("message-assistant").last().textContent(), { timeout: 30_000 }).toContain(SUNNY);
    await expect.poll(() => page.getByTestId("answer-stats").count()).toBeGreaterThan(0);
    await card.getByTestId("tool-card-toggle").click();
    expect(await page.getByTestId("tool-card-arguments").first().textContent()).toContain("Paris");
    expect(await page.getByTestId("tool-card-result").first().textContent()).toContain("sunny, 24 °C in Paris");
    await page.screenshot({ path: join(SHOTS, "3-answer-with-tool-card.png"), fullPage: true });

    // The raw view: the call's JSON-RPC messages as they crossed the wire, opened from the keyboard.
    const raw = card.getByTestId("tool-card-raw");
    await raw.locator("summary").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => raw.getByTestId("raw-message").count()).toBeGreaterThanOrEqual(2);
    const messages = raw.getByTestId("raw-message");
    expect(await messages.first().getAttribute("data-direction")).toBe("sent");
    expect(await messages.last().getAttribute("data-direction")).toBe("received");
    const request = (await messages.first().textContent()) ?? "";
    expect(request).toContain('"method": "tools/call"');
    expect(request).toContain("get_weather");
    expect(request).toContain("Paris");
    expect((await messages.last().textContent()) ?? "").toContain("sunny, 24 °C in Paris");
    await raw.screenshot({ path: join(SHOTS, "tool-card-raw.png") });
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(page.url()).origin });
    await raw.getByRole("button", { name: "Copy JSON-RPC messages" }).click();
    const copied = JSON.parse(await page.evaluate<string>("navigator.clipboard.readText()")) as Array<{ direction: string; message: Record<string, unknown> }>;
    expect(copied[0]).toMatchObject({ direction: "sent", message: { method: "tools/call", params: { name: "get_weather" } } });
    expect(copied.at(-1)).toMatchObject({ direction: "received", message: { id: copied[0]!.message.id } });
    await page.close();
    await stopServer(server);
  }, 180_000);

  it("shows a denied call as denied", async () => {
    const { server, page } = await openUi();
    await ask(page, "Weather?");
    const card = page.getByTestId("tool-card").first();
    await card.waitFor();
    await page.getByTestId("deny").click();
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 30_000 }).toBe("denied");
    await page.screenshot({ path: join(SHOTS, "4-denied.png") });
    await page.close();
    await stopServer(server);
  }, 180_000);

  it("keeps the conversations across a restart of the server", async () => {
    const { server, page } = await openUi();
    await expect.poll(() => page.getByTestId("conversation-item").count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await page.getByTestId("conversation-item").last().click();
    await expect.poll(() => page.getByTestId("message-assistant").last().textContent(), { timeout: 20_000 }).toContain(SUNNY);
    await page.screenshot({ path: join(SHOTS, "5-after-restart.png") });
    // The stored call still has its JSON-RPC messages.
    const card = page.getByTestId("tool-card").first();
    await card.getByTestId("tool-card-toggle").click();
    const raw = card.getByTestId("tool-card-raw");
    await raw.locator("summary").click();
    await expect.poll(() => raw.textContent()).toContain('"method": "tools/call"');
    expect(await raw.getByTestId("raw-message").last().textContent()).toContain("sunny, 24 °C in Paris");
    await page.close();
    await stopServer(server);
  }, 180_000);

  it("stop mid-answer keeps the partial text", async () => {
    // A random-weight model writes on until its context is full: time to press Esc.
    const model = await makeRandomModel(join(dataDir, "models"), "tiny");
    const { server, page } = await openUi({ model, mcpConfig: { servers: [] } });
    await ask(page, "Tell me a long story.");
    const answer = page.getByTestId("message-assistant").last();
    await expect.poll(async () => ((await answer.textContent()) ?? "").length, { timeout: 30_000 }).toBeGreaterThan(20);
    await page.getByTestId("composer").press("Escape");
    await expect.poll(() => page.getByTestId("stop").count(), { timeout: 20_000 }).toBe(0);
    const kept = (await answer.textContent()) ?? "";
    expect(kept.length).toBeGreaterThan(20);
    await page.waitForTimeout(1_000);
    expect((await answer.textContent()) ?? "").toBe(kept);
    await page.screenshot({ path: join(SHOTS, "6-stopped.png") });
    await page.close();
    await stopServer(server);
  }, 180_000);
});
