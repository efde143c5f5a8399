import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";
import { compileResourcePattern, matchesResourcePatterns } from "./resource-patterns.js";

describe("backoffDelay", () => {
  const noJitter = { jitter: 0 };
  it("doubles from the initial delay and stops at the cap", () => {
    const delays = [1, 2, 3, 4, 10, 50].map((attempt) => backoffDelay(attempt, noJitter));
    expect(delays).toEqual([500, 1000, 2000, 4000, 30_000, 30_000]);
  });
  it("spreads retries by the jitter share at most", () => {
    expect(backoffDelay(2, { jitter: 0.1 }, () => 1)).toBe(1100);
    expect(backoffDelay(2, { jitter: 0.1 }, () => 0)).toBe(900);
  });
});

describe("resource patterns", () => {
  it("matches ** across segments and * within one", () => {
    const patterns = ["file://**", "demo://resource/static/*"].map(compileResourcePattern);
    expect(matchesResourcePatterns("file:///home/me/notes.txt", patterns)).toBe(true);
    expect(matchesResourcePatterns("demo://resource/static/document/a.md", patterns)).toBe(false);
    expect(matchesResourcePatterns("demo://resource/static/a.md", patterns)).toBe(true);
    expect(matchesResourcePatterns("https://example.com/x", patterns)).toBe(false);
  });
  it("treats regular-expression characters literally", () => {
    expect(compileResourcePattern("a.b?c").test("a.b?c")).toBe(true);
    expect(compileResourcePattern("a.b?c").test("axbc")).toBe(false);
  });
});
