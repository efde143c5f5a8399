import { useHearth } from "../store/index.js";
import { selectEmptyStateKind, selectNoServers } from "../store/selectors.js";

/** What the chat shows before there is anything in it: no model, no conversation, or a fresh one. */
export function EmptyState() {
  const kind = useHearth(selectEmptyStateKind);
  const noServers = useHearth(selectNoServers);
  const modelError = useHearth((state) => state.model?.error);
  const hasConversations = useHearth((state) => state.conversations.length > 0);
  const createConversation = useHearth((state) => state.createConversation);
  if (kind === undefined) return null;

  return (
    <div className="empty-state" data-testid="empty-state" data-kind={kind}>
      {kind === "no-model" ? (
        <>
          <h2>No model loaded</h2>
          <p>
            Start Hearth with a model: <code>hearth serve --model FILE --ui</code>
          </p>
          {modelError !== undefined ? <p className="empty-state-error">{modelError}</p> : null}
        </>
      ) : kind === "no-conversation" ? (
        <>
          <h2>{hasConversations ? "Pick a conversation" : "No conversation yet"}</h2>
          <p>{hasConversations ? "Choose one on the left, or start a new one." : "Start one and ask your model anything."}</p>
          <button type="button" className="button button-primary" onClick={() => void createConversation()}>
            Start a conversation
          </button>
        </>
      ) : (
        <>
          <h2>Ask anything</h2>
          <p>Type below; the model may call the tools of your MCP servers, and asks before running one that changes things.</p>
        </>
      )}
      {noServers ? (
        <p className="empty-state-hint" data-kind="no-server">
          No MCP server yet: start Hearth with <code>--mcp-config FILE</code> to give the model tools.
        </p>
      ) : null}
    </div>
  );
}
