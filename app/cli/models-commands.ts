/**
 * `hearth models …`: the local model catalog from the command line: list, info, pull
 * (resumable, Ctrl-C keeps the partial download), recommended, import and rm. Each
 * command returns its exit code. The model code (and node-llama-cpp behind it) loads
 * when a command runs, so registering these costs `hearth --help` nothing.
 */
import type { Command } from "commander";
import { join } from "node:path";
import type { CatalogEntry } from "../../models/catalog.js";
import type { GgufInfo } from "../../models/gguf-info.js";
import { createProgressPrinter, formatBytes } from "./download-progress.js";
import { listenForInterrupt } from "./interrupt.js";
import { EXIT, errorCode, failureLine, formatTable, type CliOutput } from "./output.js";


/** Error codes that mean the user's input was wrong (exit 2) rather than something failing (exit 1). */
const BAD_INPUT_CODES = new Set(["file_not_found", "not_gguf", "invalid_file_name", "invalid_uri", "already_exists", "no_matching_file", "ambiguous_file"]);

/** Options shared by the commands that use the models folder. */
export interface ModelsFolderOption {
  /** The models folder. Default: `models` in the user's data folder (see `userDataFolder`). */
  modelsDir?: string;
}

async function modelsFolder(options: ModelsFolderOption): Promise<string> {
  return options.modelsDir ?? (await import("../../models/data-folder.js")).defaultModelsFolder();
}

/** Prints `what failed [code]: message` and returns the exit code for the error. */
function reportError(what: string, error: unknown, output: CliOutput): number {
  output.error(failureLine(what, error));
  const code = errorCode(error);
  return code && BAD_INPUT_CODES.has(code) ? EXIT.badInput : EXIT.failed;
}

/** `1.7B`, `136M`, `27K`: a parameter count as model cards write it. */
export function formatParameterCount(count: number): string {
  for (const [size, suffix] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]] as const) {
    if (count >= size) return `${(count / size).toFixed(count >= size * 100 ? 0 : 1).replace(/\.0$/, "")}${suffix}`;
  }
  return String(count);
}

/** The JSON form of header facts; `chatTemplate` only when asked for (it can be kilobytes). */
function infoJson(info: GgufInfo, withTemplate: boolean): Omit<GgufInfo, "chatTemplate"> & { chatTemplate?: string } {
  const { chatTemplate, ...rest } = info;
  return withTemplate && chatTemplate !== undefined ? { ...rest, chatTemplate } : rest;
}

function entryJson(entry: CatalogEntry) {
  const base = { fileName: entry.fileName, path: entry.path, sizeBytes: entry.sizeBytes, modifiedAt: entry.modifiedAt.toISOString(), status: entry.status };
  return entry.status === "ready" ? { ...base, info: infoJson(entry.info, false) } : { ...base, error: entry.error };
}

/** `hearth models list`: the catalog as a table (or JSON), unreadable files with their error. */
export async function listCommand(options: ModelsFolderOption & { json?: boolean }, output: CliOutput): Promise<number> {
  const folder = await modelsFolder(options);
  try {
    const { listModels, listPartialDownloads } = await import("../../models/catalog.js");
    const [entries, partials] = await Promise.all([listModels(folder), listPartialDownloads(folder)]);
    if (options.json) {
      output.out(`${JSON.stringify({ folder, models: entries.map(entryJson), partialDownloads: partials.map((partial) => ({ ...partial, modifiedAt: partial.modifiedAt.toISOString() })) }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (entries.length === 0) output.out(`no models in ${folder}; \`hearth models recommended\` suggests some to pull\n`);
    else {
      const rows = entries.map((entry) =>
        entry.status === "ready"
          ? [entry.fileName, entry.info.architecture, formatParameterCount(entry.info.parameterCount), entry.info.quantization, String(entry.info.contextLength ?? "-"), formatBytes(entry.sizeBytes), entry.info.hasChatTemplate ? "yes" : "no", ""]
          : [entry.fileName, "-", "-", "-", "-", formatBytes(entry.sizeBytes), "-", `unreadable [${entry.error.code}]: ${entry.error.message}`],
      );
      output.out(formatTable(["FILE", "ARCH", "PARAMS", "QUANT", "CONTEXT", "SIZE", "TEMPLATE", "ERROR"], rows));
    }
    for (const partial of partials) output.out(`unfinished download: ${partial.fileName} (${formatBytes(partial.bytes)} so far; pull it again to resume)\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError("cannot list models", error, output);
  }
}

/** `hearth models info FILE`: header facts of a GGUF file (a path, or a file name in the models folder). */
export async function infoCommand(file: string, options: ModelsFolderOption & { json?: boolean }, output: CliOutput): Promise<number> {
  try {
    const { existsSync } = await import("node:fs");
    const { basename } = await import("node:path");
    let path = file;
    // A bare name that is not a file here may be one in the models folder.
    if (!existsSync(file) && basename(file) === file) {
      const inFolder = join(await modelsFolder(options), file);
      if (existsSync(inFolder)) path = inFolder;
    }
    const info = await (await import("../../models/gguf-info.js")).readGgufInfo(path);
    if (options.json) {
      output.out(`${JSON.stringify(infoJson(info, true), null, 2)}\n`);
      return EXIT.ok;
    }
    const rows: [string, string][] = [
      ["file", info.path],
      ["name", info.name ?? "-"],
      ["architecture", info.architecture],
      ["parameters", `${formatParameterCount(info.parameterCount)} (${info.parameterCount.toLocaleString("en-US")}, from ${info.parameterCountSource})`],
      ["quantization", info.quantization],
      ["context length", info.contextLength === undefined ? "-" : `${info.contextLength} tokens (trained)`],
      ["chat template", info.chatTemplate === undefined ? "none (a generic chat format will be guessed)" : `present (${info.chatTemplate.length} characters; --json shows it)`],
      ["size", `${formatBytes(info.sizeBytes)} (${info.sizeBytes} bytes)`],
      ["gguf", `version ${info.ggufVersion}, ${info.tensorCount} tensors`],
    ];
    output.out(rows.map(([key, value]) => `${key.padEnd(15)}${value}\n`).join(""));
    return EXIT.ok;
  } catch (error) {
    return reportError(`cannot read ${file}`, error, output);
  }
}

/** How `hearth models pull` meets the terminal; tests and embedders pass their own. */
export interface PullTerminal {
  /** Draw a bar (TTY) or print lines. Default: whether stderr is a TTY. */
  isTty?: boolean;
  /** Terminal width. Default: stderr's, else 80. */
  columns?: number;
  /** Least time between plain progress lines, in milliseconds. Default 3000. */
  lineIntervalMs?: number;
  /** Cancels the pull. Default: SIGINT or SIGTERM (Ctrl-C) cancel it; a second one exits at once. */
  signal?: AbortSignal;
}

/**
 * `hearth models pull URI`: downloads `hf:user/repo[:quant]`, `hf:user/repo/file.gguf` or
 * a URL into the models folder. Reads `HF_ENDPOINT` (a Hub mirror) and `HF_TOKEN`.
 * Ctrl-C cancels, keeping the `.part` file: pulling again resumes it.
 */
export async function pullCommand(uri: string, options: ModelsFolderOption & { sha256?: string; name?: string; force?: boolean }, output: CliOutput, terminal: PullTerminal = {}): Promise<number> {
  const folder = await modelsFolder(options);
  const interrupt = terminal.signal ? undefined : listenForInterrupt();
  const signal = terminal.signal ?? interrupt!.signal;
  const printer = createProgressPrinter({
    write: output.error,
    isTty: terminal.isTty ?? process.stderr.isTTY === true,
    columns: terminal.columns ?? process.stderr.columns ?? 80,
    ...(terminal.lineIntervalMs !== undefined ? { lineIntervalMs: terminal.lineIntervalMs } : {}),
  });
  let fileName: string | undefined;
  try {
    const { pullModel } = await import("../../models/download/pull.js");
    const { pullSettingsFromEnvironment } = await import("../model-downloads.js");
    const result = await pullModel(uri, {
      modelsFolder: folder,
      signal,
      ...(options.sha256 ? { sha256: options.sha256.toLowerCase() } : {}),
      ...(options.name ? { fileName: options.name } : {}),
      ...(options.force ? { overwrite: true } : {}),
      ...pullSettingsFromEnvironment(),
      onResolved: (file) => {
        fileName = options.name ?? file.fileName;
        output.error(`downloading ${fileName}${file.sizeBytes ? ` (${formatBytes(file.sizeBytes)})` : ""} from ${file.url}\n`);
      },
      onProgress: printer.onProgress,
    });
    printer.end();
    if (result.alreadyPresent) {
      output.out(`already in the catalog: ${result.path} (--force downloads it again)\n`);
      return EXIT.ok;
    }
    const checksum = result.verified ? "SHA-256 verified" : `SHA-256 ${result.sha256}`;
    output.out(`saved ${result.path} (${formatBytes(result.bytes)}, ${checksum})\n`);
    return EXIT.ok;
  } catch (error) {
    printer.end();
    if ((error as { code?: unknown } | undefined)?.code === "cancelled") {
      const kept = fileName ? `; the partial download is kept in ${join(folder, `${fileName}.part`)}, run the same command again to resume` : "";
      output.error(`cancelled${kept}\n`);
      return EXIT.cancelled;
    }
    return reportError(`cannot pull ${uri}`, error, output);
  } finally {
    interrupt?.dispose();
  }
}

/** `hearth models recommended`: small tool-calling models worth pulling, with approximate sizes. */
export async function recommendedCommand(options: { json?: boolean }, output: CliOutput): Promise<number> {
  const { RECOMMENDED_MODELS } = await import("../../models/recommended.js");
  if (options.json) {
    output.out(`${JSON.stringify(RECOMMENDED_MODELS, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows = RECOMMENDED_MODELS.map((model) => [model.id, model.label, `~${formatBytes(model.approximateSizeBytes)}`, model.uri, model.note]);
  output.out(formatTable(["ID", "MODEL", "SIZE (APPROX.)", "PULL WITH", "NOTE"], rows));
  return EXIT.ok;
}

/** `hearth models import FILE`: copies a GGUF file into the models folder. */
export async function importCommand(file: string, options: ModelsFolderOption & { name?: string; force?: boolean }, output: CliOutput): Promise<number> {
  try {
    const { importModel } = await import("../../models/catalog.js");
    const entry = await importModel(file, await modelsFolder(options), { ...(options.name ? { fileName: options.name } : {}), ...(options.force ? { overwrite: true } : {}) });
    output.out(`imported ${entry.path}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(`cannot import ${file}`, error, output);
  }
}

/** `hearth models rm NAME`: deletes a model (a file name in the models folder). */
export async function removeCommand(name: string, options: ModelsFolderOption, output: CliOutput): Promise<number> {
  try {
    const folder = await modelsFolder(options);
    await (await import("../../models/catalog.js")).deleteModel(folder, name);
    output.out(`deleted ${name} from ${folder}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(`cannot delete ${name}`, error, output);
  }
}

/**
 * Adds `models list|info|pull|recommended|import|rm` to `program`; each action passes its
 * exit code to `setExitCode`.
 */
export function registerModelsCommands(program: Command, output: CliOutput, setExitCode: (code: number) => void): void {
  const models = program.command("models").description("list, inspect and download local GGUF models");
  const dirOption = ["--models-dir <dir>", "the models folder (default: models in the Hearth data folder; HEARTH_DATA_DIR moves it)"] as const;
  models
    .command("list")
    .alias("ls")
    .description("list the models in the models folder with architecture, size, quantisation and context length")
    .option(...dirOption)
    .option("--json", "print JSON")
    .action(async (options: ModelsFolderOption & { json?: boolean }) => setExitCode(await listCommand(options, output)));
  models
    .command("info")
    .description("print what a GGUF file says about itself, without loading it")
    .argument("<file>", "a GGUF file, or the name of one in the models folder")
    .option(...dirOption)
    .option("--json", "print JSON (with the chat template's text)")
    .action(async (file: string, options: ModelsFolderOption & { json?: boolean }) => setExitCode(await infoCommand(file, options, output)));
  models
    .command("pull")
    .description("download a model; Ctrl-C stops and keeps the partial file, the same command resumes it")
    .argument("<uri>", "hf:<user>/<repo>[:quant], hf:<user>/<repo>/<file.gguf>, or an https URL")
    .option(...dirOption)
    .option("--sha256 <hex>", "expected SHA-256 of the file (hf: URIs with a quantisation get it from the Hub)")
    .option("--name <file>", "file name in the models folder (default: the downloaded file's)")
    .option("--force", "download again even when the models folder has the file")
    .action(async (uri: string, options: ModelsFolderOption & { sha256?: string; name?: string; force?: boolean }) => setExitCode(await pullCommand(uri, options, output)));
  models
    .command("recommended")
    .description("small models that call tools well, with approximate sizes")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => setExitCode(await recommendedCommand(options, output)));
  models
    .command("import")
    .description("copy a GGUF file into the models folder")
    .argument("<file>", "the GGUF file")
    .option(...dirOption)
    .option("--name <file>", "file name in the models folder")
    .option("--force", "replace a model of the same name")
    .action(async (file: string, options: ModelsFolderOption & { name?: string; force?: boolean }) => setExitCode(await importCommand(file, options, output)));
  models
    .command("rm")
    .description("delete a model from the models folder")
    .argument("<name>", "its file name")
    .option(...dirOption)
    .action(async (name: string, options: ModelsFolderOption) => setExitCode(await removeCommand(name, options, output)));
}
