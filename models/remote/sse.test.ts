import { describe, expect, it } from "vitest";
import { SseDataParser } from "./sse.js";

const encoder = new TextEncoder();

/** Feeds `bytes` cut at `cuts` and returns every event's data. */
function parse(bytes: Uint8Array, cuts: number[] = []): string[] {
  const parser = new SseDataParser();
  const events: string[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return [...events, ...parser.end()];
}

describe("SseDataParser", () => {
  const text = 'data: {"content":"héllo ☀️"}\r\n\r\n: keep-alive\n\ndata:{"n":2}\r\rdata: a\r\ndata: b\n\nevent: x\nid: 7\ndata: [DONE]\n\n';
  const expected = ['{"content":"héllo ☀️"}', '{"n":2}', "a\nb", "[DONE]"];

  it("reads data lines, joins multi-line data, skips comments and other fields, takes \\n, \\r\\n and \\r", () => {
    expect(parse(encoder.encode(text))).toEqual(expected);
  });

  it("gives the same events whichever two places the bytes are cut at (inside \\r\\n and UTF-8 too)", () => {
    const bytes = encoder.encode(text);
    for (let first = 0; first <= bytes.length; first++) {
      for (let second = first; second <= bytes.length; second += 3) {
        expect(parse(bytes, [first, second])).toEqual(expected);
      }
    }
  });

  it("gives the same events fed one byte at a time", () => {
    const bytes = encoder.encode(text);
    expect(parse(bytes, Array.from({ length: bytes.length }, (_, index) => index))).toEqual(expected);
  });

  it("keeps a last event that the stream ended without a blank line after", () => {
    expect(parse(encoder.encode('data: {"a":1}\n\ndata: {"b":2}'))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("ignores a byte order mark and an empty data field's event is an empty string", () => {
    expect(parse(encoder.encode("\uFEFFdata: x\n\ndata\n\n"))).toEqual(["x", ""]);
  });
});
