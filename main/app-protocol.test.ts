// Test double: Electron cannot be launched on this machine (its binary does not install),
// so the `protocol.handle` handler is called directly with request-like objects, as
// Electron would call it; the files it serves are real ones in a temporary folder.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, contentTypeFor, makeAppProtocolHandler, resolveAppAsset } from "./app-protocol.js";
import { CONTENT_SECURITY_POLICY, isAppUrl } from "./security.js";

let parent: string;
let root: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "hearth-protocol-"));
  root = join(parent, "dist");
  await mkdir(join(root, "assets"), { recursive: true });
  await writeFile(join(root, "index.html"), "<!doctype html><title>Hearth</title>");
  await writeFile(join(root, "assets", "app.js"), "console.log(1)");
  await writeFile(join(parent, "secret.txt"), "outside the renderer");
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe("resolveAppAsset", () => {
  it("maps app URLs into the renderer folder", () => {
    expect(resolveAppAsset(root, "hearth://app/")).toBe(join(root, "index.html"));
    expect(resolveAppAsset(root, "hearth://app")).toBe(join(root, "index.html"));
    expect(resolveAppAsset(root, "hearth://app/assets/app.js?v=1#x")).toBe(join(root, "assets", "app.js"));
    expect(resolveAppAsset(root, "hearth://app/assets/my%20file.js")).toBe(join(root, "assets", "my file.js"));
  });

  it.each([
    "hearth://app/../secret.txt",
    "hearth://app/%2e%2e/secret.txt",
    "hearth://app/assets/..%2f..%2fsecret.txt",
    "hearth://app/..%5csecret.txt",
    "hearth://other/index.html",
    "https://app/index.html",
    "file:///etc/passwd",
    "hearth://app/index.html%00.js",
    "hearth://app/%E0%A4%A",
    "not a url",
  ])("names nothing outside the folder for %s", (url) => {
    const resolved = resolveAppAsset(root, url);
    if (url === "hearth://app/../secret.txt" || url === "hearth://app/%2e%2e/secret.txt") {
      // The URL parser removes these dot segments itself (WHATWG URL: "%2e%2e" is ".."): what is left is inside the folder.
      expect(resolved).toBe(join(root, "secret.txt"));
    } else {
      expect(resolved).toBeUndefined();
    }
  });

  it("is the app origin that security.ts trusts, with privileges that keep CSP in force", () => {
    expect(isAppUrl(APP_ENTRY_URL, APP_ORIGIN)).toBe(true);
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: "hearth", privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it("knows the content types of a built renderer", () => {
    expect(contentTypeFor("/x/index.html")).toBe("text/html; charset=utf-8");
    expect(contentTypeFor("/x/a.JS")).toBe("text/javascript; charset=utf-8");
    expect(contentTypeFor("/x/a.woff2")).toBe("font/woff2");
    expect(contentTypeFor("/x/a.unknown")).toBe("application/octet-stream");
  });
});

describe("makeAppProtocolHandler", () => {
  const handler = () => makeAppProtocolHandler({ root, readFile: (path) => readFile(path), contentSecurityPolicy: CONTENT_SECURITY_POLICY });

  it("serves files with their type, the CSP and nosniff", async () => {
    const response = await handler()({ url: APP_ENTRY_URL });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("<!doctype html><title>Hearth</title>");
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers 404 for missing files, folders and URLs outside the app, with the CSP", async () => {
    for (const url of ["hearth://app/missing.js", "hearth://app/assets", "hearth://app/%2e%2e/secret.txt", "hearth://other/index.html"]) {
      const response = await handler()({ url });
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain("outside the renderer");
      expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await handler()({ url: APP_ENTRY_URL, method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await handler()({ url: APP_ENTRY_URL, method: "POST" })).status).toBe(405);
  });

  it("answers 500 when a file cannot be read for another reason", async () => {
    const failing = makeAppProtocolHandler({
      root,
      readFile: () => Promise.reject(Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" })),
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    });
    const response = await failing({ url: APP_ENTRY_URL });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("EACCES");
  });
});
