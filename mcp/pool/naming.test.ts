import { describe, expect, it } from "vitest";
import { assignToolNames, exposedToolName, safeToolName } from "./naming.js";

describe("tool naming", () => {
  it("joins prefix and name with an underscore", () => {
    expect(exposedToolName("echo", "everything")).toBe("everything_echo");
    expect(exposedToolName("echo")).toBe("echo");
  });

  it("replaces characters model APIs reject", () => {
    expect(safeToolName("files.read file")).toBe("files_read_file");
  });

  it("keeps long names at 64 characters and distinct", () => {
    const a = safeToolName(`${"x".repeat(70)}_alpha`);
    const b = safeToolName(`${"x".repeat(70)}_beta`);
    expect(a).toHaveLength(64);
    expect(b).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("resolves a collision in config order and reports it", () => {
    const result = assignToolNames([
      { serverId: "first", toolNames: ["search", "read"] },
      { serverId: "second", toolNames: ["search"] },
      { serverId: "third", toolNames: ["search"] },
    ]);
    expect(result.names.get("first")!.get("search")).toBe("search");
    expect(result.names.get("second")!.get("search")).toBe("search_second");
    expect(result.names.get("third")!.get("search")).toBe("search_third");
    expect(result.collisions).toEqual([
      { name: "search", keptBy: "first", serverId: "second", toolName: "search", renamedTo: "search_second" },
      { name: "search", keptBy: "first", serverId: "third", toolName: "search", renamedTo: "search_third" },
    ]);
  });

  it("gives the same names whatever order the servers connected in", () => {
    const servers = [
      { serverId: "a", toolNames: ["x", "y"] },
      { serverId: "b", toolNames: ["y", "z"] },
    ];
    const once = assignToolNames(servers).names;
    const again = assignToolNames(servers.map((server) => ({ ...server }))).names;
    expect([...again.get("b")!]).toEqual([...once.get("b")!]);
    expect(once.get("b")!.get("y")).toBe("y_b");
  });
});
