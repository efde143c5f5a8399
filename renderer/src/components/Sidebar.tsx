import { useEffect, useState } from "react";
import { useHearth } from "../store/index.js";
import { ConversationItem } from "./ConversationItem.js";
import { Icon } from "./Icon.js";
import { SearchResults } from "./SearchResults.js";

/** The conversation list: new, search, and each conversation with rename and delete. */
export function Sidebar() {
  const conversations = useHearth((state) => state.conversations);
  const conversationsLoaded = useHearth((state) => state.conversationsLoaded);
  const createConversation = useHearth((state) => state.createConversation);
  const search = useHearth((state) => state.search);
  const searchQuery = useHearth((state) => state.searchQuery);
  const [query, setQuery] = useState(searchQuery);

  // Search once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => void search(query), 200);
    return () => clearTimeout(timer);
  }, [query, search]);

  const searching = query.trim() !== "";

  return (
    <aside className="sidebar" aria-label="Conversations">
      <div className="sidebar-header">
        <span className="brand">Hearth</span>
        <button type="button" className="button button-primary" data-testid="new-conversation" onClick={() => void createConversation()}>
          <Icon name="plus" />
          New conversation
        </button>
      </div>
      <div className="search-box">
        <Icon name="search" />
        <input
          type="search"
          className="input"
          placeholder="Search messages"
          aria-label="Search messages"
          data-testid="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape" && query !== "") {
              event.stopPropagation();
              setQuery("");
            }
          }}
        />
      </div>
      <nav className="sidebar-list" aria-label={searching ? "Search results" : "Conversation list"}>
        {searching ? (
          <SearchResults onOpen={() => setQuery("")} />
        ) : conversationsLoaded && conversations.length === 0 ? (
          <p className="sidebar-empty">No conversation yet.</p>
        ) : (
          <ul className="conversation-list">
            {conversations.map((conversation) => (
              <ConversationItem key={conversation.id} conversation={conversation} />
            ))}
          </ul>
        )}
      </nav>
    </aside>
  );
}
