import { useState } from "react";
import type { Conversation } from "../../../app/contract/chat.js";
import { useHearth } from "../store/index.js";
import { formatWhen } from "./format.js";
import { Icon } from "./Icon.js";

/** One conversation: open it, rename it inline (F2 or the pencil), delete it after a confirmation. */
export function ConversationItem({ conversation }: { conversation: Conversation }) {
  const selected = useHearth((state) => state.selectedConversationId === conversation.id);
  const running = useHearth((state) => state.turns[conversation.id]?.running === true);
  const selectConversation = useHearth((state) => state.selectConversation);
  const renameConversation = useHearth((state) => state.renameConversation);
  const deleteConversation = useHearth((state) => state.deleteConversation);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(conversation.title);
  const [confirming, setConfirming] = useState(false);

  const startEditing = () => {
    setTitle(conversation.title);
    setEditing(true);
  };
  const finishEditing = (save: boolean) => {
    setEditing(false);
    if (save && title.trim() !== "" && title.trim() !== conversation.title) void renameConversation(conversation.id, title);
  };

  return (
    <li className={selected ? "conversation-item is-selected" : "conversation-item"} data-testid="conversation-item" data-id={conversation.id}>
      {editing ? (
        <input
          className="input conversation-rename"
          aria-label="Conversation title"
          data-testid="conversation-rename"
          value={title}
          maxLength={200}
          autoFocus
          onChange={(event) => setTitle(event.target.value)}
          onBlur={() => finishEditing(true)}
          onKeyDown={(event) => {
            if (event.key === "Enter") finishEditing(true);
            if (event.key === "Escape") {
              event.stopPropagation();
              finishEditing(false);
            }
          }}
        />
      ) : (
        <button
          type="button"
          className="conversation-open"
          aria-current={selected ? "page" : undefined}
          onClick={() => void selectConversation(conversation.id)}
          onDoubleClick={startEditing}
          onKeyDown={(event) => {
            if (event.key === "F2") startEditing();
            if (event.key === "Delete") setConfirming(true);
          }}
        >
          <span className="conversation-title">{conversation.title}</span>
          <span className="conversation-meta">
            {running ? <span className="dot-running" aria-label="Answering" /> : null}
            <time dateTime={new Date(conversation.updatedAt).toISOString()}>{formatWhen(conversation.updatedAt)}</time>
          </span>
        </button>
      )}
      {!editing && !confirming ? (
        <div className="conversation-actions">
          <button type="button" className="icon-button" aria-label={`Rename “${conversation.title}”`} data-testid="rename-conversation" onClick={startEditing}>
            <Icon name="edit" />
          </button>
          <button type="button" className="icon-button" aria-label={`Delete “${conversation.title}”`} data-testid="delete-conversation" onClick={() => setConfirming(true)}>
            <Icon name="trash" />
          </button>
        </div>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm deletion">
          <span>Delete this conversation?</span>
          <button type="button" className="button button-small button-danger" data-testid="confirm-delete" autoFocus onClick={() => void deleteConversation(conversation.id)}>
            Delete
          </button>
          <button type="button" className="button button-small" onClick={() => setConfirming(false)} onKeyDown={(event) => event.key === "Escape" && setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
    </li>
  );
}
