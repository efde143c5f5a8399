// Test double: Electron cannot be launched on this machine (its binary does not install),
// so `safeStorage` is a fake that "encrypts" by XOR with a fixed key and records its calls.
// It stands for the OS key store only; the file handling under test is the real one.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SecretStore, SecretStoreError, type SafeStorageLike } from "./secrets.js";

const VALUE = "sk-live-THIS-IS-THE-SECRET-0123456789";

/** A fake `safeStorage`: XOR with 0x5a behind a marker, so the ciphertext never holds the text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const calls: string[] = [];
  const storage: SafeStorageLike & { available: boolean } = {
    available: options.available ?? true,
    isEncryptionAvailable() {
      calls.push("isEncryptionAvailable");
      return this.available;
    },
    encryptString(text) {
      calls.push("encryptString");
      return Buffer.concat([Buffer.from("FAKE"), Buffer.from(Buffer.from(text, "utf8").map((byte) => byte ^ 0x5a))]);
    },
    decryptString(buffer) {
      calls.push("decryptString");
      if (buffer.subarray(0, 4).toString() !== "FAKE") throw new Error("Error while decrypting the ciphertext provided to safeStorage.decryptString.");
      return Buffer.from(buffer.subarray(4).map((byte) => byte ^ 0x5a)).toString("utf8");
    },
    ...(options.backend !== undefined ? { getSelectedStorageBackend: () => options.backend! } : {}),
  };
  return { storage, calls };
}

let folder: string;
let file: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-secrets-"));
  file = join(folder, "secrets.json");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(folder, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<SecretStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SecretStoreError);
  return error as SecretStoreError;
}

describe("SecretStore", () => {
  it("stores values encrypted: the file holds neither the value nor its plain base64", async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    await store.set("openai.apiKey", VALUE);
    const text = await readFile(file, "utf8");
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain(Buffer.from(VALUE).toString("base64"));
    expect(text).not.toContain("THIS-IS-THE-SECRET");
    expect(JSON.parse(text)).toEqual({ version: 1, secrets: { "openai.apiKey": expect.any(String) } });
    expect(await store.get("openai.apiKey")).toBe(VALUE);
  });

  it("survives a new store over the same file, and leaves no temporary file", async () => {
    await new SecretStore({ file, safeStorage: fakeSafeStorage().storage }).set("token", VALUE);
    expect(await new SecretStore({ file, safeStorage: fakeSafeStorage().storage }).get("token")).toBe(VALUE);
    expect(await readdir(folder)).toEqual(["secrets.json"]);
  });

  it.skipIf(process.platform === "win32")("writes the file readable by its owner only", async () => {
    await new SecretStore({ file, safeStorage: fakeSafeStorage().storage }).set("token", VALUE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('reports "set" and "not set", and nothing more', async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    expect(await store.status("token")).toBe("not set");
    await store.set("token", VALUE);
    expect(await store.status("token")).toBe("set");
    expect(await store.status("other")).toBe("not set");
    expect(await store.names()).toEqual(["token"]);
  });

  it("deletes", async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    await store.set("token", VALUE);
    expect(await store.delete("token")).toBe(true);
    expect(await store.delete("token")).toBe(false);
    expect(await store.status("token")).toBe("not set");
    expect(await store.get("token")).toBeUndefined();
  });

  it("replaces a value", async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    await store.set("token", "first");
    await store.set("token", "second");
    expect(await store.get("token")).toBe("second");
  });

  it("keeps every one of concurrent writes", async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    await Promise.all(Array.from({ length: 12 }, (_, index) => store.set(`key${index}`, `value ${index}`)));
    expect(await store.names()).toHaveLength(12);
    expect(await store.get("key7")).toBe("value 7");
  });

  it("refuses to store in clear when the system cannot encrypt", async () => {
    const { storage, calls } = fakeSafeStorage({ available: false });
    const store = new SecretStore({ file, safeStorage: storage });
    expect(store.encryptionAvailable()).toBe(false);
    const error = await rejection(store.set("token", VALUE));
    expect(error.code).toBe("encryption_unavailable");
    expect(error.message).not.toContain(VALUE);
    expect(calls).not.toContain("encryptString");
    await expect(stat(file)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await store.status("token")).toBe("not set");
  });

  it("treats Linux's basic_text backend (a hard-coded key) as no encryption", async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage({ backend: "basic_text" }).storage });
    expect(store.encryptionAvailable()).toBe(false);
    expect((await rejection(store.set("token", VALUE))).code).toBe("encryption_unavailable");
    expect(new SecretStore({ file, safeStorage: fakeSafeStorage({ backend: "gnome_libsecret" }).storage }).encryptionAvailable()).toBe(true);
  });

  it("cannot read values once encryption is gone, but still reports their status", async () => {
    const { storage } = fakeSafeStorage();
    const store = new SecretStore({ file, safeStorage: storage });
    await store.set("token", VALUE);
    storage.available = false;
    expect((await rejection(store.get("token"))).code).toBe("encryption_unavailable");
    expect(await store.status("token")).toBe("set");
    expect(await store.delete("token")).toBe(true);
  });

  it("reports a value it cannot decrypt without showing it", async () => {
    await writeFile(file, JSON.stringify({ version: 1, secrets: { token: Buffer.from(VALUE).toString("base64") } }));
    const error = await rejection(new SecretStore({ file, safeStorage: fakeSafeStorage().storage }).get("token"));
    expect(error.code).toBe("decrypt_failed");
    expect(error.message).not.toContain(VALUE);
  });

  it("leaves a file that is not its own untouched", async () => {
    await writeFile(file, "{ not json");
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    expect((await rejection(store.set("token", VALUE))).code).toBe("unreadable_store");
    expect((await rejection(store.status("token"))).code).toBe("unreadable_store");
    await writeFile(file, JSON.stringify({ version: 2, secrets: {} }));
    expect((await rejection(store.get("token"))).code).toBe("unreadable_store");
    expect(await readFile(file, "utf8")).toBe(JSON.stringify({ version: 2, secrets: {} }));
  });

  it.each(["", "has space", "a/b", "__proto__", "x".repeat(101), ".hidden"])("refuses the name %j", async (name) => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    expect((await rejection(store.set(name, VALUE))).code).toBe("invalid_name");
    expect((await rejection(store.status(name))).code).toBe("invalid_name");
    expect((await rejection(store.get(name))).code).toBe("invalid_name");
    expect((await rejection(store.delete(name))).code).toBe("invalid_name");
  });

  it("treats names of Object.prototype as plain names", async () => {
    const store = new SecretStore({ file, safeStorage: fakeSafeStorage().storage });
    expect(await store.status("constructor")).toBe("not set");
    expect(await store.get("toString")).toBeUndefined();
    await store.set("constructor", VALUE);
    expect(await store.get("constructor")).toBe(VALUE);
  });

  it("never logs", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const { storage } = fakeSafeStorage();
    const store = new SecretStore({ file, safeStorage: storage });
    await store.set("token", VALUE);
    await store.get("token");
    storage.available = false;
    await store.set("token", VALUE).catch(() => {});
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
