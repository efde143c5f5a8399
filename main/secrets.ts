/**
 * Secrets of the desktop app (API keys of remote providers, MCP servers' bearer tokens),
 * encrypted with the operating system's key store through Electron's `safeStorage`
 * (https://www.electronjs.org/docs/latest/api/safe-storage) and kept, as base64, in a JSON
 * file written atomically. The renderer only ever learns whether a secret is set
 * ({@link SecretStore.status}); values stay in the main process. No value is ever logged
 * or put in an error message.
 */
import { z } from "zod";
import { SerialQueue, readTextIfExists, writeFileAtomic } from "./atomic-file.js";

/** The part of Electron's `safeStorage` the store uses (its synchronous API). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Linux only: the key store in use. `basic_text` means no key store was found and
   * Electron encrypts with a password written in its own source code, which protects
   * nothing; the store treats it as no encryption at all.
   */
  getSelectedStorageBackend?(): string;
}

/** The stable codes of {@link SecretStoreError}. */
export type SecretStoreErrorCode =
  /** The system offers no encryption (Linux without a key store); nothing is stored in clear instead. */
  | "encryption_unavailable"
  /** A name that is not 1 to 100 letters, digits, `.`, `_` or `-` starting with a letter or digit. */
  | "invalid_name"
  /** The secrets file is not Hearth's (bad JSON, wrong shape); it is left as it is. */
  | "unreadable_store"
  /** A stored value cannot be decrypted (the key store changed, another user's file). */
  | "decrypt_failed";

/** A fault of the {@link SecretStore}, with a stable code. Its message never holds a value. */
export class SecretStoreError extends Error {
  override readonly name = "SecretStoreError";

  constructor(
    readonly code: SecretStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** What the renderer may know of a secret. */
export type SecretStatus = "set" | "not set";

// Starts with a letter or digit, so no name is "__proto__"; lookups use Object.hasOwn, so "constructor" is only a name.
const SecretNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);
const SecretsFileSchema = z.object({
  version: z.literal(1),
  /** name → base64 of `safeStorage.encryptString(value)`. */
  secrets: z.record(z.string(), z.string()),
});
type SecretsFile = z.infer<typeof SecretsFileSchema>;

/** Encrypted secrets in one file; see the file's comment. Safe to share: calls run one at a time. */
export class SecretStore {
  private readonly queue = new SerialQueue();

  /**
   * @param options - `file`: the JSON file (`secrets.json` in the user data folder);
   *   `safeStorage`: Electron's `safeStorage`, or a test double.
   */
  constructor(private readonly options: { file: string; safeStorage: SafeStorageLike }) {}

  /** Whether values can be stored now: the system encrypts, and not with Linux's hard-coded `basic_text` key. */
  encryptionAvailable(): boolean {
    const storage = this.options.safeStorage;
    if (!storage.isEncryptionAvailable()) return false;
    return storage.getSelectedStorageBackend?.() !== "basic_text";
  }

  /**
   * Encrypts `value` and stores it under `name`, replacing any earlier value.
   * @throws SecretStoreError `encryption_unavailable` (nothing is written), `invalid_name`, `unreadable_store`.
   */
  async set(name: string, value: string): Promise<void> {
    checkName(name);
    return this.queue.run(async () => {
      this.requireEncryption();
      const file = await this.read();
      const encrypted = this.options.safeStorage.encryptString(value).toString("base64");
      await this.write({ ...file, secrets: { ...file.secrets, [name]: encrypted } });
    });
  }

  /**
   * The value stored under `name`, or undefined. Main process only: never hand it to the renderer.
   * @throws SecretStoreError `encryption_unavailable`, `decrypt_failed`, `invalid_name`, `unreadable_store`.
   */
  async get(name: string): Promise<string | undefined> {
    checkName(name);
    return this.queue.run(async () => {
      const encrypted = own((await this.read()).secrets, name);
      if (encrypted === undefined) return undefined;
      this.requireEncryption();
      try {
        return this.options.safeStorage.decryptString(Buffer.from(encrypted, "base64"));
      } catch (error) {
        throw new SecretStoreError("decrypt_failed", `the secret "${name}" cannot be decrypted by this user's key store; set it again`, { cause: error });
      }
    });
  }

  /** `"set"` or `"not set"`: all the renderer may learn of a secret. Needs no encryption. */
  async status(name: string): Promise<SecretStatus> {
    checkName(name);
    return this.queue.run(async () => (own((await this.read()).secrets, name) === undefined ? "not set" : "set"));
  }

  /** Removes the secret `name`; true when there was one. */
  async delete(name: string): Promise<boolean> {
    checkName(name);
    return this.queue.run(async () => {
      const file = await this.read();
      if (own(file.secrets, name) === undefined) return false;
      const secrets = { ...file.secrets };
      delete secrets[name];
      await this.write({ ...file, secrets });
      return true;
    });
  }

  /** The names of the stored secrets, sorted (never their values). */
  names(): Promise<string[]> {
    return this.queue.run(async () => Object.keys((await this.read()).secrets).sort());
  }

  private requireEncryption(): void {
    if (!this.encryptionAvailable()) {
      throw new SecretStoreError(
        "encryption_unavailable",
        "the system offers no encryption for secrets (on Linux, install and unlock a key store such as GNOME Keyring or KWallet); Hearth does not store secrets in clear",
      );
    }
  }

  private async read(): Promise<SecretsFile> {
    const text = await readTextIfExists(this.options.file);
    if (text === undefined) return { version: 1, secrets: {} };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SecretStoreError("unreadable_store", `${this.options.file} is not valid JSON; move it away to start over`, { cause: error });
    }
    const parsed = SecretsFileSchema.safeParse(json);
    if (!parsed.success) throw new SecretStoreError("unreadable_store", `${this.options.file} is not a Hearth secrets file; move it away to start over`);
    return parsed.data;
  }

  private async write(file: SecretsFile): Promise<void> {
    await writeFileAtomic(this.options.file, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }
}

function checkName(name: string): void {
  if (!SecretNameSchema.safeParse(name).success) {
    throw new SecretStoreError("invalid_name", `a secret's name is 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit, not ${JSON.stringify(String(name).slice(0, 100))}`);
  }
}

function own(secrets: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(secrets, name) ? secrets[name] : undefined;
}
