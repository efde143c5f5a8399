/**
 * What the chat-core tests share: the scripted model of ../shared/fixtures/models (with
 * functions it calls get_weather({"city":"Paris"}) and, after the result, answers "It's
 * sunny in Paris."), the weather MCP server over stdio or HTTP, a real McpPool and a
 * ChatStore in a temporary folder.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LlamaLogLevel, getLlama, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { McpPool } from "../../mcp/index.js";
import { LocalChatRunner } from "../../models/local-runner.js";
import type { TurnEvent } from "../../app/contract/chat.js";
import { Chats, type ChatsOptions } from "../../app/chat/chats.js";
import { ChatStore } from "../../app/store/index.js";
import { SCRIPTED_MODEL } from "../fixtures/models.js";
import { startWeatherHttp, weatherProcessSource, type RunningWeather, type WeatherOptions } from "../fixtures/weather-server.js";

export const SUNNY = "It's sunny in Paris.";

export type Wire = "stdio" | "http";

/** Loads the scripted model once per test file. */
export class ScriptedModel {
  private llama: Llama | undefined;
  private model: LlamaModel | undefined;
  private readonly contexts: LlamaContext[] = [];

  async load(): Promise<void> {
    this.llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
    this.model = await this.llama.loadModel({ modelPath: SCRIPTED_MODEL });
  }

  /** A runner on a fresh context (2,048 tokens: the function-calling prompt needs ~1,000). */
  async runner(): Promise<LocalChatRunner> {
    const context = await this.model!.createContext({ contextSize: 2048, threads: 2 });
    this.contexts.push(context);
    return new LocalChatRunner({ contextSequence: context.getSequence(), defaults: { temperature: 0 } });
  }

  async disposeContexts(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.dispose()));
  }

  async dispose(): Promise<void> {
    await this.disposeContexts();
    await this.model?.dispose();
  }
}

/** One test's world: a store, a pool with the weather server on `wire`, and Chats over them. */
export class ChatWorld {
  readonly events: TurnEvent[] = [];
  private folder = "";
  private http: RunningWeather | undefined;
  store!: ChatStore;
  pool!: McpPool;
  chats!: Chats;

  static async start(
    model: ScriptedModel,
    wire: Wire,
    weather: WeatherOptions = {},
    options: Partial<ChatsOptions> & { toolTimeoutSecs?: number } = {},
  ): Promise<ChatWorld> {
    const world = new ChatWorld();
    world.folder = await mkdtemp(join(tmpdir(), "hearth-chat-"));
    world.store = ChatStore.open(join(world.folder, "hearth.db"));
    world.pool = new McpPool({ autoRestart: false });
    let source;
    if (wire === "http") {
      world.http = await startWeatherHttp(weather);
      source = { type: "Http" as const, url: world.http.url };
    } else {
      source = weatherProcessSource(weather);
    }
    await world.pool.apply({
      servers: [{ id: "weather", name: "Weather", source, enabled: true, resources: [] }],
      auto_register_tools: true,
      tool_timeout_secs: options.toolTimeoutSecs ?? 30,
      max_concurrent_calls: 10,
    });
    const state = world.pool.server("weather")!.state;
    if (state.status !== "running") throw new Error(`the weather server did not start: ${JSON.stringify(state)}`);
    world.chats = new Chats({ store: world.store, pool: world.pool, runner: await model.runner(), ...options });
    return world;
  }

  /** Path of a file in this world's temporary folder. */
  file(name: string): string {
    return join(this.folder, name);
  }

  /** Sends `text` in a new conversation (or `conversationId`), collecting the events. */
  async send(text: string, options: { conversationId?: string; signal?: AbortSignal; onEvent?: (event: TurnEvent) => void } = {}) {
    const conversationId = options.conversationId ?? this.store.createConversation().id;
    const outcome = await this.chats.send(conversationId, text, {
      signal: options.signal,
      onEvent: (event) => {
        this.events.push(event);
        options.onEvent?.(event);
      },
    });
    return { conversationId, outcome };
  }

  /** The event types of the turn, in order, text deltas folded into one. */
  eventTypes(): string[] {
    return this.events.map((event) => event.type).filter((type, index, types) => type !== "textDelta" || types[index - 1] !== "textDelta");
  }

  async close(): Promise<void> {
    await this.pool?.close();
    await this.http?.close();
    this.store?.close();
    await rm(this.folder, { recursive: true, force: true });
  }
}
