/**
 * The stdio transport: runs an MCP server as a child process and speaks newline-delimited
 * JSON-RPC over its stdin and stdout (MCP spec, basic/transports, "stdio").
 *
 * Unlike the SDK's StdioClientTransport, it starts the server in its own process group and
 * signals the whole group, so `npx -> sh -> node` chains do not outlive Hearth; it keeps
 * stderr and stray stdout lines in a {@link StderrLog}; and it reports a crash as a
 * `connection_closed` error that carries the exit status and the last stderr lines.
 */
import type { ChildProcess } from "node:child_process";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { StderrLog } from "../connection/stderr-log.js";
import { McpClientError } from "../errors.js";
import { describeSpawnFailure, isWindows, killGroup, spawnProcess, sweepGroup, trackGroup } from "./process-control.js";

/** Options of {@link ProcessClientTransport}. */
export interface ProcessClientTransportOptions {
  /** The program to run: a name looked up on PATH, or a path (relative to `workDir`). */
  command: string;
  /** Arguments passed as they are, without a shell. Default none. */
  args?: string[];
  /** The server's working folder. Default: Hearth's own working folder. */
  workDir?: string;
  /** Environment variables merged over Hearth's `process.env` (these win). Default none. */
  env?: Record<string, string>;
  /** Where stderr lines and non-JSON-RPC stdout lines go. Default: a new `StderrLog()`. */
  stderrLog?: StderrLog;
  /**
   * Milliseconds `close()` waits after each step (closing stdin, then SIGTERM) before the
   * next one (SIGTERM, then SIGKILL). Default 2,000, as the SDK's StdioClientTransport.
   */
  shutdownGraceMs?: number;
  /** The server's id in mcp-config.json, copied into the errors this transport raises. */
  serverId?: string;
}

/** How the server process ended: exactly one of `code` and `signal` is non-null. */
export interface ProcessExitInfo {
  /** The exit code when the process exited by itself. */
  code: number | null;
  /** The signal that killed it, e.g. `"SIGKILL"`. */
  signal: NodeJS.Signals | null;
}

/** Default of {@link ProcessClientTransportOptions.shutdownGraceMs}. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 2_000;

/** A stdout line longer than this (bytes) is discarded; the SDK's own limit is 10 MiB. */
const MAX_STDOUT_LINE_BYTES = 32 * 1024 * 1024;

/**
 * After the process exits, Node emits 'close' once stdout and stderr have ended. A
 * grandchild that inherited them can keep them open for its whole life, so wait at most
 * this long (ms) for the last output before reporting the exit.
 */
const OUTPUT_DRAIN_MS = 100;

/** Stderr lines quoted in the error that reports a crash. */
const CRASH_REPORT_LINES = 10;

const NEWLINE = 0x0a;

/**
 * An MCP client transport over a child process's stdio. `start()` spawns the process;
 * `close()` shuts it down per the spec (close stdin, SIGTERM, SIGKILL). Single use: a
 * closed transport cannot be restarted.
 */
export class ProcessClientTransport implements Transport {
  /** Set by the SDK's Protocol; called when the connection ends, once. */
  onclose?: (() => void) | undefined;
  /** Set by the SDK's Protocol; a crash arrives here as `McpClientError("connection_closed")`. */
  onerror?: ((error: Error) => void) | undefined;
  /** Set by the SDK's Protocol; called with each JSON-RPC message the server writes. */
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;

  /** The log that receives the server's stderr and any non-JSON-RPC stdout lines. */
  readonly stderrLog: StderrLog;

  private readonly options: ProcessClientTransportOptions;
  private readonly graceMs: number;
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private exit: ProcessExitInfo | undefined;
  private finished = false;
  /** Whether close() had been called when the process exited: if not, it crashed. */
  private exitWasExpected = false;
  private readonly exited: Promise<void>;
  private markExited!: () => void;
  private readonly done: Promise<void>;
  private markDone!: () => void;
  private drain: { promise: Promise<void>; reject: (error: Error) => void } | undefined;
  private stdoutChunks: Buffer[] = [];
  private stdoutBytes = 0;
  /** True while skipping the rest of an over-long stdout line, up to its newline. */
  private discardingLine = false;

  /** @param options - what to run and how; see {@link ProcessClientTransportOptions}. */
  constructor(options: ProcessClientTransportOptions) {
    this.options = options;
    this.graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    this.stderrLog = options.stderrLog ?? new StderrLog();
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.done = new Promise((resolve) => (this.markDone = resolve));
  }

  /** The server's process id once started; it is also its process group id on POSIX. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the process ended, or undefined while it runs (or never started). */
  get exitInfo(): ProcessExitInfo | undefined {
    return this.exit;
  }

  /**
   * Spawns the server. Resolves once the process is running; rejects with
   * `McpClientError("spawn_failed")` when it cannot start (command not found, not
   * executable, working folder missing). Called by the SDK's `Client.connect()`.
   */
  start(): Promise<void> {
    if (this.starting) return Promise.reject(new Error("ProcessClientTransport already started"));
    if (this.closing) return Promise.reject(this.closedError("the transport was closed before it started"));
    this.starting = this.spawnServer();
    return this.starting;
  }

  /**
   * Writes one message to the server's stdin. Resolves when written, or once stdin has
   * drained when the pipe is full; rejects with `connection_closed` when the process is gone.
   */
  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable || this.exit || this.closing) {
      return Promise.reject(this.closedError("the server process is not running"));
    }
    if (stdin.write(serializeMessage(message))) return Promise.resolve();
    // Backpressure: every send until the pipe drains waits on the same promise.
    if (!this.drain) {
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((resolve, rejectDrain) => {
        reject = rejectDrain;
        stdin.once("drain", () => {
          this.drain = undefined;
          resolve();
        });
      });
      this.drain = { promise, reject };
    }
    return this.drain.promise;
  }

  /**
   * Stops the server per the MCP spec (lifecycle, "Shutdown", stdio): closes its stdin,
   * waits `shutdownGraceMs`, sends SIGTERM to its process group, waits again, then sends
   * SIGKILL. Resolves once the process has exited; anything left in its group is then sent
   * SIGTERM, and SIGKILL after another grace period, in the background. Idempotent.
   * On Windows there are no process groups: only the server's own pid is killed
   * (`taskkill /T` would be needed to end its tree).
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const child = this.child;
    if (!child) {
      // Never started, or failed to spawn: nothing to stop, but the SDK expects onclose.
      this.finish();
      return;
    }
    if (!this.exit) {
      child.stdin?.end();
      if (!(await this.exitWithin(this.graceMs))) {
        this.signal("SIGTERM");
        if (!(await this.exitWithin(this.graceMs))) {
          this.signal("SIGKILL");
          await this.exited;
        }
      }
    }
    await this.done;
  }

  private spawnServer(): Promise<void> {
    const { command, args = [], workDir } = this.options;
    const env = { ...process.env, ...this.options.env };
    return new Promise<void>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawnProcess(command, args, {
          cwd: workDir,
          env,
          stdio: ["pipe", "pipe", "pipe"],
          // Leading its own process group lets close() signal the server's whole tree.
          detached: !isWindows,
          windowsHide: true,
          shell: false,
        });
      } catch (error) {
        reject(this.spawnFailed(error, env)); // e.g. ENOTDIR for a workDir that is a file
        return;
      }
      // Attached before the process runs, so that no early output is lost.
      child.stdout?.on("data", this.handleStdout);
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (text: string) => this.stderrLog.append(text));
      const reportStreamError = (error: Error): void => this.onerror?.(error);
      child.stdout?.on("error", reportStreamError);
      child.stderr?.on("error", reportStreamError);
      // EPIPE when the server dies with writes in flight: the exit handler reports that.
      child.stdin?.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE" && error.code !== "ECONNRESET") this.onerror?.(error);
      });
      const failToSpawn = (error: Error): void => reject(this.spawnFailed(error, env));
      child.once("error", failToSpawn);
      child.once("spawn", () => {
        this.child = child;
        child.off("error", failToSpawn);
        child.on("error", (error) => this.onerror?.(error));
        trackGroup(child.pid as number);
        let drainTimer: NodeJS.Timeout | undefined;
        child.once("exit", (code, signal) => {
          this.exit = { code, signal };
          this.exitWasExpected = this.closing !== undefined;
          this.markExited();
          drainTimer = setTimeout(() => this.finish(), OUTPUT_DRAIN_MS);
        });
        child.once("close", () => {
          clearTimeout(drainTimer);
          this.finish();
        });
        resolve();
      });
    });
  }

  /** Splits stdout into lines without decoding chunks that hold no complete line. */
  private readonly handleStdout = (chunk: Buffer): void => {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline !== -1) {
      if (this.discardingLine) {
        this.discardingLine = false;
      } else if (this.stdoutBytes === 0) {
        this.handleLine(chunk.toString("utf8", start, newline));
      } else {
        this.stdoutChunks.push(chunk.subarray(start, newline));
        const line = Buffer.concat(this.stdoutChunks).toString("utf8");
        this.stdoutChunks = [];
        this.stdoutBytes = 0;
        this.handleLine(line);
      }
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start === chunk.length || this.discardingLine) return;
    this.stdoutBytes += chunk.length - start;
    if (this.stdoutBytes > MAX_STDOUT_LINE_BYTES) {
      this.stderrLog.appendLine(`[stdout] (line discarded: longer than ${MAX_STDOUT_LINE_BYTES} bytes)`);
      this.stdoutChunks = [];
      this.stdoutBytes = 0;
      this.discardingLine = true;
    } else {
      this.stdoutChunks.push(start === 0 ? chunk : chunk.subarray(start));
    }
  };

  /**
   * Servers must write only JSON-RPC to stdout (spec, transports, stdio), but many print
   * banners. Such a line goes to the log as evidence instead of breaking the connection.
   * The check is structural only: the SDK's Protocol validates each message's shape again.
   */
  private handleLine(raw: string): void {
    const line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    if (!isJsonRpcShaped(message)) {
      if (line.trim().length > 0) this.stderrLog.appendLine(`[stdout] ${line}`);
      return;
    }
    try {
      this.onmessage?.(message);
    } catch (error) {
      // A throwing handler must not escape into the stream's 'data' event and crash Hearth.
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Runs once, when the process has exited and its output is read (or a spawn failed). */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const child = this.child;
    this.stderrLog.flush();
    if (child && this.exit) {
      // Release our ends of the pipes even if a grandchild still holds the other ends.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
      this.drain?.reject(this.closedError(describeExit(this.exit)));
      if (!this.exitWasExpected) this.onerror?.(this.crashError(this.exit));
      if (child.pid !== undefined) sweepGroup(child.pid, this.graceMs);
    }
    this.markDone();
    this.onclose?.();
  }

  private exitWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
    return Promise.race([this.exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    killGroup(pid, signal);
  }

  private closedError(message: string): McpClientError {
    return new McpClientError("connection_closed", message, { serverId: this.options.serverId });
  }

  private spawnFailed(error: unknown, env: NodeJS.ProcessEnv): McpClientError {
    const { command, workDir, serverId } = this.options;
    return new McpClientError("spawn_failed", describeSpawnFailure(error, command, workDir, env), { serverId, cause: error });
  }

  private crashError(exit: ProcessExitInfo): McpClientError {
    const lines = this.stderrLog.tail(CRASH_REPORT_LINES);
    const evidence = lines.length > 0 ? `; last output:\n${lines.join("\n")}` : "; it wrote nothing to stderr";
    return this.closedError(`${describeExit(exit)}${evidence}`);
  }
}

function isJsonRpcShaped(value: unknown): value is JSONRPCMessage {
  return typeof value === "object" && value !== null && (value as { jsonrpc?: unknown }).jsonrpc === "2.0";
}

function describeExit(exit: ProcessExitInfo): string {
  return exit.signal ? `server process was killed by signal ${exit.signal}` : `server process exited with code ${exit.code}`;
}
