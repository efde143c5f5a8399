// Test double: Electron cannot be launched on this machine (its binary does not install),
// so `ipcRenderer` is a fake that records invokes and listeners; the object under test is
// what preload.ts hands to `contextBridge.exposeInMainWorld`.
import { describe, expect, it, vi } from "vitest";
import { eventChannels, invokeChannels } from "../app/contract/channels.js";
import { PRELOAD_API_KEY, makePreloadApi, type IpcRendererLike } from "./preload-api.js";

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Listener[]>();
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string, ..._args: unknown[]) => ({ ok: true, output: { echoed: channel } })),
    on: vi.fn((channel: string, listener: Listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener])),
    removeListener: vi.fn((channel: string, listener: Listener) => listeners.set(channel, (listeners.get(channel) ?? []).filter((candidate) => candidate !== listener))),
  } satisfies IpcRendererLike;
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer, senderId: 0 }, payload);
  };
  return { ipcRenderer, listeners, emit };
}

describe("makePreloadApi", () => {
  it("is one frozen object with invoke and on, and nothing of ipcRenderer", () => {
    const { ipcRenderer } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    expect(PRELOAD_API_KEY).toBe("hearth");
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(["invoke", "on"]);
    expect(Object.values(api).every((value) => typeof value === "function")).toBe(true);
    expect(Object.values(api)).not.toContain(ipcRenderer);
    expect(() => Object.assign(api, { ipcRenderer })).toThrow(TypeError);
  });

  it("invokes contract channels with the input only", async () => {
    const { ipcRenderer } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    const invoke = api.invoke as (channel: string, input: unknown, ...rest: unknown[]) => Promise<unknown>;
    expect(await invoke("conversations.rename", { id: "c1", title: "x" }, "smuggled")).toEqual({ ok: true, output: { echoed: "conversations.rename" } });
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith("conversations.rename", { id: "c1", title: "x" });
  });

  it("accepts every invoke channel of the contract", async () => {
    const { ipcRenderer } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    for (const channel of Object.keys(invokeChannels)) await api.invoke(channel as "app.getInfo", {});
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(Object.keys(invokeChannels).length);
  });

  it("rejects other channel names without touching ipcRenderer", async () => {
    const { ipcRenderer } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    const invoke = api.invoke as (channel: unknown, input: unknown) => Promise<unknown>;
    for (const channel of ["shell.openExternal", "__proto__", "toString", "constructor", "chat.turnUpdated", "", 42, undefined]) {
      expect(await invoke(channel, {})).toMatchObject({ ok: false, error: { code: "unknown_channel" } });
    }
    const on = api.on as (channel: unknown, listener: unknown) => unknown;
    for (const channel of ["ELECTRON_BROWSER_REQUIRE", "__proto__", "chat.send", 7]) {
      expect(() => on(channel, () => {})).toThrow(TypeError);
    }
    expect(() => on("chat.turnUpdated", "not a function")).toThrow(TypeError);
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(ipcRenderer.on).not.toHaveBeenCalled();
  });

  it("hands listeners the payload only, never the IPC event", () => {
    const { ipcRenderer, emit } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    const listener = vi.fn();
    api.on("conversations.changed", listener);
    emit("conversations.changed", { id: "c1" });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ id: "c1" });
  });

  it("unsubscribes exactly its own listener, once", () => {
    const { ipcRenderer, emit, listeners } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = api.on("model.statusChanged", first);
    api.on("model.statusChanged", second);
    stopFirst();
    stopFirst();
    emit("model.statusChanged", { state: "loading" });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    expect(ipcRenderer.removeListener).toHaveBeenCalledOnce();
    expect(listeners.get("model.statusChanged")).toHaveLength(1);
  });

  it("accepts every event channel of the contract", () => {
    const { ipcRenderer } = fakeIpcRenderer();
    const api = makePreloadApi(ipcRenderer);
    for (const channel of Object.keys(eventChannels)) api.on(channel as "chat.turnUpdated", () => {})();
    expect(ipcRenderer.on).toHaveBeenCalledTimes(Object.keys(eventChannels).length);
  });
});
