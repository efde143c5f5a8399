/**
 * "Test connection" and launch diagnostics for the servers page. A test connects to a
 * definition that is not saved, on a connection of its own (running servers are not
 * touched), lists its tools and disconnects, within the definition's timeout.
 */
import { ConfigInvalidError, ServerConnection, ServerDefinitionSchema, resolveServerEnv, withSearchPath, type ServerDefinition } from "../../mcp/index.js";
import { describeZodIssues } from "../../mcp/config/issues.js";
import { BridgeFailure } from "../bridge/failure.js";
import type { LaunchDiagnostics, ServerTest } from "../contract/mcp-channels.js";
import { diagnoseLaunch } from "./launch-diagnostics.js";
import type { McpPageState } from "./page-state.js";
import { resolveSecrets } from "./secrets.js";

/** Stderr lines a failed test shows. */
const TEST_STDERR_LINES = 20;

/** Input of {@link testServer}: the contract's `mcp.testServer`. */
export interface TestServerInput {
  definition: unknown;
  bearerToken?: string;
  /** Use the token saved for this server id. */
  useSavedTokenOf?: string;
}

/**
 * Connects to `definition` (validated first: `config_invalid` names the field), lists
 * its tools and disconnects. A failure is an answer, not an error: its message, the last
 * stderr lines and, for a Process server, how it was launched and where its command was
 * looked for. The connection may take the source's `timeout_secs`, else the config's
 * `tool_timeout_secs`.
 */
export async function testServer(state: McpPageState, input: TestServerInput): Promise<ServerTest> {
  const { pool, secrets } = state.context;
  const parsed = ServerDefinitionSchema.safeParse(input.definition, { reportInput: true });
  if (!parsed.success) throw new ConfigInvalidError(describeZodIssues(parsed.error.issues), "the server");
  let definition: ServerDefinition = parsed.data;
  if (input.bearerToken !== undefined) definition = { ...definition, bearer_token: input.bearerToken };
  else if (input.useSavedTokenOf !== undefined) {
    const snapshot = await state.editor.read();
    const saved = snapshot.result.ok ? snapshot.result.config.servers.find((server) => server.id === input.useSavedTokenOf) : undefined;
    if (saved?.bearer_token !== undefined) definition = { ...definition, bearer_token: saved.bearer_token };
  }
  if (definition.source.type === "Process") delete definition.bearer_token;
  [definition] = (await resolveSecrets({ ...pool.config, servers: [definition] }, secrets)).servers as [ServerDefinition];
  // As the pool starts it: with the login shell's PATH when the pool uses one.
  const spawned = withSearchPath(definition, pool.processSearchPath);
  const timeoutSecs = definition.source.type === "Process" ? undefined : definition.source.timeout_secs;
  const timeoutMs = (timeoutSecs ?? pool.config.tool_timeout_secs) * 1000;
  const connection = new ServerConnection({ definition: spawned, requestTimeoutMs: timeoutMs, autoRestart: false });
  try {
    await connection.start();
    const result = connection.state;
    if (result.status === "running") {
      const tools = connection.catalog.tools.map((tool) => ({
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        inputSchema: tool.inputSchema as Record<string, unknown>,
      }));
      return { ok: true, tools };
    }
    const error = result.status === "error" ? result.message : `the server is ${result.status}`;
    const stderr = result.status === "error" && result.stderr.length > 0 ? result.stderr : connection.log.tail(TEST_STDERR_LINES);
    const failed: ServerTest = { ok: false, error: hideToken(error, definition.bearer_token), stderr: stderr.slice(-TEST_STDERR_LINES) };
    if (definition.source.type === "Process") failed.launch = await diagnoseLaunch(launchSource(definition), { searchPath: pool.processSearchPath });
    return failed;
  } finally {
    await connection.dispose();
  }
}

/**
 * How saved Process server `id` is (or would be) launched.
 * @throws BridgeFailure `not_found` for an unknown id, `not_process` for an Http or WebSocket server.
 */
export async function diagnoseServer(state: McpPageState, id: string): Promise<LaunchDiagnostics> {
  const { config } = await state.configInForce();
  const definition = config.servers.find((server) => server.id === id);
  if (definition === undefined) throw new BridgeFailure("not_found", `no server is named "${id}"`);
  if (definition.source.type !== "Process") {
    throw new BridgeFailure("not_process", `server "${id}" is reached by URL (${definition.source.type}); launch diagnostics are for Process servers`);
  }
  return diagnoseLaunch(launchSource(definition), { searchPath: state.context.pool.processSearchPath });
}

/** The Process source with `${env:…}` resolved where it can be (as it is spawned), else as written. */
function launchSource(definition: ServerDefinition) {
  try {
    const resolved = resolveServerEnv(definition);
    if (resolved.source.type === "Process") return resolved.source;
  } catch {
    // An unset variable: show the command as written; the test's error names the variable.
  }
  if (definition.source.type !== "Process") throw new Error("not a Process source");
  return definition.source;
}

/** Belt and braces: no message the page shows may carry the token. */
function hideToken(text: string, token: string | undefined): string {
  return token === undefined || token === "" ? text : text.split(token).join("********");
}
