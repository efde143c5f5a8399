// Test double: Electron cannot be launched on this machine (its binary does not install),
// so `ipcMain` and `webContents` are fakes that record registrations and sends; calls are
// made the way Electron would make them, with an event carrying the sender frame.
import { describe, expect, it, vi } from "vitest";
import { eventChannels, invokeChannels, type InvokeHandlers } from "../app/contract/channels.js";
import { FORBIDDEN_SENDER_CODE, INVOKE_CHANNELS, bindIpc, eventSender, type IpcInvokeEvent, type IpcMainLike } from "./ipc.js";
import { trustedSenderCheck } from "./security.js";

const APP_FRAME = { url: "hearth://app/index.html" };

/** A fake `ipcMain`: handlers by channel, throwing on a second registration as Electron does. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  const removed: string[] = [];
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      removed.push(channel);
      handlers.delete(channel);
    },
  };
  const invoke = (channel: string, frame: { url: string } | null, ...args: unknown[]) => handlers.get(channel)!({ senderFrame: frame }, ...args);
  return { ipcMain, handlers, removed, invoke };
}

/** Handlers that fail unless a test gives one; `app.getInfo` and `conversations.rename` answer. */
function fakeHandlers() {
  const handlers = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      vi.fn(async () => {
        throw new Error(`${channel} is not part of this test`);
      }),
    ]),
  ) as unknown as InvokeHandlers;
  handlers["app.getInfo"] = vi.fn(async () => ({ version: "1.2.3", binding: "electron" as const }));
  handlers["conversations.rename"] = vi.fn(async ({ id, title }) => ({ id, title, createdAt: 1, updatedAt: 2 }));
  return handlers;
}

describe("bindIpc", () => {
  it("registers one handler per invoke channel of the contract, and nothing else", () => {
    const fake = fakeIpcMain();
    bindIpc(fake.ipcMain, fakeHandlers(), { isTrustedSender: () => true });
    expect([...fake.handlers.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
    expect(fake.handlers.size).toBe(Object.keys(invokeChannels).length);
  });

  it("runs a trusted call through dispatch", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    bindIpc(fake.ipcMain, handlers, { isTrustedSender: trustedSenderCheck("hearth://app") });
    expect(await fake.invoke("app.getInfo", APP_FRAME, {})).toEqual({ ok: true, output: { version: "1.2.3", binding: "electron" } });
    expect(await fake.invoke("conversations.rename", APP_FRAME, { id: "c1", title: "Trip" })).toEqual({
      ok: true,
      output: { id: "c1", title: "Trip", createdAt: 1, updatedAt: 2 },
    });
    expect(handlers["conversations.rename"]).toHaveBeenCalledWith({ id: "c1", title: "Trip" });
  });

  it("refuses calls from a frame that is not the app's, before any handler runs", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    bindIpc(fake.ipcMain, handlers, { isTrustedSender: trustedSenderCheck("hearth://app") });
    for (const frame of [{ url: "https://evil.example/" }, { url: "file:///tmp/x.html" }, null]) {
      const result = await fake.invoke("app.getInfo", frame, {});
      expect(result).toEqual({ ok: false, error: { code: FORBIDDEN_SENDER_CODE, message: expect.any(String) } });
    }
    expect(handlers["app.getInfo"]).not.toHaveBeenCalled();
  });

  it("refuses when the sender check itself throws", async () => {
    const fake = fakeIpcMain();
    bindIpc(fake.ipcMain, fakeHandlers(), {
      isTrustedSender: () => {
        throw new Error("frame disposed");
      },
    });
    expect(await fake.invoke("app.getInfo", APP_FRAME, {})).toMatchObject({ ok: false, error: { code: "forbidden_sender" } });
  });

  it("refuses invalid input with invalid_input, without running the handler", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    bindIpc(fake.ipcMain, handlers, { isTrustedSender: () => true });
    const result = await fake.invoke("conversations.rename", APP_FRAME, { id: "", title: "x" });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect((result as { error: { message: string } }).error.message).toContain("id");
    expect(await fake.invoke("app.getInfo", APP_FRAME, { extra: true })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(handlers["conversations.rename"]).not.toHaveBeenCalled();
  });

  it("passes on a handler's coded error and hides an uncoded one", async () => {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    const onInternalError = vi.fn();
    handlers["conversations.delete"] = async () => {
      throw Object.assign(new Error("conversation \"x\" not found"), { code: "not_found" });
    };
    bindIpc(fake.ipcMain, handlers, { isTrustedSender: () => true, onInternalError });
    expect(await fake.invoke("conversations.delete", APP_FRAME, { id: "x" })).toEqual({ ok: false, error: { code: "not_found", message: 'conversation "x" not found' } });
    const hidden = await fake.invoke("chat.stop", APP_FRAME, { turnId: "t" });
    expect(hidden).toMatchObject({ ok: false, error: { code: "internal_error" } });
    expect(JSON.stringify(hidden)).not.toContain("not part of this test");
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it("unbinds every channel, once", () => {
    const fake = fakeIpcMain();
    const unbind = bindIpc(fake.ipcMain, fakeHandlers(), { isTrustedSender: () => true });
    unbind();
    unbind();
    expect(fake.handlers.size).toBe(0);
    expect(fake.removed.sort()).toEqual(Object.keys(invokeChannels).sort());
  });

  it("leaves nothing half bound when a channel is taken already", () => {
    const fake = fakeIpcMain();
    fake.ipcMain.handle("chat.send", async () => undefined);
    expect(() => bindIpc(fake.ipcMain, fakeHandlers(), { isTrustedSender: () => true })).toThrow(/second handler/);
    expect([...fake.handlers.keys()]).toEqual(["chat.send"]);
  });
});

/** A fake `webContents` that records what is sent. */
function fakeWebContents() {
  const sent: Array<[string, unknown]> = [];
  const contents = { destroyed: false, failing: false, send: (channel: string, payload: unknown) => {
    if (contents.failing) throw new Error("Render frame was disposed");
    sent.push([channel, payload]);
  }, isDestroyed: () => contents.destroyed };
  return { contents, sent };
}

describe("eventSender", () => {
  it("sends valid payloads, as parsed", () => {
    const { contents, sent } = fakeWebContents();
    const emit = eventSender(contents);
    emit("conversations.changed", { id: "c1" });
    emit("model.statusChanged", { state: "loaded", description: "local: x.gguf", ...({ internal: "not in the schema" } as object) });
    expect(sent).toEqual([
      ["conversations.changed", { id: "c1" }],
      ["model.statusChanged", { state: "loaded", description: "local: x.gguf" }],
    ]);
  });

  it("drops a payload that does not fit its channel, and says so", () => {
    const { contents, sent } = fakeWebContents();
    const onDropped = vi.fn();
    const emit = eventSender(contents, onDropped);
    emit("mcp.serverStateChanged", { id: "files", transport: "Process", enabled: true, status: "sleeping", tools: 0 } as never);
    emit("chat.turnUpdated", { type: "textDelta", id: "t:1", turnId: "t", at: 1 } as never);
    expect(sent).toEqual([]);
    expect(onDropped).toHaveBeenCalledTimes(2);
    expect(onDropped.mock.calls[0]![1]).toContain("status");
  });

  it("drops events of channels the contract does not have", () => {
    const { contents, sent } = fakeWebContents();
    const onDropped = vi.fn();
    eventSender(contents, onDropped)("window.hacked" as never, {} as never);
    expect(sent).toEqual([]);
    expect(onDropped).toHaveBeenCalledWith("window.hacked", expect.any(String));
  });

  it("drops events for a destroyed window silently, and survives a failing send", () => {
    const { contents, sent } = fakeWebContents();
    const onDropped = vi.fn();
    const emit = eventSender(contents, onDropped);
    contents.destroyed = true;
    emit("conversations.changed", { id: "c1" });
    expect(onDropped).not.toHaveBeenCalled();
    contents.destroyed = false;
    contents.failing = true;
    expect(() => emit("conversations.changed", { id: "c1" })).not.toThrow();
    expect(sent).toEqual([]);
    expect(onDropped).toHaveBeenCalledOnce();
  });

  it("every event channel of the contract is named domain.pastTense", () => {
    expect(Object.keys(eventChannels).length).toBeGreaterThan(0);
    for (const channel of Object.keys(eventChannels)) expect(channel).toMatch(/^[a-z]+\.[a-z][A-Za-z]*ed$/);
  });
});
