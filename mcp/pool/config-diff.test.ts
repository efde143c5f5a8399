import { describe, expect, it } from "vitest";
import { McpConfigSchema, type McpConfigInput } from "../config/schema.js";
import { diffConfigs } from "./config-diff.js";

const parse = (input: McpConfigInput) => McpConfigSchema.parse(input);
const process = (command: string) => ({ type: "Process" as const, command });

describe("diffConfigs", () => {
  const before = parse({
    servers: [
      { id: "keep", source: process("a") },
      { id: "edit", source: process("b") },
      { id: "drop", source: process("c") },
      { id: "off", source: process("d"), enabled: false },
    ],
  });

  it("restarts only what changed", () => {
    const after = parse({
      servers: [
        { id: "keep", source: process("a") },
        { id: "edit", source: { ...process("b"), args: ["--verbose"] } },
        { id: "off", source: process("d") },
        { id: "new", source: process("e") },
      ],
    });
    const diff = diffConfigs(before, after);
    expect(diff.unchanged).toEqual(["keep"]);
    expect(diff.changed.map((server) => server.id)).toEqual(["edit"]);
    expect(diff.added.map((server) => server.id)).toEqual(["off", "new"]);
    expect(diff.removed).toEqual(["drop"]);
  });

  it("treats disabling as removal and ignores key order", () => {
    const after = parse({
      servers: [
        { source: process("a"), id: "keep" },
        { id: "edit", source: process("b"), enabled: false },
        { id: "drop", source: process("c") },
      ],
    });
    const diff = diffConfigs(before, after);
    expect(diff.unchanged).toEqual(["keep", "drop"]);
    expect(diff.removed).toEqual(["edit"]);
  });

  it("starts every enabled server of a first config", () => {
    expect(diffConfigs(undefined, before).added.map((server) => server.id)).toEqual(["keep", "edit", "drop"]);
  });
});
