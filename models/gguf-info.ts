/**
 * What a GGUF model file says about itself, read from its header with node-llama-cpp's
 * `readGgufFileInfo`: no weights are loaded, only the metadata and tensor table (a few MB
 * at most; the tokenizer's vocabulary is skipped).
 */
import { stat } from "node:fs/promises";
import { GgmlType, GgufFileType, readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";
import { ModelFileError, describeError } from "./download-errors.js";
import { assertGgufFile } from "./gguf-magic.js";
import { elementCount, tensorByteSize } from "./gguf-tensor-sizes.js";

/** The facts about a model file that the catalog and the model picker show. */
export interface GgufInfo {
  /** The file read, as given. */
  path: string;
  /** Size of the file in bytes. */
  sizeBytes: number;
  /** GGUF format version (3 for current files). */
  ggufVersion: number;
  /** `general.architecture`: `llama`, `qwen3`, `gemma3`… */
  architecture: string;
  /** `general.name`, when the file has one. */
  name?: string;
  /** `general.size_label` (`0.6B`, `8x7B`), when the file has one. */
  sizeLabel?: string;
  /** Number of weights: `general.parameter_count` when recorded, else summed over the tensor shapes. */
  parameterCount: number;
  /** Where {@link parameterCount} came from. */
  parameterCountSource: "metadata" | "tensors";
  /**
   * Quantisation name as in file names (`Q4_K_M`, `Q8_0`, `F16`, `F32`): from
   * `general.file_type`, else the ggml type holding most weights; `unknown` when neither says.
   */
  quantization: string;
  /** `general.file_type` (llama.cpp's `llama_ftype`), when present. */
  fileType?: number;
  /** `<architecture>.context_length`: the context length (tokens) the model was trained for. */
  contextLength?: number;
  /** Whether the file carries a chat template (`tokenizer.chat_template`). */
  hasChatTemplate: boolean;
  /** The chat template (Jinja text), when present. */
  chatTemplate?: string;
  /** Number of tensors in the file. */
  tensorCount: number;
}

/** Large tokenizer arrays: parsed and dropped, so a 150k-token vocabulary costs no memory. */
const SKIPPED_KEYS = ["tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.merges"];

/**
 * Reads the header of the GGUF file at `path` without loading weights. Throws a
 * {@link ModelFileError}: `file_not_found`, `not_gguf` (wrong magic bytes), `gguf_invalid`
 * (damaged header, or a file shorter than its tensors need: truncated), `file_io`.
 */
export async function readGgufInfo(path: string): Promise<GgufInfo> {
  await assertGgufFile(path);
  const sizeBytes = (await stat(path)).size;
  let file: GgufFileInfo;
  try {
    file = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false, spliceSplitFiles: false, ignoreKeys: SKIPPED_KEYS });
  } catch (error) {
    throw new ModelFileError("gguf_invalid", `cannot read the GGUF header of ${path}: ${describeError(error)}`, { path, cause: error });
  }
  checkComplete(path, file, sizeBytes);

  const metadata = file.metadata as unknown as { general?: Record<string, unknown>; tokenizer?: Record<string, unknown> };
  const general = metadata.general ?? {};
  const architecture = typeof general.architecture === "string" ? general.architecture : "unknown";
  const architectureMetadata = file.architectureMetadata as Record<string, unknown> | undefined;
  const tensors = file.tensorInfo ?? [];
  const recordedCount = toNumber(general.parameter_count);
  const fileType = toNumber(general.file_type);
  const contextLength = toNumber(architectureMetadata?.context_length);
  const chatTemplate = metadata.tokenizer?.chat_template;
  return {
    path,
    sizeBytes,
    ggufVersion: file.version,
    architecture,
    ...(typeof general.name === "string" && general.name !== "" ? { name: general.name } : {}),
    ...(typeof general.size_label === "string" && general.size_label !== "" ? { sizeLabel: general.size_label } : {}),
    parameterCount: recordedCount ?? tensors.reduce((sum, tensor) => sum + elementCount(tensor.dimensions), 0),
    parameterCountSource: recordedCount === undefined ? "tensors" : "metadata",
    quantization: quantizationName(fileType, tensors),
    ...(fileType === undefined ? {} : { fileType }),
    ...(contextLength === undefined ? {} : { contextLength }),
    hasChatTemplate: typeof chatTemplate === "string" && chatTemplate !== "",
    ...(typeof chatTemplate === "string" && chatTemplate !== "" ? { chatTemplate } : {}),
    tensorCount: Number(file.tensorCount),
  };
}

/**
 * node-llama-cpp reads past the end of a short file as zeros, so completeness is checked
 * here: the header must fit, and every tensor must end within the file.
 */
function checkComplete(path: string, file: GgufFileInfo, sizeBytes: number): void {
  let neededBytes = file.infoEndOffset ?? 0;
  for (const tensor of file.tensorInfo ?? []) {
    const bytes = tensorByteSize(tensor.ggmlType, tensor.dimensions);
    neededBytes = Math.max(neededBytes, Number(tensor.fileOffset) + (bytes ?? 1));
  }
  if (neededBytes > sizeBytes) {
    throw new ModelFileError("gguf_invalid", `${path} is truncated: its header and tensors need at least ${neededBytes} bytes, the file has ${sizeBytes}`, { path });
  }
}

function quantizationName(fileType: number | undefined, tensors: NonNullable<GgufFileInfo["tensorInfo"]>): string {
  const fromFileType = fileType === undefined ? undefined : (GgufFileType as unknown as Record<number, string | undefined>)[fileType];
  if (fromFileType) return fromFileType.replace(/^(MOSTLY|ALL)_/, "");
  // No file type recorded: name the ggml type that holds the most weights.
  const weightsByType = new Map<number, number>();
  for (const tensor of tensors) weightsByType.set(tensor.ggmlType, (weightsByType.get(tensor.ggmlType) ?? 0) + elementCount(tensor.dimensions));
  const [mostUsed] = [...weightsByType].sort((a, b) => b[1] - a[1]);
  return (mostUsed && (GgmlType as unknown as Record<number, string | undefined>)[mostUsed[0]]) ?? "unknown";
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

