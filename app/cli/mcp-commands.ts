/**
 * `hearth mcp …`: debug an mcp-config.json without the GUI. Each command loads the
 * config, connects its servers (no automatic restarts), does its work and stops them.
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { formatConfigIssues, readMcpConfigFile } from "../../mcp/config/index.js";
import type { McpConfig } from "../../mcp/config/schema.js";
import { McpPool } from "../../mcp/pool/pool.js";
import { listenForInterrupt } from "./interrupt.js";
import { EXIT, failureLine, formatTable, type CliOutput } from "./output.js";

/** Reads and checks the config, printing what is wrong; undefined when it cannot be used. */
export async function loadConfig(path: string, output: CliOutput): Promise<McpConfig | undefined> {
  try {
    const result = await readMcpConfigFile(path);
    if (result.ok) return result.config;
    output.error(`${path} is not a valid MCP config:\n${formatConfigIssues(result.issues)}\n`);
  } catch (error) {
    output.error(`${error instanceof Error ? error.message : String(error)}\n`);
  }
  return undefined;
}

/** Loads the config and runs `work` with a started pool, stopping it afterwards. */
async function withPool(path: string, output: CliOutput, work: (pool: McpPool, config: McpConfig, signal: AbortSignal) => Promise<number>): Promise<number> {
  const config = await loadConfig(path, output);
  if (!config) return EXIT.badInput;
  const pool = new McpPool({ autoRestart: false });
  // Servers run in process groups of their own, so Ctrl-C does not reach them: stop them
  // in order on the first signal, and at once (the exit hook kills their groups) on a second.
  const interrupt = listenForInterrupt(() => void pool.close().finally(() => process.exit(EXIT.cancelled)));
  try {
    await pool.apply(config);
    if (interrupt.signal.aborted) return EXIT.cancelled;
    return await work(pool, config, interrupt.signal);
  } finally {
    interrupt.dispose();
    await pool.close();
  }
}

/** `hearth mcp check`: connect each server and print a table of what happened. */
export function checkCommand(path: string, output: CliOutput): Promise<number> {
  return withPool(path, output, async (pool, config) => {
    const rows = config.servers.map((definition) => {
      const connection = pool.server(definition.id);
      const state = connection?.state ?? { status: "disabled" as const };
      const transport = connection?.transportKind ? `${definition.source.type} (${connection.transportKind})` : definition.source.type;
      const error = state.status === "error" ? state.message : "";
      const tools = state.status === "running" ? String(connection!.catalog.tools.length) : "-";
      return [definition.id, transport, state.status, tools, error];
    });
    output.out(formatTable(["ID", "TRANSPORT", "STATE", "TOOLS", "ERROR"], rows));
    for (const collision of pool.collisions()) {
      output.out(`note: "${collision.name}" is offered by ${collision.keptBy} and ${collision.serverId}; ${collision.serverId}'s is exposed as "${collision.renamedTo}"\n`);
    }
    const failed = pool.servers().filter((connection) => connection.state.status !== "running");
    for (const connection of failed) {
      const state = connection.state;
      if (state.status === "error" && state.stderr.length > 0) {
        output.error(`\n${connection.id}: last output\n${state.stderr.map((line) => `  ${line}`).join("\n")}\n`);
      }
    }
    return failed.length === 0 ? EXIT.ok : EXIT.failed;
  });
}

/** `hearth mcp tools`: every exposed tool with its server and input schema. */
export function toolsCommand(path: string, options: { json?: boolean }, output: CliOutput): Promise<number> {
  return withPool(path, output, async (pool) => {
    const tools = pool.tools();
    if (options.json) {
      const list = tools.map((entry) => ({
        name: entry.name,
        server: entry.serverId,
        tool: entry.tool.name,
        description: entry.tool.description ?? "",
        inputSchema: entry.tool.inputSchema,
      }));
      output.out(`${JSON.stringify(list, null, 2)}\n`);
    } else {
      const rows = tools.map((entry) => [entry.name, entry.serverId, signature(entry.tool), firstLine(entry.tool.description)]);
      output.out(formatTable(["TOOL", "SERVER", "ARGUMENTS", "DESCRIPTION"], rows));
    }
    reportDown(pool, output);
    return EXIT.ok;
  });
}

/** `hearth mcp call`: one call; exits non-zero when the call fails or the tool reports an error. */
export async function callCommand(path: string, toolName: string, options: { args?: string; json?: boolean }, output: CliOutput): Promise<number> {
  let args: Record<string, unknown>;
  try {
    args = options.args ? (JSON.parse(options.args) as Record<string, unknown>) : {};
    if (typeof args !== "object" || args === null || Array.isArray(args)) throw new Error("not a JSON object");
  } catch (error) {
    output.error(`--args must be a JSON object: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.badInput;
  }
  return withPool(path, output, async (pool, _config, signal) => {
    if (!pool.findTool(toolName)) {
      output.error(`no tool is named "${toolName}"; \`hearth mcp tools\` lists them\n`);
      reportDown(pool, output);
      return EXIT.failed;
    }
    try {
      const outcome = await pool.callTool(toolName, args, { signal });
      if (options.json) output.out(`${JSON.stringify(outcome, null, 2)}\n`);
      else output.out(renderResult(outcome.result));
      return outcome.result.isError ? EXIT.failed : EXIT.ok;
    } catch (error) {
      output.error(failureLine("call failed", error));
      return EXIT.failed;
    }
  });
}

function reportDown(pool: McpPool, output: CliOutput): void {
  for (const connection of pool.servers()) {
    const state = connection.state;
    if (state.status === "error") output.error(`warning: server "${connection.id}" is not running: ${state.message}\n`);
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0]!.trim();
}

/** `message: string, count?: number` from a tool's JSON Schema. */
function signature(tool: Tool): string {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = new Set(tool.inputSchema.required ?? []);
  return Object.entries(properties)
    .map(([name, schema]) => `${name}${required.has(name) ? "" : "?"}: ${Array.isArray(schema.type) ? schema.type.join("|") : String(schema.type ?? "any")}`)
    .join(", ");
}

/** A tool result as text for a terminal. */
export function renderResult(result: CallToolResult): string {
  const parts: string[] = [];
  if (result.isError) parts.push("error (the tool reported a failure):");
  for (const item of result.content ?? []) {
    switch (item.type) {
      case "text":
        parts.push(item.text);
        break;
      case "image":
      case "audio":
        parts.push(`[${item.type} ${item.mimeType}, ${Math.round((item.data.length * 3) / 4)} bytes]`);
        break;
      case "resource_link":
        parts.push(`[resource link ${item.uri}${item.name ? ` "${item.name}"` : ""}]`);
        break;
      case "resource":
        parts.push("text" in item.resource ? `[resource ${item.resource.uri}]\n${item.resource.text}` : `[resource ${item.resource.uri}, binary]`);
        break;
    }
  }
  if (result.structuredContent) parts.push(`structured content:\n${JSON.stringify(result.structuredContent, null, 2)}`);
  return `${parts.join("\n")}\n`;
}
