/**
 * `GET /metrics`: Prometheus text, from prom-client. One registry per server (never the
 * global one), so two servers in one process, or in tests, do not share counts.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ModelSlots } from "./model-slots.js";

/** The server's metrics; see each field. */
export class ServerMetrics {
  readonly registry = new Registry();
  /** Requests by route and HTTP status. */
  readonly requests = new Counter({ name: "hearth_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "status"], registers: [this.registry] });
  /** Request latency by route, in seconds. */
  readonly latency = new Histogram({
    name: "hearth_request_duration_seconds",
    help: "Time from the request to the end of its response",
    labelNames: ["route"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  /** Tokens by kind: prompt, completion, evaluated (prompt tokens not found in the KV cache). */
  readonly tokens = new Counter({ name: "hearth_tokens_total", help: "Tokens by kind", labelNames: ["kind"], registers: [this.registry] });
  /** MCP tool calls by server and outcome (ok, error, timeout, denied, cancelled). */
  readonly toolCalls = new Counter({ name: "hearth_tool_calls_total", help: "MCP tool calls by server and outcome", labelNames: ["server", "outcome"], registers: [this.registry] });
  /** MCP tool call latency by server, in seconds. */
  readonly toolLatency = new Histogram({
    name: "hearth_tool_call_duration_seconds",
    help: "MCP tool call duration",
    labelNames: ["server"],
    buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  constructor(slots: ModelSlots) {
    const registry = this.registry;
    new Gauge({ name: "hearth_queue_waiting", help: "Requests waiting for the model", registers: [registry], collect() { this.set(slots.stats.waiting); } });
    new Gauge({ name: "hearth_queue_running", help: "Requests running on the model", registers: [registry], collect() { this.set(slots.stats.running); } });
  }
}
