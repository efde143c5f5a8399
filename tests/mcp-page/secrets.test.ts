// Bearer tokens on the servers page: into the vault (desktop) or the file (serve --ui),
// never back out. The HTTP fixture answers 401 unless the request carries the token, so a
// running server proves the token reached it.
import { afterEach, describe, expect, it } from "vitest";
import { resolveSecrets } from "../../app/mcp-config/secrets.js";
import { McpConfigSchema } from "../../mcp/index.js";
import { startHttpMcpServer, type HttpMcpServer } from "../fixtures/http-mcp-server.js";
import { MemoryVault, PageWorld } from "./page-fixture.js";

const TOKEN = "s3cret-token-7a1f";

let world: PageWorld | undefined;
let http: HttpMcpServer | undefined;
afterEach(async () => {
  await world?.close();
  await http?.close();
  world = undefined;
  http = undefined;
});

/** Every string a page would show, joined: no token may be in it. */
async function everythingShown(page: PageWorld): Promise<string> {
  const config = await page.invoke("mcp.getConfig", {});
  const exported = await page.invoke("mcp.exportServers", {});
  const log = await page.invoke("mcp.getServerLog", { id: "remote" });
  return JSON.stringify([config, exported, log, page.log.list()]);
}

describe("bearer tokens", () => {
  it("with a vault: stores the token there, writes a reference, and the server receives it", async () => {
    http = await startHttpMcpServer({ token: TOKEN });
    const vault = new MemoryVault();
    world = await PageWorld.start({ vault });
    const entry = await world.invoke("mcp.saveServer", { definition: { id: "remote", source: { type: "Http", url: http.url } }, bearerToken: TOKEN });
    expect(entry.bearerToken).toBe("set");
    expect(vault.values.get("mcp.remote.bearer_token")).toBe(TOKEN);
    const file = await world.fileText();
    expect(file).toContain('"bearer_token": "${secret:mcp.remote.bearer_token}"');
    expect(file).not.toContain(TOKEN);
    expect(world.pool.server("remote")?.state.status).toBe("running");
    expect(http.lastHeaders().authorization).toBe(`Bearer ${TOKEN}`);

    const shown = await everythingShown(world);
    expect(shown).not.toContain(TOKEN);
    const config = await world.invoke("mcp.getConfig", {});
    expect(config.text).toContain('"bearer_token": "********"');
    expect(config.servers[0]).toMatchObject({ bearerToken: "set" });
    expect(config.servers[0]!.definition).not.toHaveProperty("bearer_token");
  });

  it("keeps the token on a save without bearerToken, moves it on rename, deletes it with null", async () => {
    http = await startHttpMcpServer({ token: TOKEN });
    const vault = new MemoryVault();
    world = await PageWorld.start({ vault });
    await world.invoke("mcp.saveServer", { definition: { id: "remote", source: { type: "Http", url: http.url } }, bearerToken: TOKEN });
    await world.invoke("mcp.saveServer", { previousId: "remote", definition: { id: "renamed", name: "Renamed", source: { type: "Http", url: http.url } } });
    expect([...vault.values.keys()]).toEqual(["mcp.renamed.bearer_token"]);
    expect(await world.fileText()).toContain("${secret:mcp.renamed.bearer_token}");
    expect(world.pool.server("renamed")?.state.status).toBe("running");

    const cleared = await world.invoke("mcp.saveServer", { previousId: "renamed", definition: { id: "renamed", source: { type: "Http", url: http.url } }, bearerToken: null });
    expect(cleared.bearerToken).toBe("not set");
    expect(vault.values.size).toBe(0);
    expect(await world.fileText()).not.toContain("bearer_token");
    // Without the token the fixture refuses the connection.
    expect(world.pool.server("renamed")?.state).toMatchObject({ status: "error", code: "auth_failed" });
  });

  it("without a vault: writes the token into the file and masks it everywhere it is shown", async () => {
    http = await startHttpMcpServer({ token: TOKEN });
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "remote", source: { type: "Http", url: http.url } }, bearerToken: TOKEN });
    expect(await world.fileText()).toContain(`"bearer_token": "${TOKEN}"`);
    expect(world.pool.server("remote")?.state.status).toBe("running");
    expect(await everythingShown(world)).not.toContain(TOKEN);

    // Saving the masked text back keeps the real token.
    const { text } = await world.invoke("mcp.getConfig", {});
    const edited = text.replace('"servers"', '"tool_timeout_secs": 20,\n  "servers"');
    expect(await world.invoke("mcp.saveConfigText", { text: edited })).toEqual({ saved: true, problems: [] });
    expect(await world.fileText()).toContain(`"bearer_token": "${TOKEN}"`);
    expect(world.pool.config.tool_timeout_secs).toBe(20);
  });

  it("with a vault, a token typed into the raw text goes to the vault; a masked token of a new server is a problem", async () => {
    http = await startHttpMcpServer({ token: TOKEN });
    const vault = new MemoryVault();
    world = await PageWorld.start({ vault });
    const text = `{\n  "servers": [\n    { "id": "remote", "source": { "type": "Http", "url": "${http.url}" }, "bearer_token": "${TOKEN}" }\n  ]\n}\n`;
    expect(await world.invoke("mcp.saveConfigText", { text })).toEqual({ saved: true, problems: [] });
    expect(vault.values.get("mcp.remote.bearer_token")).toBe(TOKEN);
    expect(await world.fileText()).toBe(text.replace(TOKEN, "${secret:mcp.remote.bearer_token}"));
    expect(world.pool.server("remote")?.state.status).toBe("running");

    const masked = text.replace(TOKEN, "********").replace('"id": "remote"', '"id": "other"');
    const refused = await world.invoke("mcp.saveConfigText", { text: masked });
    expect(refused).toEqual({ saved: false, problems: [expect.objectContaining({ path: "servers[0].bearer_token", line: 3 })] });
    expect(await world.fileText()).toContain("${secret:mcp.remote.bearer_token}");
  });

  it("testServer uses a typed token, or the saved one, and reports 401 without it", async () => {
    http = await startHttpMcpServer({ token: TOKEN });
    const vault = new MemoryVault();
    world = await PageWorld.start({ vault });
    const definition = { id: "remote", source: { type: "Http", url: http.url } };
    const typed = await world.invoke("mcp.testServer", { definition, bearerToken: TOKEN });
    expect(typed.ok && typed.tools.map((tool) => tool.name)).toContain("echo");
    const without = await world.invoke("mcp.testServer", { definition });
    expect(without).toMatchObject({ ok: false });
    expect(!without.ok && without.error).toContain("401");
    await world.invoke("mcp.saveServer", { definition, bearerToken: TOKEN });
    const saved = await world.invoke("mcp.testServer", { definition, useSavedTokenOf: "remote" });
    expect(saved.ok).toBe(true);
  });
});

describe("resolveSecrets", () => {
  it("replaces references in tokens, headers and env, and drops a token whose secret is missing", async () => {
    const vault = new MemoryVault();
    await vault.set("a", "A-value");
    const config = McpConfigSchema.parse({
      servers: [
        { id: "h", source: { type: "Http", url: "http://127.0.0.1:9/mcp", headers: { "X-Key": "k=${secret:a}" } }, bearer_token: "${secret:a}" },
        { id: "p", source: { type: "Process", command: "x", env: { KEY: "${secret:a}" } } },
        { id: "m", source: { type: "Http", url: "http://127.0.0.1:9/mcp" }, bearer_token: "${secret:missing}" },
      ],
    });
    const missing: string[] = [];
    const resolved = await resolveSecrets(config, vault, (id, name) => missing.push(`${id}:${name}`));
    expect(resolved.servers[0]).toMatchObject({ bearer_token: "A-value", source: { headers: { "X-Key": "k=A-value" } } });
    expect(resolved.servers[1]).toMatchObject({ source: { env: { KEY: "A-value" } } });
    expect(resolved.servers[2]).not.toHaveProperty("bearer_token");
    expect(missing).toEqual(["m:missing"]);
    // The input is not changed.
    expect(config.servers[0]!.bearer_token).toBe("${secret:a}");
  });
});
