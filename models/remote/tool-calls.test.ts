import { describe, expect, it } from "vitest";
import { parseToolArguments, ToolCallAccumulator } from "./tool-calls.js";

describe("ToolCallAccumulator", () => {
  it("puts interleaved deltas together by index, in index order", () => {
    const calls = new ToolCallAccumulator();
    calls.add([{ index: 1, id: "b", function: { name: "g", arguments: '{"x"' } }]);
    calls.add([{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "" } }]);
    calls.add([{ index: 1, function: { arguments: ":1}" } }, { index: 0, function: { arguments: "{}" } }]);
    expect(calls.finish()).toEqual([
      { id: "a", name: "f", argumentsText: "{}" },
      { id: "b", name: "g", argumentsText: '{"x":1}' },
    ]);
  });

  it("takes deltas without index (new id: new call) and does not double a repeated name", () => {
    const calls = new ToolCallAccumulator();
    calls.add([{ id: "a", function: { name: "f", arguments: '{"q":' } }]);
    calls.add([{ function: { name: "f", arguments: "1}" } }]);
    calls.add([{ id: "b", function: { name: "g", arguments: "{}" } }]);
    expect(calls.finish()).toEqual([
      { id: "a", name: "f", argumentsText: '{"q":1}' },
      { id: "b", name: "g", argumentsText: "{}" },
    ]);
  });

  it("gives a call without id a fresh one", () => {
    const calls = new ToolCallAccumulator();
    calls.add([{ index: 0, function: { name: "f" } }]);
    expect(calls.finish()[0]?.id).toMatch(/^call_[0-9a-f]{32}$/);
  });
});

describe("parseToolArguments", () => {
  it("parses objects, takes empty text as no arguments, refuses the rest", () => {
    expect(parseToolArguments('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseToolArguments("  ")).toEqual({ ok: true, value: {} });
    for (const text of ["{", "[]", "null", '"x"']) expect(parseToolArguments(text).ok).toBe(false);
  });
});
