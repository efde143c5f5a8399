/**
 * Edits of mcp-config.json from the servers page, one at a time: each edit reads the
 * file, changes it, validates the result and writes it atomically (the old file kept as
 * `.bak`), inside one queue, so two edits made at once both land. An edit that would make
 * the config invalid throws `config_invalid` and leaves the file untouched. A missing file
 * reads as an empty config and is created by the first edit.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  ConfigInvalidError,
  McpClientError,
  parseJsonText,
  parseMcpConfig,
  writeFileAtomic,
  writeMcpConfigFile,
  type ConfigIssue,
  type McpConfig,
  type McpConfigInput,
} from "../../mcp/index.js";

/** The file as written: plain JSON, defaults left out where the user left them out. */
export type RawConfig = Record<string, unknown> & { servers?: unknown[] };

/** The file as it is now. */
export interface ConfigSnapshot {
  /** False when there is no file yet (it reads as an empty config). */
  exists: boolean;
  /** The file's text; `""` when there is none. */
  text: string;
  /** The parsed JSON, when it is JSON at all. */
  raw: RawConfig | undefined;
  /** The config with defaults applied, or the file's problems. */
  result: { ok: true; config: McpConfig } | { ok: false; issues: ConfigIssue[] };
}

/** Serialized read-change-validate-write of one mcp-config.json; see the file's comment. */
export class McpConfigEditor {
  /** One editor per file, so handlers made twice over one file still queue together. */
  private static readonly byPath = new Map<string, McpConfigEditor>();
  private queue: Promise<unknown> = Promise.resolve();

  /** The shared editor of the file at `path`. */
  static for(path: string): McpConfigEditor {
    const key = resolve(path);
    let editor = McpConfigEditor.byPath.get(key);
    if (editor === undefined) McpConfigEditor.byPath.set(key, (editor = new McpConfigEditor(path)));
    return editor;
  }

  /** @param path - the mcp-config.json file; its folder is created on the first write. */
  constructor(readonly path: string) {}

  /** The file now (waits for edits in progress). */
  read(): Promise<ConfigSnapshot> {
    return this.serialize(() => this.readNow());
  }

  /**
   * Runs `change` on a copy of the file's JSON (it may change it in place or return a new
   * one), validates the result, writes it, and returns the config with defaults applied
   * and what `change` returned. A change that changes nothing writes nothing.
   * @throws ConfigInvalidError `config_invalid` when the file is invalid now (fix its text
   *   first) or the change makes it invalid; the file is then unchanged.
   * @throws whatever `change` throws, with the file unchanged.
   */
  edit<T>(change: (raw: RawConfig, current: McpConfig) => T | Promise<T>): Promise<{ config: McpConfig; value: T }> {
    return this.serialize(async () => {
      const snapshot = await this.readNow();
      if (!snapshot.result.ok) throw new ConfigInvalidError(snapshot.result.issues, `${this.path} (fix it in the text editor first)`);
      const raw = structuredClone(snapshot.raw ?? { servers: [] });
      if (!Array.isArray(raw.servers)) raw.servers = [];
      const before = JSON.stringify(raw);
      const value = await change(raw, snapshot.result.config);
      const checked = parseMcpConfig(raw);
      if (!checked.ok) throw new ConfigInvalidError(checked.issues, "the changed config");
      // Nothing changed (removing a server that is not there): no write, no .bak churn.
      if (snapshot.exists && JSON.stringify(raw) === before) return { config: checked.config, value };
      await mkdir(dirname(this.path), { recursive: true });
      // `raw`, not the parsed config: defaults the user left out stay out of the file.
      await writeMcpConfigFile(this.path, raw as McpConfigInput);
      return { config: checked.config, value };
    });
  }

  /**
   * Replaces the file with `text` as it is (layout kept) once `check` accepts it: `check`
   * gets the current snapshot and returns the text to write, or throws to write nothing.
   */
  replaceText<T>(check: (current: ConfigSnapshot) => Promise<{ text: string; value: T }> | { text: string; value: T }): Promise<T> {
    return this.serialize(async () => {
      const { text, value } = await check(await this.readNow());
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, text);
      return value;
    });
  }

  private async readNow(): Promise<ConfigSnapshot> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new McpClientError("config_io", `cannot read MCP config ${this.path}: ${String(error)}`, { cause: error });
      }
      return this.emptySnapshot();
    }
    // An empty file (just created by hand) is an empty config, as a missing one is.
    if (text.trim() === "") return { ...(await this.emptySnapshot()), exists: true, text };
    const json = parseJsonText(text, this.path);
    if (!json.ok) return { exists: true, text, raw: undefined, result: json };
    const raw = isRecord(json.value) ? (json.value as RawConfig) : undefined;
    return { exists: true, text, raw, result: parseMcpConfig(json.value) };
  }

  private async emptySnapshot(): Promise<ConfigSnapshot> {
    const empty = parseMcpConfig({ servers: [] });
    if (!empty.ok) throw new Error("the empty MCP config does not validate");
    return { exists: false, text: "", raw: undefined, result: empty };
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
