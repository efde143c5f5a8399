/** Names of files in the models folder: models, and unfinished downloads beside them. */
import { basename } from "node:path";
import { ModelFileError } from "./download-errors.js";

/** The suffix of an unfinished download beside its final name (`model.gguf.part`). */
export const PARTIAL_SUFFIX = ".part";

/** Whether `name` is a model file the catalog lists: `*.gguf`, not hidden. */
export function isModelFileName(name: string): boolean {
  return name.toLowerCase().endsWith(".gguf") && !name.startsWith(".");
}

/** Throws `invalid_file_name` unless `name` is a bare `*.gguf` name: no folder part, so no entry can point outside the catalog. */
export function checkModelFileName(name: string): void {
  if (name !== basename(name) || name.includes("/") || name.includes("\\") || !isModelFileName(name)) {
    throw new ModelFileError("invalid_file_name", `a model file name must be a bare name ending in .gguf, not ${JSON.stringify(name)}`);
  }
}
