import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useHearth } from "../store/index.js";
import { selectTurnRunning } from "../store/selectors.js";
import { Icon } from "./Icon.js";

/** Where the user writes: Enter sends, Shift+Enter starts a new line, Esc stops the answer. */
export function Composer() {
  const running = useHearth(selectTurnRunning);
  const conversationId = useHearth((state) => state.selectedConversationId);
  const send = useHearth((state) => state.send);
  const stop = useHearth((state) => state.stop);
  const [draft, setDraft] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, [conversationId]);

  // Esc stops the answer from anywhere but a field that uses Esc itself.
  useEffect(() => {
    if (!running) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== "Escape" || event.defaultPrevented || target?.closest("input, textarea, select") != null) return;
      void stop();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [running, stop]);

  const submit = () => {
    const text = draft;
    if (text.trim() === "" || running) return;
    setDraft("");
    void send(text).then((started) => {
      // Not sent (no model, say): give the text back unless something new was typed.
      if (!started) setDraft((current) => (current === "" ? text : current));
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape" && running) {
      event.preventDefault();
      void stop();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Send a message">
      <textarea
        ref={input}
        className="composer-input"
        data-testid="composer"
        aria-label="Message"
        aria-keyshortcuts="Enter Shift+Enter Escape"
        placeholder="Message Hearth — Enter sends, Shift+Enter for a new line"
        rows={1}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {running ? (
        <button type="button" className="button button-danger composer-button" data-testid="stop" aria-keyshortcuts="Escape" onClick={() => void stop()}>
          <Icon name="stop" />
          Stop
        </button>
      ) : (
        <button type="submit" className="button button-primary composer-button" data-testid="send" disabled={draft.trim() === ""}>
          <Icon name="send" />
          Send
        </button>
      )}
    </form>
  );
}
