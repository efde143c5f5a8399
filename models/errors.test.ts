import { describe, expect, it } from "vitest";
import { ModelFileError } from "./download-errors.js";
import { isModelError, ModelError } from "./errors.js";
import { LocalRunnerError } from "./local/errors.js";
import { RemoteModelError } from "./remote/errors.js";

describe("model errors", () => {
  it("are all ModelErrors, told apart by name and code", () => {
    const errors = [
      new ModelError("out_of_memory", "too big"),
      new LocalRunnerError("generation_failed", "broke"),
      new RemoteModelError("auth_failed", "401", { status: 401 }),
      new ModelFileError("checksum_mismatch", "bad sum", { url: "http://127.0.0.1/x" }),
    ];
    expect(errors.every((error) => isModelError(error))).toBe(true);
    expect(errors.map((error) => [error.name, error.code])).toEqual([
      ["ModelError", "out_of_memory"],
      ["LocalRunnerError", "generation_failed"],
      ["RemoteModelError", "auth_failed"],
      ["ModelFileError", "checksum_mismatch"],
    ]);
    expect(isModelError(errors[2], "auth_failed")).toBe(true);
    expect(isModelError(errors[2], "timeout")).toBe(false);
    expect(isModelError(new Error("plain"))).toBe(false);
  });
});
