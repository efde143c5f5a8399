/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security)
 * applied to Hearth's window: the web preferences, the Content Security Policy, which URLs
 * are the app's own, what happens to navigation and new windows, which IPC senders are
 * trusted and which permissions the page may have. Each piece takes the Electron objects it
 * works on as small interfaces, so it runs and is tested under plain Node.
 */

/** The `webPreferences` of {@link secureWebPreferences}. */
export interface SecureWebPreferences {
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly experimentalFeatures: false;
  readonly preload: string;
}

/**
 * The `webPreferences` of every Hearth window. Most are Electron's defaults today; they are
 * spelled out so that a change of default, or a careless edit, cannot loosen them silently.
 * Checklist: "Enable context isolation", "Enable process sandboxing", "Do not enable Node.js
 * integration for remote content", "Do not disable webSecurity", "Do not enable
 * allowRunningInsecureContent", "Do not enable experimental features". The `<webview>` tag
 * stays off (its default) and `guardNavigation` refuses to attach one anyway.
 * @param preloadPath - absolute path of the bundled preload script (see preload.ts).
 */
export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  // A fresh object each time, not frozen: Electron reads it while creating the window.
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    preload: preloadPath,
  };
}

/**
 * The Content Security Policy of the packaged app (checklist: "Define a Content Security
 * Policy"). Everything comes from the app itself; images may also be `data:` URLs (tool
 * results carry images as base64). `style-src` is `'self'` only: React's `style={…}` sets
 * styles through the CSSOM, which CSP does not restrict, so no `'unsafe-inline'` is needed.
 * `frame-ancestors` only works as a header (a `<meta>` tag ignores it), which is how it is sent.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join("; ");

/**
 * The policy while the renderer is served by a development server (Vite): it injects
 * styles as `<style>` elements, runs an inline preamble for fast refresh and talks to its
 * own WebSocket, so this one policy allows inline scripts and styles and that server's
 * `ws:` origin. Never used in a packaged app.
 * @param devServerUrl - the development server, `http://localhost:5173` for instance.
 */
export function developmentContentSecurityPolicy(devServerUrl: string): string {
  const server = new URL(devServerUrl);
  const socket = `${server.protocol === "https:" ? "wss:" : "ws:"}//${server.host}`;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", `connect-src 'self' ${socket}`);
}

/** The part of `session.webRequest` that {@link applyContentSecurityPolicy} uses. */
export interface HeadersReceivedHook {
  onHeadersReceived(
    listener: (
      details: { responseHeaders?: Record<string, string | string[]> },
      callback: (response: { responseHeaders: Record<string, string | string[]> }) => void,
    ) => void,
  ): void;
}

/**
 * Adds `policy` as the `Content-Security-Policy` header of every response the session
 * receives, replacing one the server sent (whatever its case). Responses of the app's own
 * protocol carry the header already (app-protocol.ts).
 */
export function applyContentSecurityPolicy(webRequest: HeadersReceivedHook, policy: string): void {
  webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== "content-security-policy") responseHeaders[name] = value;
    }
    responseHeaders["Content-Security-Policy"] = [policy];
    callback({ responseHeaders });
  });
}

/** Parses `value` as a URL; undefined when it is not one. */
function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` belongs to the app at `appOrigin` (`hearth://app` packaged, the development
 * server's `http://localhost:5173` in development): same scheme, same host and port, no
 * user name or password. A `file:` origin is never accepted: every local file would share
 * it (checklist: "Avoid usage of the file:// protocol and prefer usage of custom protocols").
 */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const app = parseUrl(appOrigin);
  const target = parseUrl(url);
  if (app === undefined || target === undefined || app.protocol === "file:" || app.host === "") return false;
  return (
    target.protocol === app.protocol &&
    target.host.toLowerCase() === app.host.toLowerCase() &&
    target.username === "" &&
    target.password === ""
  );
}

/**
 * Whether `url` may be handed to the operating system's browser: `http:` and `https:` only
 * (checklist: "Do not use shell.openExternal with untrusted content"; a `file:`, `smb:` or
 * custom-scheme URL could run or open something local).
 */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && (parsed.protocol === "http:" || parsed.protocol === "https:");
}

/** The event object of `will-navigate`, `will-redirect` and `will-attach-webview`. */
export interface NavigationEvent {
  preventDefault(): void;
  /** Set by Electron 25 and later; older versions pass the URL as the second argument only. */
  readonly url?: string;
}

/** The part of a `WebContents` that {@link guardNavigation} uses. */
export interface GuardedContents {
  on(event: "will-navigate" | "will-redirect" | "will-attach-webview", listener: (event: NavigationEvent, url?: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: "deny" }): void;
}

/**
 * Keeps the window on the app (checklist: "Disable or limit navigation" and "Disable or
 * limit creation of new windows"):
 * - `will-navigate` to a URL that is not the app's is cancelled; an `http(s)` one (a link
 *   in a model's answer) is opened in the user's browser instead, any other scheme is
 *   only cancelled;
 * - `will-redirect` away from the app is cancelled (nothing is opened: the user did not
 *   click the target);
 * - no new window is ever created: `window.open` and `target="_blank"` links are denied,
 *   and `http(s)` ones open in the browser;
 * - a `<webview>` is never attached (checklist: "Verify WebView options before creation";
 *   Hearth has none).
 * @param openExternal - `shell.openExternal`; a rejection is reported to `onError`.
 */
export function guardNavigation(
  contents: GuardedContents,
  appOrigin: string,
  openExternal: (url: string) => Promise<void> | void,
  onError: (error: unknown) => void = () => {},
): void {
  const openOutside = (url: string) => {
    if (!isExternalWebUrl(url)) return;
    try {
      void Promise.resolve(openExternal(url)).catch(onError);
    } catch (error) {
      onError(error);
    }
  };
  contents.on("will-navigate", (event, url) => {
    const target = event.url ?? url ?? "";
    if (isAppUrl(target, appOrigin)) return;
    event.preventDefault();
    openOutside(target);
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(event.url ?? url ?? "", appOrigin)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: "deny" };
  });
}

/**
 * The check `bindIpc` runs on every call (checklist: "Validate the sender of all IPC
 * messages"): the calling frame must still exist and show the app. A frame that navigated
 * elsewhere, or that Electron reports as gone (`null`), is refused.
 */
export function trustedSenderCheck(appOrigin: string): (frame: { url: string } | null) => boolean {
  return (frame) => frame !== null && isAppUrl(frame.url, appOrigin);
}

/** The permissions the app's page may have: writing to the clipboard (the "copy" buttons). */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(["clipboard-sanitized-write"]);

/** The part of a `Session` that {@link restrictPermissions} uses. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean): void;
}

/**
 * Denies every permission request and check (camera, microphone, notifications,
 * geolocation…) except those of {@link ALLOWED_PERMISSIONS} from the app itself
 * (checklist: "Handle session permission requests from remote content"). Electron grants
 * them all by default.
 */
export function restrictPermissions(session: PermissionSession, appOrigin: string): void {
  const allowed = (permission: string, url: string | undefined) => ALLOWED_PERMISSIONS.has(permission) && url !== undefined && isAppUrl(url, appOrigin);
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => callback(allowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
}
