// Hearth as the remote provider of another Hearth: the front `hearth serve` has no model
// of its own and takes the remote provider from its settings (`inference.remote`); the
// back one runs the scripted model and the get_weather MCP server. The front's
// RemoteChatRunner talks to a real OpenAI-compatible server with a real model behind it,
// and must not try to run the calls the back one reports having run itself.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatStore } from "../../app/store/index.js";
import { SCRIPTED_MODEL_ID, startHearthServe, type RunningHearth } from "./server-fixture.js";

describe("hearth serve with no model, through the remote provider of its settings", () => {
  let back: RunningHearth;
  let front: RunningHearth;
  let dataDir: string;
  beforeAll(async () => {
    back = await startHearthServe();
    dataDir = await mkdtemp(join(tmpdir(), "hearth-front-"));
    using store = ChatStore.open(join(dataDir, "hearth.db"));
    store.setSetting("inference.remote", { baseUrl: back.baseUrl, model: SCRIPTED_MODEL_ID });
    front = await startHearthServe({ model: null, mcpConfig: { servers: [] }, env: { HEARTH_DATA_DIR: dataDir } });
  }, 180_000);
  afterAll(async () => {
    expect(await front?.close()).toBe(0);
    expect(await back?.close()).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("serves the remote model, whose server ran the tool; the front runs nothing itself", async () => {
    const client = new OpenAI({ baseURL: front.baseUrl, apiKey: "x", maxRetries: 0 });
    expect((await client.models.list()).data.map((model) => model.id)).toEqual([SCRIPTED_MODEL_ID]);
    const completion = await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: [{ role: "user", content: "Weather in Paris?" }] });
    expect(completion.choices[0]!.message.content).toBe("It's sunny in Paris.");
    // The front called no tool (it has none, and it did not try the back's).
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    expect(front.stderr()).toContain(`remote: ${SCRIPTED_MODEL_ID}`);
  }, 60_000);
});
