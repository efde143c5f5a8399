/**
 * The servers page's backend (issue 7) and what the cores need of it at start: resolving
 * `${secret:…}` references before a config reaches the pool, and the login shell's PATH
 * for Process servers of the desktop app.
 */
import { loginShellPath } from "../../mcp/transports/login-shell-path.js";

export { McpConfigEditor, type ConfigSnapshot, type RawConfig } from "./config-editor.js";
export { diagnoseLaunch, resolveCommand, type CommandSearch, type LaunchEnvironment } from "./launch-diagnostics.js";
export { MASK, bearerSecretName, maskSecretsInText, resolveSecrets, secretReference } from "./secrets.js";
export { DISABLED_TOOLS_SETTING, readDisabledTools } from "./server-tools.js";

/**
 * The PATH the desktop app should give Process servers (`McpPoolOptions.processSearchPath`):
 * the login shell's, or undefined when it could not be had (Windows, a failing or slow
 * shell), so servers keep Hearth's own environment. Takes up to about 3 s the first time;
 * start it early and await it before creating the pool.
 */
export async function desktopProcessSearchPath(): Promise<string | undefined> {
  const resolved = await loginShellPath();
  return resolved.source === "login-shell" ? resolved.path : undefined;
}
