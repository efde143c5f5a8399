import { useHearth } from "../store/index.js";
import type { Page } from "../store/types.js";
import { Icon, type IconName } from "./Icon.js";

const PAGES: ReadonlyArray<{ page: Page; label: string; icon: IconName }> = [
  { page: "chat", label: "Chat", icon: "chat" },
  { page: "servers", label: "MCP servers", icon: "tools" },
  { page: "models", label: "Models", icon: "model" },
  { page: "settings", label: "Settings", icon: "settings" },
];

/** The pages of the window, as a vertical rail of labelled buttons. */
export function NavRail() {
  const page = useHearth((state) => state.page);
  const showPage = useHearth((state) => state.showPage);
  return (
    <nav className="nav-rail" aria-label="Pages">
      {PAGES.map((entry) => (
        <button
          key={entry.page}
          type="button"
          className="nav-rail-button"
          aria-current={page === entry.page ? "page" : undefined}
          data-testid={`nav-${entry.page}`}
          onClick={() => showPage(entry.page)}
        >
          <Icon name={entry.icon} />
          <span className="nav-rail-label">{entry.label}</span>
        </button>
      ))}
    </nav>
  );
}
