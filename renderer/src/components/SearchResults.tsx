import { useHearth } from "../store/index.js";
import { formatWhen } from "./format.js";

/** The messages that match the search; choosing one opens its conversation. */
export function SearchResults({ onOpen }: { onOpen: () => void }) {
  const hits = useHearth((state) => state.searchResults);
  const query = useHearth((state) => state.searchQuery);
  const selectConversation = useHearth((state) => state.selectConversation);

  if (hits.length === 0) return <p className="sidebar-empty" role="status">No message matches “{query.trim()}”.</p>;
  return (
    <ul className="search-results" aria-live="polite">
      {hits.map((hit) => (
        <li key={hit.messageId}>
          <button
            type="button"
            className="search-hit"
            data-testid="search-hit"
            onClick={() => {
              void selectConversation(hit.conversationId);
              onOpen();
            }}
          >
            <span className="search-hit-title">{hit.conversationTitle}</span>
            <span className="search-hit-snippet">
              <span className="search-hit-role">{hit.role === "user" ? "You" : "Assistant"}: </span>
              {hit.snippet}
            </span>
            <time className="muted" dateTime={new Date(hit.createdAt).toISOString()}>
              {formatWhen(hit.createdAt)}
            </time>
          </button>
        </li>
      ))}
    </ul>
  );
}
