/**
 * The local model catalog: the `*.gguf` files at the top of one models folder (the
 * `modelsFolder` setting; {@link defaultModelsFolder} by default). Listing reads each
 * header (no weights); a file that cannot be read is listed with its error rather than
 * dropped, so the user sees why a model is unusable and can delete it.
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { ModelFileError, describeError, type ModelFileErrorCode } from "./download-errors.js";
import { partPaths, removePart } from "./download/part-file.js";
import { PARTIAL_SUFFIX, checkModelFileName, isModelFileName } from "./file-names.js";
import { readGgufInfo, type GgufInfo } from "./gguf-info.js";

export { defaultModelsFolder } from "./data-folder.js";

/** One file of the catalog: readable (`info`) or not (`error`). */
export type CatalogEntry =
  | { status: "ready"; fileName: string; path: string; sizeBytes: number; modifiedAt: Date; info: GgufInfo }
  | { status: "unreadable"; fileName: string; path: string; sizeBytes: number; modifiedAt: Date; error: { code: ModelFileErrorCode; message: string } };

/** A download that stopped before the end: `<fileName>.part`, resumable by pulling the same model again. */
export interface PartialDownload {
  /** The model file it will become. */
  fileName: string;
  /** Path of the `.part` file. */
  path: string;
  /** Bytes received so far. */
  bytes: number;
  modifiedAt: Date;
}

/**
 * The models in `folder`, sorted by file name; an empty list when the folder does not
 * exist yet. Subfolders and files not named `*.gguf` are ignored; headers are read two at
 * a time.
 */
export async function listModels(folder: string): Promise<CatalogEntry[]> {
  const names = await listModelFileNames(folder);
  const entries: (CatalogEntry | undefined)[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const index = next++;
      entries[index] = await describeEntry(folder, names[index]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return entries.filter((entry): entry is CatalogEntry => entry !== undefined);
}

/**
 * The names of the `*.gguf` entries at the top of `folder`, sorted as {@link listModels}
 * sorts them; none when the folder does not exist yet. Reads no header, so it is cheap
 * enough to call on every chat turn.
 */
export async function listModelFileNames(folder: string): Promise<string[]> {
  return (await readFolder(folder)).filter(isModelFileName).sort();
}

/** The catalog entry of one file of `folder`; throws `file_not_found` when it is not there. */
export async function describeModel(folder: string, fileName: string): Promise<CatalogEntry> {
  checkModelFileName(fileName);
  const entry = await describeEntry(folder, fileName);
  if (!entry) throw new ModelFileError("file_not_found", `no model named ${fileName} in ${folder}`, { path: join(folder, fileName) });
  return entry;
}

/** The unfinished downloads (`*.gguf.part`) in `folder`, sorted by file name. */
export async function listPartialDownloads(folder: string): Promise<PartialDownload[]> {
  const names = (await readFolder(folder)).filter((name) => name.endsWith(PARTIAL_SUFFIX) && isModelFileName(name.slice(0, -PARTIAL_SUFFIX.length))).sort();
  const partials: PartialDownload[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isFile()) partials.push({ fileName: name.slice(0, -PARTIAL_SUFFIX.length), path, bytes: stats.size, modifiedAt: stats.mtime });
  }
  return partials;
}

/**
 * Deletes the model `fileName` from `folder` (and an unfinished `.part` of the same name, if any).
 * Throws `invalid_file_name` for a name with a path in it and `file_not_found` when absent.
 */
export async function deleteModel(folder: string, fileName: string): Promise<void> {
  checkModelFileName(fileName);
  const path = join(folder, fileName);
  try {
    await rm(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ModelFileError("file_not_found", `no model named ${fileName} in ${folder}`, { path, cause: error });
    throw new ModelFileError("file_io", `cannot delete ${path}: ${describeError(error)}`, { path, cause: error });
  }
  await removePart(partPaths(path));
}

/** Options of {@link importModel}. */
export interface ImportOptions {
  /** Name in the catalog (must end in `.gguf`). Default: the source's file name. */
  fileName?: string;
  /** Replace a model of the same name. Default false (`already_exists`). */
  overwrite?: boolean;
}

/**
 * Copies the GGUF file at `source` into `folder` (created if needed) and returns its entry.
 * The copy is written to a hidden temporary file in `folder` and renamed into place, so the
 * catalog never shows a half-copied model. Refuses a file that is not a readable GGUF
 * (`not_gguf`, `gguf_invalid`, `file_not_found`) before copying anything.
 */
export async function importModel(source: string, folder: string, options: ImportOptions = {}): Promise<CatalogEntry> {
  const fileName = options.fileName ?? basename(source);
  checkModelFileName(fileName);
  await readGgufInfo(source);
  const destination = join(folder, fileName);
  if (!options.overwrite && (await stat(destination).catch(() => undefined))) {
    throw new ModelFileError("already_exists", `the catalog already has ${fileName} (${folder})`, { path: destination });
  }
  const temporary = join(folder, `.${fileName}.${randomBytes(6).toString("hex")}.import`);
  try {
    await mkdir(folder, { recursive: true });
    await copyFile(source, temporary);
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ModelFileError("file_io", `cannot copy ${source} to ${destination}: ${describeError(error)}`, { path: destination, cause: error });
  }
  return describeModel(folder, fileName);
}

async function describeEntry(folder: string, fileName: string): Promise<CatalogEntry | undefined> {
  const path = join(folder, fileName);
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) return undefined;
  const base = { fileName, path, sizeBytes: stats.size, modifiedAt: stats.mtime };
  try {
    return { status: "ready", ...base, info: await readGgufInfo(path) };
  } catch (error) {
    const code = error instanceof ModelFileError ? error.code : "file_io";
    return { status: "unreadable", ...base, error: { code, message: describeError(error) } };
  }
}

async function readFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new ModelFileError("file_io", `cannot read the models folder ${folder}: ${describeError(error)}`, { path: folder, cause: error });
  }
}

