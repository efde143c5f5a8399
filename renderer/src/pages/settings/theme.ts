/**
 * Applies the theme setting to the page: `data-theme="light" | "dark"` on <html> for an
 * explicit choice (theme.css and highlight.css give it the colours and `color-scheme`),
 * none for `system` (they follow `prefers-color-scheme`). The last theme is also kept in
 * localStorage, so the next start paints in it before the core has answered.
 */
import type { StoreApi } from "zustand";
import type { HearthState } from "../../store/types.js";
import type { Theme } from "../../store/settings-slice.js";

const STORAGE_KEY = "hearth.theme";

/** Sets `theme` on `root` (default: <html>) and remembers it for the next start. */
function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage can be off (private windows, policies); the core's setting still applies once loaded.
  }
}

/** The theme applied last, or `system`. */
function rememberedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/**
 * Keeps the page's theme on `store`'s setting: applies the remembered theme now, loads the
 * settings whenever the connection opens, and applies each change of the theme. Returns
 * unsubscribe.
 */
export function followTheme(store: StoreApi<HearthState>, apply: (theme: Theme) => void = applyTheme): () => void {
  apply(rememberedTheme());
  if (store.getState().connection === "open") void store.getState().loadSettings();
  return store.subscribe((state, previous) => {
    if (state.connection === "open" && previous.connection !== "open") void state.loadSettings();
    const theme = state.settings?.theme;
    if (theme !== undefined && theme !== previous.settings?.theme) apply(theme);
  });
}
