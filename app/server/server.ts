/**
 * The headless server: an OpenAI-compatible API over the chat core, on Fastify.
 *
 * - `POST /v1/chat/completions` (./completions.ts), streamed or not.
 * - `GET /v1/models`, `GET /health` (model, queue, MCP servers), `GET /metrics` (Prometheus).
 * - Every error in OpenAI's shape, with its status; never a stack.
 * - Loopback by default; another address only with an API key; Host and Origin checked
 *   against DNS rebinding; bodies size-limited; a client that disconnects aborts its turn.
 */
import type { Server } from "node:http";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { McpPool } from "../../mcp/index.js";
import { runCompletion } from "./completions.js";
import { ServerMetrics } from "./metrics.js";
import type { ModelSlots } from "./model-slots.js";
import { forbidden, invalidRequest, notFound, OpenAiHttpError, payloadTooLarge, serverError, unauthorized } from "./openai/errors.js";

/** 503 while Hearth runs without a model (`hearth serve --ui` with none given). */
function noModel(): OpenAiHttpError {
  return new OpenAiHttpError(503, "server_error", "No model is loaded: start hearth serve with --model FILE (or --remote-url and --remote-model)", { code: "no_model" });
}
import { parseChatCompletionRequest } from "./openai/schema.js";
import { apiKeyMatches, bindingProblem, requestOriginProblem } from "./security.js";

/** Options of {@link HearthServer.start}. */
export interface HearthServerOptions {
  /** Default 127.0.0.1. Any other address needs `apiKey`. */
  host?: string;
  /** Default 1234; 0 picks a free port. */
  port?: number;
  /** Required as `Authorization: Bearer <key>` on every request when set. Never logged. */
  apiKey?: string;
  /**
   * The model clients name: its id, and what it is ("local: x.gguf"). Undefined only with
   * `ui`, when Hearth started without a model: completions then answer 503 `no_model`.
   */
  model: { id: string; description: string } | undefined;
  slots: ModelSlots;
  pool: McpPool;
  /** Calls that need approval, when a request does not say. Default `"deny"`. */
  approval?: "auto" | "deny";
  /** Largest request body, in bytes. Default 8 MiB. */
  bodyLimitBytes?: number;
  /**
   * Serves the built renderer (`root`: a folder with index.html) at `/`, with a strict
   * CSP. Its files are public (no API key needed for them); the UI's bridge has its own token.
   */
  ui?: { root: string };
}

/** The UI's Content-Security-Policy: no remote code, no inline scripts; the bridge is a WebSocket to this server. */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Default of {@link HearthServerOptions.bodyLimitBytes}: 8 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** The error a startup problem raises: `code` says which. */
export class ServerStartError extends Error {
  constructor(
    readonly code: "unsafe_binding" | "listen_failed",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A running server; see the file's comment. */
export class HearthServer {
  private readonly inFlight = new Set<AbortController>();
  private address = "";
  private closing = false;

  private constructor(private readonly app: FastifyInstance) {}

  /** `http://host:port`. */
  get url(): string {
    return this.address;
  }

  /** The underlying Node HTTP server, for bindings that handle `upgrade` themselves (the UI's WebSocket bridge). */
  get httpServer(): Server {
    return this.app.server;
  }

  /**
   * Listens; resolves once connections are accepted.
   * @throws ServerStartError `unsafe_binding` (a non-loopback host without a key) or `listen_failed`.
   */
  static async start(options: HearthServerOptions): Promise<HearthServer> {
    const host = options.host ?? "127.0.0.1";
    const problem = bindingProblem(host, options.apiKey);
    if (problem !== undefined) throw new ServerStartError("unsafe_binding", problem);
    const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    const app = Fastify({ bodyLimit, logger: false, forceCloseConnections: "idle" });
    const metrics = new ServerMetrics(options.slots);
    const server = new HearthServer(app);
    let port = options.port ?? 1234;

    app.addHook("onRequest", async (request) => {
      const originProblem = requestOriginProblem({ host: request.headers.host, origin: request.headers.origin }, host, port);
      if (originProblem !== undefined) throw forbidden(originProblem, "origin_not_allowed");
      const uiFile = options.ui !== undefined && request.method === "GET" && !/^\/(v1|health|metrics)(\/|$|\?)/.test(request.url);
      if (options.apiKey && !uiFile && !apiKeyMatches(request.headers.authorization, options.apiKey)) {
        throw unauthorized("Missing or wrong API key: send Authorization: Bearer <key>");
      }
    });
    app.addHook("onSend", async (_request, reply) => {
      if (server.closing) reply.header("connection", "close");
    });
    app.addHook("onResponse", async (request, reply) => {
      // A connection that goes idle while closing would otherwise wait out keep-alive (72 s).
      if (server.closing) app.server.closeIdleConnections();
      const route = request.routeOptions.url ?? "unmatched";
      metrics.requests.inc({ route, status: String(reply.statusCode) });
      metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    });
    app.setErrorHandler((error: FastifyError, _request, reply) => {
      const failure = toOpenAiError(error, bodyLimit);
      return reply.status(failure.status).send(failure.toBody());
    });
    app.setNotFoundHandler((request, reply) => {
      const failure = notFound(`${request.method} ${request.url}`);
      return reply.status(failure.status).send(failure.toBody());
    });

    app.post("/v1/chat/completions", (request, reply) => server.complete(request, reply, options, metrics));
    app.get("/v1/models", async () => ({
      object: "list",
      data: options.model === undefined ? [] : [{ id: options.model.id, object: "model", created: 0, owned_by: "hearth", description: options.model.description }],
    }));
    app.get("/health", async () => ({
      status: "ok",
      model: options.model === undefined ? { state: "none" } : { id: options.model.id, description: options.model.description, state: "loaded" },
      queue: options.slots.stats,
      mcp: options.pool.servers().map((connection) => ({
        id: connection.id,
        status: connection.state.status,
        tools: connection.state.status === "running" ? connection.catalog.tools.length : 0,
        ...(connection.state.status === "error" ? { error: connection.state.message } : {}),
      })),
    }));
    app.get("/metrics", async (_request, reply) => {
      reply.header("content-type", metrics.registry.contentType);
      return metrics.registry.metrics();
    });

    if (options.ui !== undefined) {
      const { default: fastifyStatic } = await import("@fastify/static");
      await app.register(fastifyStatic, {
        root: options.ui.root,
        setHeaders: (response) => {
          response.setHeader("content-security-policy", UI_CONTENT_SECURITY_POLICY);
          response.setHeader("x-content-type-options", "nosniff");
          response.setHeader("referrer-policy", "no-referrer");
        },
      });
    }

    try {
      await app.listen({ host, port });
    } catch (error) {
      throw new ServerStartError("listen_failed", `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const address = app.server.address();
    port = typeof address === "object" && address !== null ? address.port : port;
    const shownHost = host.includes(":") ? `[${host}]` : host;
    server.address = `http://${shownHost}:${port}`;
    return server;
  }

  /** Turns in flight. */
  get activeTurns(): number {
    return this.inFlight.size;
  }

  /**
   * Stops accepting connections, lets the turns in flight finish for up to `graceMs`
   * (default 10,000), then stops the rest (their clients get what was written).
   */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const closing = this.app.close();
    const timer = setTimeout(() => {
      for (const controller of this.inFlight) controller.abort(new Error("the server is shutting down"));
    }, graceMs);
    try {
      await closing;
    } finally {
      clearTimeout(timer);
    }
  }

  private async complete(request: FastifyRequest, reply: FastifyReply, options: HearthServerOptions, metrics: ServerMetrics): Promise<unknown> {
    const body = parseChatCompletionRequest(request.body);
    if (options.model === undefined) throw noModel();
    const controller = new AbortController();
    // The response closing before it finished means the client went away.
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished) controller.abort(new Error("the client disconnected"));
    });
    this.inFlight.add(controller);
    const context = { modelId: options.model.id, slots: options.slots, pool: options.pool, approval: options.approval ?? "deny", metrics };
    try {
      if (!body.stream) return await runCompletion(body, context, controller.signal);
      const sink = {
        start: () => {
          reply.hijack();
          reply.raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
        },
        write: (text: string) => {
          if (!reply.raw.destroyed) reply.raw.write(text);
        },
      };
      try {
        await runCompletion(body, context, controller.signal, sink);
      } catch (error) {
        if (!reply.sent && !reply.raw.headersSent) throw error;
        sink.write(`data: ${JSON.stringify(toOpenAiError(error, options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES).toBody())}\n\n`);
      }
      reply.raw.end();
      return reply;
    } catch (error) {
      if (controller.signal.aborted && !(error instanceof OpenAiHttpError)) return reply; // nobody is listening
      throw error;
    } finally {
      this.inFlight.delete(controller);
      if (this.closing) setImmediate(() => this.app.server.closeIdleConnections());
    }
  }
}

/** Any error as an OpenAI error: ours as they are, Fastify's by status, the rest as 500 without details. */
function toOpenAiError(error: unknown, bodyLimit: number): OpenAiHttpError {
  if (error instanceof OpenAiHttpError) return error;
  const fastify = error as Partial<FastifyError>;
  if (fastify.code === "FST_ERR_CTP_BODY_TOO_LARGE") return payloadTooLarge(bodyLimit);
  if (fastify.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return invalidRequest("Send the body as JSON (Content-Type: application/json)", null, "unsupported_media_type");
  if (fastify.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return invalidRequest("The request body is empty; send a JSON object");
  if (fastify.statusCode === 400) return invalidRequest(`The request body is not valid JSON: ${fastify.message ?? ""}`, undefined, "invalid_json");
  return serverError("The server failed to handle the request");
}
