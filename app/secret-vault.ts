/**
 * The OS secret store as the core uses it: in the desktop app main/secrets.ts
 * `SecretStore` (Electron's safeStorage); `hearth serve --ui` has none, and then tokens stay
 * in the config file and API keys in the settings, as the user typed them.
 */
export interface SecretVault {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  status(name: string): Promise<"set" | "not set">;
  delete(name: string): Promise<boolean>;
}
