// dispatch: the contract's checks around every handler, and errors that cross the boundary
// with a stable code and never a stack. No model, no MCP server needed.
import { describe, expect, it, vi } from "vitest";
import { invokeChannels, type InvokeHandlers } from "../contract/channels.js";
import { ModelHostError } from "../model-host.js";
import { StoreError } from "../store/index.js";
import { BridgeFailure } from "./core-handlers.js";
import { dispatch, INTERNAL_ERROR_MESSAGE } from "./dispatch.js";

const conversation = { id: "c1", title: "Hello", createdAt: 1, updatedAt: 2 };

/** Handlers that fail the test when called, with `overrides` in place. */
function handlers(overrides: Partial<Record<keyof InvokeHandlers, (input: never) => Promise<unknown>>> = {}): InvokeHandlers {
  const all: Record<string, unknown> = {};
  for (const channel of Object.keys(invokeChannels)) {
    all[channel] = overrides[channel as keyof InvokeHandlers] ?? (async () => expect.fail(`${channel} should not run`));
  }
  return all as InvokeHandlers;
}

describe("dispatch", () => {
  it("runs the handler with the parsed input and resolves to its output", async () => {
    const rename = vi.fn(async (input: { id: string; title: string }) => ({ ...conversation, ...input }));
    const result = await dispatch(handlers({ "conversations.rename": rename }), "conversations.rename", { id: "c1", title: "Renamed" });
    expect(result).toEqual({ ok: true, output: { ...conversation, title: "Renamed" } });
    expect(rename).toHaveBeenCalledWith({ id: "c1", title: "Renamed" });
  });

  it("takes a missing input as {} for channels without fields", async () => {
    const result = await dispatch(handlers({ "approvals.listRules": async () => [] }), "approvals.listRules", undefined);
    expect(result).toEqual({ ok: true, output: [] });
  });

  it("refuses invalid input with invalid_input naming the field, without running the handler", async () => {
    const result = await dispatch(handlers(), "conversations.rename", { id: "c1", title: 5 });
    expect(result).toEqual({ ok: false, error: { code: "invalid_input", message: expect.stringContaining("title") } });
    const extra = await dispatch(handlers(), "chat.stop", { turnId: "t", force: true });
    expect(extra).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("refuses an unknown channel, inherited names included", async () => {
    expect(await dispatch(handlers(), "chat.explode", {})).toMatchObject({ ok: false, error: { code: "unknown_channel", message: expect.stringContaining("chat.explode") } });
    expect(await dispatch(handlers(), "toString", {})).toMatchObject({ ok: false, error: { code: "unknown_channel" } });
  });

  it("turns a plain Error into internal_error with a generic message: no text, no stack", async () => {
    const failure = new Error("cannot open /home/someone/secret.db");
    const seen: unknown[] = [];
    const result = await dispatch(
      handlers({
        "conversations.list": async () => {
          throw failure;
        },
      }),
      "conversations.list",
      {},
      (error) => seen.push(error),
    );
    expect(result).toEqual({ ok: false, error: { code: "internal_error", message: INTERNAL_ERROR_MESSAGE } });
    const text = JSON.stringify(result);
    expect(text).not.toContain("secret");
    expect(text).not.toContain("    at ");
    // The original goes to the log, not to the client.
    expect(seen).toEqual([failure]);
  });

  it("keeps the code and message of errors that carry a string code", async () => {
    const run = (error: unknown) => dispatch(handlers({ "conversations.open": async () => Promise.reject(error) }), "conversations.open", { id: "c9" });
    expect(await run(new BridgeFailure("not_found", 'conversation "c9" not found'))).toEqual({ ok: false, error: { code: "not_found", message: 'conversation "c9" not found' } });
    expect(await run(new StoreError("not_found", "gone"))).toEqual({ ok: false, error: { code: "not_found", message: "gone" } });
    expect(await run(new ModelHostError("no_model", "no model is chosen"))).toEqual({ ok: false, error: { code: "no_model", message: "no model is chosen" } });
    // A numeric code (errno) is no code of ours.
    expect(await run(Object.assign(new Error("EACCES"), { code: 13 }))).toMatchObject({ ok: false, error: { code: "internal_error" } });
    // Neither is something thrown that is not an error.
    expect(await run("a string")).toMatchObject({ ok: false, error: { code: "internal_error" } });
    expect(await run(undefined)).toMatchObject({ ok: false, error: { code: "internal_error" } });
  });

  it("refuses an output that does not fit its schema with internal_error", async () => {
    const seen: unknown[] = [];
    const result = await dispatch(handlers({ "conversations.delete": async () => ({ deleted: "yes" }) }), "conversations.delete", { id: "c1" }, (error) => seen.push(error));
    expect(result).toEqual({ ok: false, error: { code: "internal_error", message: INTERNAL_ERROR_MESSAGE } });
    expect(String(seen[0])).toContain("deleted");
  });

  it("drops fields the contract does not know from an output", async () => {
    const result = await dispatch(handlers({ "app.getInfo": async () => ({ version: "1.0.0", binding: "websocket", secret: "x" }) }), "app.getInfo", {});
    expect(result).toEqual({ ok: true, output: { version: "1.0.0", binding: "websocket" } });
  });

  it("survives a log that throws", async () => {
    const result = await dispatch(
      handlers({
        "conversations.list": async () => {
          throw new Error("boom");
        },
      }),
      "conversations.list",
      {},
      () => {
        throw new Error("the log is broken");
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: "internal_error" } });
  });
});
