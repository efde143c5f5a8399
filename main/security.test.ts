// Test double: Electron cannot be launched on this machine (its binary does not install),
// so these tests drive the security logic with fakes of `WebContents`, `session.webRequest`
// and the permission handlers that record what Electron would have been asked to do.
import { describe, expect, it, vi } from "vitest";
import {
  CONTENT_SECURITY_POLICY,
  applyContentSecurityPolicy,
  developmentContentSecurityPolicy,
  guardNavigation,
  isAppUrl,
  isExternalWebUrl,
  restrictPermissions,
  secureWebPreferences,
  trustedSenderCheck,
  type GuardedContents,
  type HeadersReceivedHook,
  type NavigationEvent,
  type PermissionSession,
} from "./security.js";

const APP = "hearth://app";

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe("secureWebPreferences", () => {
  it("isolates, sandboxes and keeps Node and insecure content out", () => {
    expect(secureWebPreferences("/app/preload.cjs")).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      preload: "/app/preload.cjs",
    });
  });
});

describe("CONTENT_SECURITY_POLICY", () => {
  it("allows only the app itself, data: images, and no plugins, bases, framing or forms", () => {
    expect(Object.fromEntries(directives(CONTENT_SECURITY_POLICY))).toEqual({
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "style-src": ["'self'"],
      "img-src": ["'self'", "data:"],
      "connect-src": ["'self'"],
      "object-src": ["'none'"],
      "base-uri": ["'none'"],
      "frame-ancestors": ["'none'"],
      "form-action": ["'none'"],
    });
  });

  it("has no unsafe keyword and no wildcard", () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|http:|https:/);
  });

  it("loosens only what a development server needs, for that server only", () => {
    const policy = directives(developmentContentSecurityPolicy("http://localhost:5173"));
    expect(policy.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("connect-src")).toEqual(["'self'", "ws://localhost:5173"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(directives(developmentContentSecurityPolicy("https://dev.local:8443")).get("connect-src")).toEqual(["'self'", "wss://dev.local:8443"]);
  });
});

describe("applyContentSecurityPolicy", () => {
  it("replaces the server's policy, whatever its case, and keeps the other headers", () => {
    let listener: Parameters<HeadersReceivedHook["onHeadersReceived"]>[0] | undefined;
    applyContentSecurityPolicy({ onHeadersReceived: (registered) => (listener = registered) }, "default-src 'self'");
    const callback = vi.fn();
    listener!({ responseHeaders: { "content-security-policy": ["default-src *"], "Content-Type": ["text/html"] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { "Content-Type": ["text/html"], "Content-Security-Policy": ["default-src 'self'"] } });
    listener!({}, callback);
    expect(callback).toHaveBeenLastCalledWith({ responseHeaders: { "Content-Security-Policy": ["default-src 'self'"] } });
  });
});

describe("isAppUrl", () => {
  it.each([
    ["hearth://app/index.html", APP, true],
    ["hearth://APP/assets/x.js", APP, true],
    ["hearth://app.evil/index.html", APP, false],
    ["hearth://evil/index.html", APP, false],
    ["hearth://user:pw@app/index.html", APP, false],
    ["https://app/index.html", APP, false],
    ["http://localhost:5173/src/main.tsx", "http://localhost:5173", true],
    ["http://localhost:5174/", "http://localhost:5173", false],
    ["http://localhost:5173@evil.example/", "http://localhost:5173", false],
    ["file:///etc/passwd", "file:///app/index.html", false],
    ["javascript:alert(1)", APP, false],
    ["not a url", APP, false],
    ["hearth://app/", "not an origin", false],
  ])("%s on %s: %s", (url, origin, expected) => {
    expect(isAppUrl(url, origin)).toBe(expected);
  });
});

describe("isExternalWebUrl", () => {
  it("accepts http and https only", () => {
    expect(isExternalWebUrl("https://example.com/a")).toBe(true);
    expect(isExternalWebUrl("http://example.com")).toBe(true);
    for (const url of ["file:///etc/passwd", "smb://host/share", "javascript:alert(1)", "hearth://app/", "mailto:a@b.c", "", "example.com"]) {
      expect(isExternalWebUrl(url), url).toBe(false);
    }
  });
});

/** A fake `WebContents` that records its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, (event: NavigationEvent, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: "deny" }) | undefined;
  const contents: GuardedContents = {
    on: (event, listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => (openHandler = handler),
  };
  const fire = (name: string, url: string, { inEvent = false } = {}) => {
    const event = { preventDefault: vi.fn(), ...(inEvent ? { url } : {}) };
    listeners.get(name)!(event, inEvent ? "ignored://second-argument" : url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, listeners, fire, open: (url: string) => openHandler!({ url }) };
}

describe("guardNavigation", () => {
  it("lets the app navigate within itself", () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(fake.contents, APP, openExternal);
    expect(fake.fire("will-navigate", "hearth://app/index.html#/conversations/1")).toBe(false);
    expect(fake.fire("will-redirect", "hearth://app/other.html")).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it("blocks navigation to the web and opens it in the browser instead", () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(fake.contents, APP, openExternal);
    expect(fake.fire("will-navigate", "https://example.com/page")).toBe(true);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith("https://example.com/page");
  });

  it("reads the URL from the event object (Electron 25+) before the deprecated argument", () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(fake.contents, APP, openExternal);
    expect(fake.fire("will-navigate", "https://example.com/from-event", { inEvent: true })).toBe(true);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith("https://example.com/from-event");
  });

  it("only blocks other schemes: nothing local is opened", () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(fake.contents, APP, openExternal);
    for (const url of ["file:///etc/passwd", "javascript:alert(1)", "smb://host/share", "hearth://elsewhere/x", "data:text/html,<script>1</script>"]) {
      expect(fake.fire("will-navigate", url), url).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it("blocks redirects off the app without opening them", () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(fake.contents, APP, openExternal);
    expect(fake.fire("will-redirect", "https://example.com/")).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it("never attaches a webview", () => {
    const fake = fakeContents();
    guardNavigation(fake.contents, APP, vi.fn());
    expect(fake.fire("will-attach-webview", "hearth://app/")).toBe(true);
  });

  it("denies every new window, opening web ones in the browser", () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(fake.contents, APP, openExternal);
    expect(fake.open("https://example.com/docs")).toEqual({ action: "deny" });
    expect(fake.open("hearth://app/index.html")).toEqual({ action: "deny" });
    expect(fake.open("file:///etc/passwd")).toEqual({ action: "deny" });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith("https://example.com/docs");
  });

  it("reports a failing openExternal instead of leaving a rejection unhandled", async () => {
    const fake = fakeContents();
    const onError = vi.fn();
    guardNavigation(fake.contents, APP, () => Promise.reject(new Error("no browser")), onError);
    fake.open("https://example.com/");
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    const throwing = fakeContents();
    guardNavigation(throwing.contents, APP, () => {
      throw new Error("sync");
    }, onError);
    expect(throwing.fire("will-navigate", "https://example.com/")).toBe(true);
    expect(onError).toHaveBeenCalledTimes(2);
  });
});

describe("trustedSenderCheck", () => {
  it("trusts frames showing the app, and nothing else", () => {
    const trusted = trustedSenderCheck(APP);
    expect(trusted({ url: "hearth://app/index.html" })).toBe(true);
    expect(trusted({ url: "https://example.com/" })).toBe(false);
    expect(trusted({ url: "" })).toBe(false);
    expect(trusted(null)).toBe(false);
  });
});

describe("restrictPermissions", () => {
  function fakeSession() {
    let request: Parameters<PermissionSession["setPermissionRequestHandler"]>[0] | undefined;
    let check: Parameters<PermissionSession["setPermissionCheckHandler"]>[0] | undefined;
    restrictPermissions({ setPermissionRequestHandler: (handler) => (request = handler), setPermissionCheckHandler: (handler) => (check = handler) }, APP);
    const ask = (permission: string, requestingUrl?: string) => {
      let granted: boolean | undefined;
      request!(undefined, permission, (answer) => (granted = answer), requestingUrl === undefined ? {} : { requestingUrl });
      return granted;
    };
    return { ask, check: (permission: string, origin: string) => check!(undefined, permission, origin) };
  }

  it("denies camera, microphone, notifications and the rest", () => {
    const session = fakeSession();
    for (const permission of ["media", "notifications", "geolocation", "openExternal", "clipboard-read", "fullscreen"]) {
      expect(session.ask(permission, "hearth://app/index.html"), permission).toBe(false);
      expect(session.check(permission, "hearth://app"), permission).toBe(false);
    }
  });

  it("lets the app (only) write to the clipboard", () => {
    const session = fakeSession();
    expect(session.ask("clipboard-sanitized-write", "hearth://app/index.html")).toBe(true);
    expect(session.check("clipboard-sanitized-write", "hearth://app")).toBe(true);
    expect(session.ask("clipboard-sanitized-write", "https://example.com/")).toBe(false);
    expect(session.ask("clipboard-sanitized-write")).toBe(false);
    expect(session.check("clipboard-sanitized-write", "https://example.com")).toBe(false);
  });
});
