/**
 * The cheap GGUF check: the first four bytes of every GGUF file are `GGUF`. Kept apart
 * from gguf-info.ts so downloads and imports can check a file without loading
 * node-llama-cpp.
 */
import { open } from "node:fs/promises";
import { ModelFileError } from "./download-errors.js";

/** The magic bytes at offset 0 of a GGUF file (GGUF spec, "File Structure"). */
export const GGUF_MAGIC = Buffer.from("GGUF", "latin1");

/** Whether `bytes` starts with the GGUF magic. */
export function startsWithGgufMagic(bytes: Uint8Array): boolean {
  return bytes.length >= GGUF_MAGIC.length && GGUF_MAGIC.every((byte, index) => bytes[index] === byte);
}

/**
 * The first bytes of the file at `path`, as many as the magic has (fewer for a shorter
 * file). File-system errors are thrown as they are, for the caller to map to its codes.
 */
export async function readFileStart(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const start = Buffer.alloc(GGUF_MAGIC.length);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    return start.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What a file starts with instead of the magic, for error messages. */
export function describeFileStart(start: Buffer): string {
  return start.length === 0 ? "it is empty" : `it starts with ${JSON.stringify(start.toString("latin1"))}`;
}

/**
 * Throws `file_not_found` when `path` does not exist and `not_gguf` when it does not
 * start with the GGUF magic; other read failures are `file_io`.
 */
export async function assertGgufFile(path: string): Promise<void> {
  let start: Buffer;
  try {
    start = await readFileStart(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ModelFileError("file_not_found", `no such file: ${path}`, { path, cause: error });
    throw new ModelFileError("file_io", `cannot read ${path}: ${(error as Error).message}`, { path, cause: error });
  }
  if (!startsWithGgufMagic(start)) {
    throw new ModelFileError("not_gguf", `${path} is not a GGUF model file (${describeFileStart(start)}, not "GGUF")`, { path });
  }
}
