/**
 * The `hearth` command line. Each command returns its exit code rather than exiting,
 * so the CLI can be driven from tests and other programs.
 */
import { Command, CommanderError } from "commander";
import { processOutput, type CliOutput } from "./output.js";

/** Runs the CLI on `argv` (without the node and script paths); resolves to the exit code. */
export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  let exitCode = 0;
  // Loaded on use, so `hearth --help` does not pay for the MCP SDK.
  const mcpCommands = () => import("./mcp-commands.js");
  const program = new Command("hearth")
    .description("Chat with local language models that use tools through MCP")
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.error });

  const mcp = program.command("mcp").description("debug an MCP config without the GUI");
  mcp
    .command("check")
    .description("validate the config, connect each server, print id, transport, state, tool count and error")
    .requiredOption("--mcp-config <file>", "path to mcp-config.json")
    .action(async (options: { mcpConfig: string }) => {
      exitCode = await (await mcpCommands()).checkCommand(options.mcpConfig, output);
    });
  mcp
    .command("tools")
    .description("list every exposed tool with its server and input schema")
    .requiredOption("--mcp-config <file>", "path to mcp-config.json")
    .option("--json", "print JSON")
    .action(async (options: { mcpConfig: string; json?: boolean }) => {
      exitCode = await (await mcpCommands()).toolsCommand(options.mcpConfig, options, output);
    });
  mcp
    .command("call")
    .description("call one tool and print its result")
    .argument("<tool>", "the exposed tool name (with its prefix)")
    .requiredOption("--mcp-config <file>", "path to mcp-config.json")
    .option("--args <json>", "arguments as a JSON object", "{}")
    .option("--json", "print the whole result as JSON")
    .action(async (tool: string, options: { mcpConfig: string; args: string; json?: boolean }) => {
      exitCode = await (await mcpCommands()).callCommand(options.mcpConfig, tool, options, output);
    });

  // `hearth models …` (app/cli/models-commands.ts; its model code loads only when a command runs).
  (await import("./chat-command.js")).registerChatCommand(program, output, (code) => {
    exitCode = code;
  });
  (await import("./models-commands.js")).registerModelsCommands(program, output, (code) => {
    exitCode = code;
  });
  (await import("./serve-command.js")).registerServeCommand(program, output, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  return exitCode;
}
