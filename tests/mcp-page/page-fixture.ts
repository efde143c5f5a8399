/**
 * One servers-page world for tests: a temporary data folder with a real ChatStore, a real
 * McpPool (no restarts), an in-memory secret vault (or none, as `hearth serve --ui`), and
 * the page's handlers called through `dispatch`, so outputs are checked against the contract.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispatch } from "../../app/bridge/dispatch.js";
import { createMcpConfigHandlers } from "../../app/bridge/mcp-config-handlers.js";
import type { PageContext } from "../../app/bridge/page-context.js";
import type { BridgeError, InvokeHandlers, InvokeInput, InvokeOutput } from "../../app/contract/channels.js";
import type { mcpInvokeChannels } from "../../app/contract/mcp-channels.js";
import { fixedModelHost } from "../../app/fixed-model-host.js";
import { ServerLogRecorder, AppLog } from "../../app/log.js";
import type { SecretVault } from "../../app/secret-vault.js";
import { ChatStore } from "../../app/store/index.js";
import { McpPool, type McpPoolOptions } from "../../mcp/index.js";

type PageChannel = keyof typeof mcpInvokeChannels;

export { MemoryVault } from "../fixtures/memory-vault.js";

/** One test's world; `close()` stops every server and removes the folder. */
export class PageWorld {
  readonly log = new AppLog();
  handlers!: Pick<InvokeHandlers, PageChannel>;
  store!: ChatStore;
  pool!: McpPool;
  folder = "";
  configPath = "";

  static async start(options: { vault?: SecretVault; pool?: McpPoolOptions } = {}): Promise<PageWorld> {
    const world = new PageWorld();
    world.folder = await mkdtemp(join(tmpdir(), "hearth-mcp-page-"));
    world.configPath = join(world.folder, "mcp-config.json");
    world.store = ChatStore.open(join(world.folder, "hearth.db"));
    world.pool = new McpPool({ autoRestart: false, ...options.pool });
    const context: PageContext = {
      store: world.store,
      pool: world.pool,
      models: fixedModelHost(undefined),
      mcpConfigPath: world.configPath,
      dataFolder: world.folder,
      secrets: options.vault,
      log: world.log,
      serverLogs: new ServerLogRecorder(world.pool),
      emit: () => {},
    };
    // Writes wait for servers to start, so each test sees the pool as the save left it.
    world.handlers = createMcpConfigHandlers(context, { applyWaitMs: 30_000 });
    return world;
  }

  /** Calls a channel as a binding does; a failure rejects with its `{ code, message }`. */
  async invoke<Channel extends PageChannel>(channel: Channel, input: InvokeInput<Channel>): Promise<InvokeOutput<Channel>> {
    let internal: unknown;
    const result = await dispatch(this.handlers as InvokeHandlers, channel, input, (error) => (internal = error));
    // An internal error shows its cause here; the caller would only see the generic message.
    if (!result.ok) throw internal ?? result.error;
    return result.output as InvokeOutput<Channel>;
  }

  /** The failure of a call that must fail. */
  async failure<Channel extends PageChannel>(channel: Channel, input: InvokeInput<Channel>): Promise<BridgeError> {
    const result = await dispatch(this.handlers as InvokeHandlers, channel, input);
    if (result.ok) throw new Error(`${channel} succeeded`);
    return result.error;
  }

  /** The config file's text ("" when there is none). */
  async fileText(): Promise<string> {
    return readFile(this.configPath, "utf8").catch(() => "");
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.store.close();
    await rm(this.folder, { recursive: true, force: true });
  }
}
