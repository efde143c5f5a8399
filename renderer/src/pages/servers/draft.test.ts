import { describe, expect, it } from "vitest";
import { draftFromForm, emptyForm, errorsOfMessage, fieldOfPath, formFromEntry, tokenChange, validateForm } from "./draft.js";
import { offsetOfLine } from "./offset.js";
import { parseSettings } from "./settings-text.js";

describe("the server form", () => {
  it("turns a Process form into the config's definition, leaving out what is empty", () => {
    const form = { ...emptyForm(), id: "weather", command: " node ", args: ["weather.mjs", ""], env: [{ key: "CITY", value: "Paris" }, { key: "", value: "" }] };
    expect(draftFromForm(form)).toEqual({ id: "weather", enabled: true, source: { type: "Process", command: "node", args: ["weather.mjs", ""], env: { CITY: "Paris" } } });
    expect(validateForm(form)).toEqual({});
  });

  it("turns an Http form into a definition with a numeric timeout and headers", () => {
    const form = { ...emptyForm("Http"), id: "remote", name: "Remote", toolPrefix: "r", url: "https://example.com/mcp", timeout: "12.5", headers: [{ key: "X-Team", value: "a" }] };
    expect(draftFromForm(form)).toEqual({ id: "remote", name: "Remote", enabled: true, tool_prefix: "r", source: { type: "Http", url: "https://example.com/mcp", timeout_secs: 12.5, headers: { "X-Team": "a" } } });
  });

  it("puts each schema problem next to its field", () => {
    const errors = validateForm({ ...emptyForm("WebSocket"), id: "", toolPrefix: "bad prefix", url: "http://example.com", timeout: "soon" });
    expect(Object.keys(errors).sort()).toEqual(["id", "timeout", "toolPrefix", "url"]);
    expect(errors.url).toContain("ws://");
    expect(errors.toolPrefix).toContain("letters");
    expect(validateForm({ ...emptyForm(), id: "x" }).command).toBe("must not be empty");
    expect(validateForm({ ...emptyForm(), id: "x", command: "node", env: [{ key: "", value: "v" }] }).env).toBeDefined();
  });

  it("maps zod paths and the core's messages to fields", () => {
    expect(fieldOfPath(["source", "args", 2])).toBe("args");
    expect(fieldOfPath(["source", "work_dir"])).toBe("workDir");
    expect(fieldOfPath(["resources", 0])).toBe("form");
    expect(errorsOfMessage("the server is invalid: servers[0].source.url: not a URL")).toEqual({ url: "not a URL" });
    expect(errorsOfMessage('the server is invalid: servers[2].id: servers[1] has the id "x" already')).toEqual({ id: 'servers[1] has the id "x" already' });
    expect(errorsOfMessage("the server is invalid:\n  servers[0].tool_prefix: too long\n  servers[0].source.args[1]: expected a string")).toEqual({ toolPrefix: "too long", args: "expected a string" });
    expect(errorsOfMessage("the disk is full")).toEqual({ form: "the disk is full" });
  });

  it("round-trips a saved server, keeping what the form does not edit", () => {
    const entry = { definition: { id: "r", enabled: false, resources: ["file:///**"], source: { type: "WebSocket" as const, url: "ws://h/mcp", timeout_secs: 5 } }, bearerToken: "set" as const };
    const form = formFromEntry(entry);
    expect(form).toMatchObject({ type: "WebSocket", tokenSaved: true, timeout: "5", enabled: false });
    expect(draftFromForm(form)).toEqual(entry.definition);
  });

  it("sends a token only when typed, null when removed, and never for a Process server", () => {
    const form = { ...emptyForm("Http"), tokenSaved: true };
    expect(tokenChange(form)).toBeUndefined();
    expect(tokenChange({ ...form, token: "abc", tokenAction: "set" })).toBe("abc");
    expect(tokenChange({ ...form, tokenAction: "remove" })).toBeNull();
    expect(tokenChange({ ...form, type: "Process", token: "abc", tokenAction: "set" })).toBeUndefined();
  });
});

describe("the raw editor and settings helpers", () => {
  it("finds the offset of a line and column", () => {
    const text = "{\n  \"servers\": [\n  ]\n}";
    expect(offsetOfLine(text, 1)).toBe(0);
    expect(offsetOfLine(text, 2, 3)).toBe(4);
    expect(offsetOfLine(text, 99)).toBe(text.length);
  });

  it("checks the settings by the config's rules", () => {
    expect(parseSettings({ timeout: "30", concurrent: "4", autoRegister: false })).toEqual({ settings: { tool_timeout_secs: 30, max_concurrent_calls: 4, auto_register_tools: false }, errors: {} });
    const { errors } = parseSettings({ timeout: "-1", concurrent: "2.5", autoRegister: true });
    expect(Object.keys(errors).sort()).toEqual(["max_concurrent_calls", "tool_timeout_secs"]);
    expect(parseSettings({ timeout: "", concurrent: "x", autoRegister: true }).errors.tool_timeout_secs).toBeDefined();
  });
});
