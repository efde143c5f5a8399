/**
 * The packaged renderer is served from `hearth://app/…`, a custom protocol, not from
 * `file://` (checklist: "Avoid usage of the file:// protocol and prefer usage of custom
 * protocols", https://www.electronjs.org/docs/latest/tutorial/security): a `file:` page
 * shares its origin with every local file, while `hearth://app` is an origin of its own
 * that serves the renderer's folder and nothing else. The handler below resolves each URL
 * inside that folder (no `..`, no other host), answers GET and HEAD only, and sends the
 * Content Security Policy with every response.
 */
import { extname, isAbsolute, relative, resolve, sep } from "node:path";

/** The scheme of the app's pages. */
export const APP_SCHEME = "hearth";
/** The origin of the app's pages; `isAppUrl` compares with it. */
export const APP_ORIGIN = `${APP_SCHEME}://app`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * How the scheme is registered (`protocol.registerSchemesAsPrivileged`, before `ready`):
 * `standard` so relative URLs and `'self'` work as on the web, `secure` so the page is a
 * secure context, `supportFetchAPI` so the page can fetch its own assets. It does not
 * bypass the CSP and does not get `corsEnabled` or `stream` beyond what a page needs.
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  scheme: APP_SCHEME,
  privileges: Object.freeze({ standard: true, secure: true, supportFetchAPI: true }),
});

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** The `Content-Type` of a file named `path` (by its extension); `application/octet-stream` when unknown. */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/**
 * The file under `root` that `url` names, or undefined when it names none: another scheme
 * or host, a path that is not valid percent-encoding, holds a NUL, or leaves `root` (an
 * encoded `..` included). `/` is `/index.html`.
 */
export function resolveAppAsset(root: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (`${parsed.protocol}//${parsed.host}`.toLowerCase() !== APP_ORIGIN) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  // A backslash is a separator on Windows: refuse it everywhere rather than decode it differently per platform.
  if (path.includes("\0") || path.includes("\\")) return undefined;
  if (path === "" || path.endsWith("/")) path = `${path}index.html`;
  const base = resolve(root);
  const file = resolve(base, `.${sep}${path.replace(/^[/\\]+/, "")}`);
  const inside = relative(base, file);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return file;
}

/** What {@link makeAppProtocolHandler} needs. */
export interface AppProtocolOptions {
  /** The renderer's built folder (holding index.html). */
  root: string;
  /** Reads a file (`fs.promises.readFile`); rejects with `ENOENT` or `EISDIR` for a missing one. */
  readFile(path: string): Promise<Uint8Array>;
  /** Sent as `Content-Security-Policy` with every response. */
  contentSecurityPolicy: string;
}

/**
 * The handler of `protocol.handle(APP_SCHEME, …)`: the file the URL names, with its
 * content type, the CSP and `X-Content-Type-Options: nosniff`; 404 for a missing file or a
 * URL that names none, 405 for methods other than GET and HEAD.
 */
export function makeAppProtocolHandler(options: AppProtocolOptions): (request: { url: string; method?: string }) => Promise<Response> {
  const headers = (extra: Record<string, string>) => ({
    "Content-Security-Policy": options.contentSecurityPolicy,
    "X-Content-Type-Options": "nosniff",
    ...extra,
  });
  const status = (code: number, text: string) => new Response(text, { status: code, headers: headers({ "Content-Type": "text/plain; charset=utf-8" }) });
  return async (request) => {
    const method = (request.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD") return status(405, "method not allowed");
    const file = resolveAppAsset(options.root, request.url);
    if (file === undefined) return status(404, "not found");
    let body: Uint8Array;
    try {
      body = await options.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return status(404, "not found");
      return status(500, "cannot read the file");
    }
    // A copy typed over a plain ArrayBuffer, which is what `Response` accepts.
    return new Response(method === "HEAD" ? null : new Uint8Array(body), { status: 200, headers: headers({ "Content-Type": contentTypeFor(file) }) });
  };
}
