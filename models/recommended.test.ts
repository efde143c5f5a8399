/** The recommended list is well formed: every URI parses to the quantisation it claims. */
import { describe, expect, it } from "vitest";
import { parseModelSource } from "./hf-uri.js";
import { RECOMMENDED_MODELS, findRecommendedModel } from "./recommended.js";

describe("RECOMMENDED_MODELS", () => {
  it.each(RECOMMENDED_MODELS.map((model) => [model.id, model] as const))("%s has an hf: URI for its quantisation", (_id, model) => {
    expect(parseModelSource(model.uri)).toMatchObject({ kind: "huggingface", quantization: model.quantization });
    expect(model.approximateSizeBytes).toBeGreaterThan(100_000_000);
    expect(model.contextLength).toBeGreaterThanOrEqual(8192);
  });

  it("has unique ids, smallest first, including Qwen3 and Llama 3.2", () => {
    const ids = RECOMMENDED_MODELS.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sizes = RECOMMENDED_MODELS.map((model) => model.approximateSizeBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(ids).toEqual(expect.arrayContaining(["qwen3-0.6b", "qwen3-1.7b", "qwen3-4b", "llama-3.2-1b-instruct", "llama-3.2-3b-instruct"]));
    expect(findRecommendedModel("qwen3-1.7b")?.label).toBe("Qwen3 1.7B");
    expect(findRecommendedModel("nope")).toBeUndefined();
  });
});
