/** Parsing model sources, and resolving `hf:` URIs against a fake Hub API on a local server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelFileServer, type ModelFileServer } from "../tests/fixtures/model-file-server.js";
import { ModelFileError } from "./download-errors.js";
import { huggingFaceFileUrl, parseModelSource, resolveModelSource } from "./hf-uri.js";
import { rejectionOf } from "../tests/fixtures/rejections.js";

const SHA_Q8 = "a".repeat(64);
const SHA_Q4 = "b".repeat(64);
let server: ModelFileServer;

/** The shape of `GET /api/models/<repo>/revision/main?blobs=true`. */
function listing(files: { rfilename: string; size?: number; lfs?: { sha256: string; size: number; pointerSize: number } }[]) {
  return { id: "test/repo", sha: "0123", siblings: [{ rfilename: ".gitattributes", size: 1500 }, { rfilename: "README.md", size: 900 }, ...files] };
}

beforeAll(async () => {
  server = await startModelFileServer();
  server.serveJson(
    "/api/models/Qwen/Qwen3-0.6B-GGUF/revision/main",
    listing([
      { rfilename: "Qwen3-0.6B-Q8_0.gguf", size: 639_447_744, lfs: { sha256: SHA_Q8, size: 639_447_744, pointerSize: 135 } },
      { rfilename: "Qwen3-0.6B-Q4_K_M.gguf", size: 396_705_472, lfs: { sha256: SHA_Q4, size: 396_705_472, pointerSize: 135 } },
      { rfilename: "Qwen3-0.6B-Q4_K.gguf", size: 1, lfs: { sha256: "c".repeat(64), size: 1, pointerSize: 135 } },
      { rfilename: "mmproj-Qwen3-0.6B-Q8_0.gguf", size: 1000 },
      { rfilename: "BF16/Qwen3-0.6B-BF16-00001-of-00002.gguf", size: 1000 },
      { rfilename: "BF16/Qwen3-0.6B-BF16-00002-of-00002.gguf", size: 1000 },
    ]),
  );
  server.serveJson("/api/models/someone/single-GGUF/revision/main", listing([{ rfilename: "model-f16.gguf", size: 42 }]));
  server.serveJson("/api/models/someone/many-GGUF/revision/main", listing([{ rfilename: "a-Q8_0.gguf" }, { rfilename: "sub/a-Q8_0.gguf" }, { rfilename: "a-Q6_K.gguf" }, { rfilename: "b-Q6_K.gguf" }]));
  server.serveJson("/api/models/someone/gated/revision/main", {}, { status: 401 });
  server.serveJson("/api/models/someone/broken/revision/main", { error: "no siblings here" });
});
afterAll(async () => {
  await server.close();
});

const resolve = (uri: string) => resolveModelSource(uri, { huggingFaceEndpoint: server.url });

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ModelFileError);

describe("parseModelSource", () => {
  it.each([
    ["hf:Qwen/Qwen3-0.6B-GGUF", { kind: "huggingface", user: "Qwen", repo: "Qwen3-0.6B-GGUF" }],
    ["hf:Qwen/Qwen3-0.6B-GGUF:Q8_0", { kind: "huggingface", user: "Qwen", repo: "Qwen3-0.6B-GGUF", quantization: "Q8_0" }],
    ["hf://Qwen/Qwen3-0.6B-GGUF:q4_k_m", { kind: "huggingface", user: "Qwen", repo: "Qwen3-0.6B-GGUF", quantization: "q4_k_m" }],
    ["hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf", { kind: "huggingface", user: "Qwen", repo: "Qwen3-0.6B-GGUF", filePath: "Qwen3-0.6B-Q8_0.gguf" }],
    ["hf:user/repo/sub dir/model.GGUF", { kind: "huggingface", user: "user", repo: "repo", filePath: "sub dir/model.GGUF" }],
    ["https://example.com/models/x.gguf?download=true", { kind: "url", url: "https://example.com/models/x.gguf?download=true" }],
    ["https://huggingface.co/u/r/blob/main/x.gguf", { kind: "url", url: "https://huggingface.co/u/r/resolve/main/x.gguf" }],
  ])("%s", (text, expected) => {
    expect(parseModelSource(text)).toEqual(expected);
  });

  it.each(["Qwen/Qwen3", "hf:", "hf:Qwen", "hf:/repo", "hf:user/repo:Q8_0:x", "hf:user/repo:Q8_0/file.gguf", "hf:user/repo/readme.md", "hf:user/repo/../x.gguf", "ftp://x/y.gguf", "https://"])(
    "refuses %s with invalid_uri",
    (text) => {
      expect(() => parseModelSource(text)).toThrow(expect.objectContaining({ code: "invalid_uri" }));
    },
  );
});

describe("resolveModelSource", () => {
  it("picks the file of the quantisation from the repository listing, with its checksum and size", async () => {
    expect(await resolve("hf:Qwen/Qwen3-0.6B-GGUF:Q8_0")).toEqual({
      source: "hf:Qwen/Qwen3-0.6B-GGUF:Q8_0",
      url: `${server.url}/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf`,
      fileName: "Qwen3-0.6B-Q8_0.gguf",
      sizeBytes: 639_447_744,
      sha256: SHA_Q8,
    });
    const request = server.requestsFor("/api/models/Qwen/Qwen3-0.6B-GGUF/revision/main").at(-1)!;
    expect(request.headers.accept).toBe("application/json");
  });

  it("matches the quantisation as a whole name part, case-insensitively", async () => {
    expect((await resolve("hf:Qwen/Qwen3-0.6B-GGUF:q4_k_m")).fileName).toBe("Qwen3-0.6B-Q4_K_M.gguf");
    expect((await resolve("hf:Qwen/Qwen3-0.6B-GGUF:Q4_K")).fileName).toBe("Qwen3-0.6B-Q4_K.gguf");
  });

  it("takes Q4_K_M when no quantisation is named and there are several", async () => {
    expect((await resolve("hf:Qwen/Qwen3-0.6B-GGUF")).fileName).toBe("Qwen3-0.6B-Q4_K_M.gguf");
  });

  it("takes the only GGUF of a repository when no quantisation is named", async () => {
    expect(await resolve("hf:someone/single-GGUF")).toMatchObject({ fileName: "model-f16.gguf", sizeBytes: 42 });
  });

  it("prefers a top-level file and reports real ambiguity", async () => {
    expect((await resolve("hf:someone/many-GGUF:Q8_0")).url).toBe(`${server.url}/someone/many-GGUF/resolve/main/a-Q8_0.gguf`);
    const error = await failure(resolve("hf:someone/many-GGUF:Q6_K"));
    expect(error.code).toBe("ambiguous_file");
    expect(error.message).toContain("a-Q6_K.gguf, b-Q6_K.gguf");
  });

  it("lists what the repository has when nothing matches, and names split-only quantisations", async () => {
    const missing = await failure(resolve("hf:Qwen/Qwen3-0.6B-GGUF:Q2_K"));
    expect(missing.code).toBe("no_matching_file");
    expect(missing.message).toContain("Qwen3-0.6B-Q8_0.gguf");
    expect(missing.message).not.toContain("mmproj");
    const split = await failure(resolve("hf:Qwen/Qwen3-0.6B-GGUF:BF16"));
    expect(split.code).toBe("no_matching_file");
    expect(split.message).toContain("split");
  });

  it("builds the resolve URL of a named file without asking the API", async () => {
    const before = server.requests().length;
    expect(await resolve("hf:user/repo/sub dir/model.gguf")).toEqual({
      source: "hf:user/repo/sub dir/model.gguf",
      url: `${server.url}/user/repo/resolve/main/sub%20dir/model.gguf`,
      fileName: "model.gguf",
    });
    expect(server.requests().length).toBe(before);
  });

  it("resolves a URL to itself, named by its last path segment", async () => {
    expect(await resolve("https://example.com/a/My%20Model.gguf?download=true")).toEqual({
      source: "https://example.com/a/My%20Model.gguf?download=true",
      url: "https://example.com/a/My%20Model.gguf?download=true",
      fileName: "My Model.gguf",
    });
  });

  it("uses the injected fetch and sends the token", async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const fetchSpy: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get("authorization") });
      return fetch(input, init);
    };
    await resolveModelSource("hf:someone/single-GGUF", { huggingFaceEndpoint: `${server.url}/`, fetch: fetchSpy, token: "hf_secret" });
    expect(seen).toEqual([{ url: `${server.url}/api/models/someone/single-GGUF/revision/main?blobs=true`, authorization: "Bearer hf_secret" }]);
  });

  it("reports an unknown repository as http_status naming the URL", async () => {
    const error = await failure(resolve("hf:nobody/nothing:Q8_0"));
    expect(error.code).toBe("http_status");
    expect(error.details.status).toBe(404);
    expect(error.message).toContain(`${server.url}/api/models/nobody/nothing/revision/main?blobs=true`);
  });

  it("hints at a token for a gated repository, and rejects a listing without files", async () => {
    expect((await failure(resolve("hf:someone/gated"))).message).toContain("HF_TOKEN");
    expect((await failure(resolve("hf:someone/broken"))).code).toBe("network");
  });

  it("builds resolve URLs with each path segment encoded", () => {
    expect(huggingFaceFileUrl("https://huggingface.co/", "u", "r", "a b/c#d.gguf")).toBe("https://huggingface.co/u/r/resolve/main/a%20b/c%23d.gguf");
  });
});
