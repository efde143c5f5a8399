/**
 * The checks made on a model path before llama.cpp sees it: it must be a readable file
 * that starts with the GGUF magic. They are cheap (a stat and 4 bytes) and give errors
 * that name the path, where llama.cpp would say only "Failed to load model".
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ModelError } from "../errors.js";
import { describeFileStart, readFileStart, startsWithGgufMagic } from "../gguf-magic.js";

/**
 * Checks that `path` is a GGUF file and resolves to its absolute path.
 *
 * @throws ModelError `model_not_found` (no such file, or it cannot be opened) or
 * `invalid_model` (a folder, or not GGUF); the message names the path.
 */
export async function checkModelFile(path: string): Promise<string> {
  const absolute = resolve(path);
  let isFile: boolean;
  try {
    isFile = (await stat(absolute)).isFile();
  } catch (error) {
    throw notFound(absolute, error);
  }
  if (!isFile) throw new ModelError("invalid_model", `${absolute} is not a file (a GGUF model file is expected)`);

  let start: Buffer;
  try {
    start = await readFileStart(absolute);
  } catch (error) {
    throw notFound(absolute, error);
  }
  if (!startsWithGgufMagic(start)) {
    throw new ModelError("invalid_model", `${absolute} is not a GGUF model file (${describeFileStart(start)}, not "GGUF")`);
  }
  return absolute;
}

function notFound(path: string, error: unknown): ModelError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === "ENOENT" || code === "ENOTDIR" ? "no such file" : `cannot be opened (${code ?? String(error)})`;
  return new ModelError("model_not_found", `Model file ${path}: ${why}`, { cause: error });
}
