/**
 * Small models that call tools well enough for Hearth and run on an ordinary laptop,
 * offered on first start and by `hearth models recommended`. Sizes are APPROXIMATE (the
 * Hub's figure rounded, as of writing): show them as "about", and trust the download's
 * `Content-Length` or the repository listing for the real number.
 */

/** One recommended model. */
export interface RecommendedModel {
  /** Stable id for settings and the UI (`qwen3-1.7b`). */
  id: string;
  /** Name to show. */
  label: string;
  /** What to pull: an `hf:<user>/<repo>:<quant>` URI. */
  uri: string;
  /** Parameter count as the model card says it (`1.7B`). */
  parameters: string;
  /** The quantisation the URI picks. */
  quantization: string;
  /** APPROXIMATE size of the file in bytes (the Hub's figure rounded); for "about 1.8 GB" labels only. */
  approximateSizeBytes: number;
  /** Context length (tokens) the model was trained for. */
  contextLength: number;
  /** The model's license, by its usual name. */
  license: string;
  /** One line on why or when to pick it. */
  note: string;
}

const MB = 1_000_000;

/** The recommended models, smallest first. */
export const RECOMMENDED_MODELS: readonly RecommendedModel[] = Object.freeze([
  {
    id: "qwen3-0.6b",
    label: "Qwen3 0.6B",
    uri: "hf:Qwen/Qwen3-0.6B-GGUF:Q8_0",
    parameters: "0.6B",
    quantization: "Q8_0",
    approximateSizeBytes: 640 * MB,
    contextLength: 32_768,
    license: "Apache-2.0",
    note: "Smallest that still calls tools; fast on any CPU. Thinks before answering unless told /no_think.",
  },
  {
    id: "llama-3.2-1b-instruct",
    label: "Llama 3.2 1B Instruct",
    uri: "hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0",
    parameters: "1B",
    quantization: "Q8_0",
    approximateSizeBytes: 1_320 * MB,
    contextLength: 131_072,
    license: "Llama 3.2 Community License",
    note: "Small with a long context; simple single tool calls.",
  },
  {
    id: "qwen3-1.7b",
    label: "Qwen3 1.7B",
    uri: "hf:Qwen/Qwen3-1.7B-GGUF:Q8_0",
    parameters: "1.7B",
    quantization: "Q8_0",
    approximateSizeBytes: 1_830 * MB,
    contextLength: 32_768,
    license: "Apache-2.0",
    note: "Good default for 8 GB machines: reliable tool calls at a few GB of memory.",
  },
  {
    id: "llama-3.2-3b-instruct",
    label: "Llama 3.2 3B Instruct",
    uri: "hf:bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
    parameters: "3B",
    quantization: "Q4_K_M",
    approximateSizeBytes: 2_020 * MB,
    contextLength: 131_072,
    license: "Llama 3.2 Community License",
    note: "Better instruction following than 1B; long context.",
  },
  {
    id: "qwen3-4b",
    label: "Qwen3 4B",
    uri: "hf:Qwen/Qwen3-4B-GGUF:Q4_K_M",
    parameters: "4B",
    quantization: "Q4_K_M",
    approximateSizeBytes: 2_500 * MB,
    contextLength: 32_768,
    license: "Apache-2.0",
    note: "Best tool use of the list; wants 16 GB of memory or a GPU for comfortable speed.",
  },
]);

/** The recommended model with this id, if any. */
export function findRecommendedModel(id: string): RecommendedModel | undefined {
  return RECOMMENDED_MODELS.find((model) => model.id === id);
}
