// Sampling settings as LlamaChat options (no model needed).
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPERATURE, mergeSampling, toGenerateOptions, toStopReason } from "./sampling.js";

describe("mergeSampling", () => {
  it("takes the request's settings over the defaults, setting by setting", () => {
    expect(mergeSampling({ temperature: 0, topK: 10, stop: ["x"] }, { topK: 5, seed: 1, minP: undefined })).toEqual({ temperature: 0, topK: 5, seed: 1, stop: ["x"] });
  });
});

describe("toGenerateOptions", () => {
  it("maps every setting", () => {
    expect(toGenerateOptions({ temperature: 0.2, topP: 0.9, topK: 20, minP: 0.05, repeatPenalty: 1.2, seed: 7, stop: ["\n\n", ""], maxTokens: 5 })).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 20,
      minP: 0.05,
      repeatPenalty: { penalty: 1.2 },
      seed: 7,
      customStopTriggers: ["\n\n"],
    });
  });

  it("defaults to the contract's temperature and no repeat penalty (node-llama-cpp's default is 1.1)", () => {
    expect(toGenerateOptions({})).toEqual({ temperature: DEFAULT_TEMPERATURE, repeatPenalty: false });
    expect(toGenerateOptions({ repeatPenalty: 1 }).repeatPenalty).toBe(false);
  });
});

describe("toStopReason", () => {
  it.each([
    ["eogToken", "stop"],
    ["stopGenerationTrigger", "stop"],
    ["maxTokens", "maxTokens"],
    ["abort", "aborted"],
  ] as const)("%s is %s", (stopReason, expected) => {
    expect(toStopReason({ stopReason })).toBe(expected);
  });

  it("customStopTrigger is stopString", () => {
    expect(toStopReason({ stopReason: "customStopTrigger", customStopTrigger: ["x"] })).toBe("stopString");
  });
});
