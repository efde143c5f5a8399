/**
 * The client that the official MCP conformance suite drives (`npm run test:conformance`,
 * see run.mjs), and a small example of Hearth's client library: one `ServerConnection`
 * to an HTTP server, its tool list, a tool call, and the host's elicitation callback.
 *
 * The suite runs `node --import tsx tests/conformance/client.ts <serverUrl>` with the
 * scenario's name in `MCP_CONFORMANCE_SCENARIO`, and grades what the client sent to its
 * scenario server. Exit status 0 when the client did its part; otherwise 1, with the
 * reason on stderr.
 */
import type { CallToolResult, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { ServerDefinitionSchema } from "../../mcp/config/schema.js";
import type { HostCallbacks } from "../../mcp/connection/host.js";
import { ServerConnection } from "../../mcp/connection/server-connection.js";

/** What one scenario asks of the client once it is connected and has listed the tools. */
interface Scenario {
  /** The tool to call; left out where connecting and listing are the whole test. */
  tool?: string;
  args?: Record<string, unknown>;
  /** Text the tool's result must contain. */
  expectText?: string;
  /** Host callbacks; each one given is a capability declared in `initialize`. */
  host?: HostCallbacks;
}

/**
 * The user accepts the form without filling in any field. The SDK then fills every field
 * from the `default` of the requested schema, because Hearth declares
 * `elicitation: {form: {applyDefaults: true}}` (SEP-1034).
 */
async function acceptWithDefaults(): Promise<ElicitResult> {
  return { action: "accept", content: {} };
}

/** What each scenario checks is in the conformance package's dist/index.js. */
const SCENARIOS: Record<string, Scenario> = {
  // The scenario server grades the initialize request: protocol version and clientInfo.
  initialize: {},
  tools_call: { tool: "add_numbers", args: { a: 5, b: 3 }, expectText: "8" },
  // The tool sends `elicitation/create` and checks that all five defaults came back.
  "elicitation-sep1034-client-defaults": {
    tool: "test_client_elicitation_defaults",
    args: {},
    expectText: "Elicitation completed",
    host: { elicitation: acceptWithDefaults },
  },
  // The server ends the tool call's SSE stream after a priming event with `retry: 500`;
  // the result comes only on the GET stream the client reopens 500 ms later (SEP-1699).
  "sse-retry": { tool: "test_reconnection", args: {}, expectText: "Reconnection test completed" },
};

/** Limit on the handshake, on listing, and on each tool call, in milliseconds. */
const TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const serverUrl = process.argv[2];
  if (!serverUrl) throw new Error("usage: client.ts <serverUrl> (scenario in MCP_CONFORMANCE_SCENARIO)");
  const scenarioName = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
  // An unknown scenario gets the default behaviour: connect, list the tools, stop.
  const scenario = SCENARIOS[scenarioName] ?? {};

  const connection = new ServerConnection({
    definition: ServerDefinitionSchema.parse({ id: "conformance", source: { type: "Http", url: serverUrl } }),
    requestTimeoutMs: TIMEOUT_MS,
    host: scenario.host,
    // A failure must end the run, not be retried behind our back.
    autoRestart: false,
  });
  try {
    await connection.start(); // never rejects: the outcome is in `state`
    const state = connection.state;
    if (state.status !== "running") {
      const reason = state.status === "error" ? `${state.code}: ${state.message}` : state.status;
      throw new Error(`could not connect to ${serverUrl}: ${reason}`);
    }
    const toolNames = connection.catalog.tools.map((tool) => tool.name);
    console.log(`connected (${connection.transportKind}); tools: ${toolNames.join(", ") || "none"}`);

    if (scenario.tool) {
      if (!toolNames.includes(scenario.tool)) throw new Error(`the server does not list the tool "${scenario.tool}"`);
      const result = await connection.callTool(scenario.tool, scenario.args ?? {}, { timeoutMs: TIMEOUT_MS });
      const text = resultText(result);
      console.log(`${scenario.tool}: ${text}`);
      if (result.isError) throw new Error(`${scenario.tool} returned an error: ${text}`);
      if (scenario.expectText && !text.includes(scenario.expectText)) {
        throw new Error(`${scenario.tool} returned "${text}", expected it to contain "${scenario.expectText}"`);
      }
    }
  } finally {
    await connection.stop();
  }
}

/** The text parts of a tool result, joined. */
function resultText(result: CallToolResult): string {
  return result.content
    .map((part) => (part.type === "text" ? part.text : `[${part.type}]`))
    .join(" ");
}

main().catch((error: unknown) => {
  const scenarioName = process.env.MCP_CONFORMANCE_SCENARIO ?? "no scenario";
  console.error(`conformance client (${scenarioName}): ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
