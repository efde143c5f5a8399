import type { ChatRow } from "../store/chat-rows.js";
import type { AnswerStats } from "../store/turn-reducer.js";
import { formatDuration, formatRate } from "./format.js";
import { Markdown } from "./Markdown.js";
import { ToolCardView } from "./ToolCard.js";

/** One row of the chat: a message, a tool call, or an error of the turn. */
export function MessageRow({ row }: { row: ChatRow }) {
  switch (row.kind) {
    case "user":
      return (
        <div className="row row-user">
          <div className="message message-user" data-testid="message-user">
            <p className="message-plain">{row.text}</p>
          </div>
        </div>
      );
    case "assistant":
      return (
        <div className="row row-assistant">
          <div className="message message-assistant" data-testid="message-assistant" data-streaming={row.streaming ? "true" : undefined} aria-busy={row.streaming}>
            {row.text === "" && row.streaming ? <TypingDots /> : <Markdown text={row.text} />}
            {row.streaming && row.text !== "" ? <span className="caret" aria-hidden="true" /> : null}
            {row.stopped || row.stats !== undefined ? <AnswerFooter stopped={row.stopped} stats={row.stats} /> : null}
          </div>
        </div>
      );
    case "tool":
      return (
        <div className="row row-tool">
          <ToolCardView card={row.card} />
        </div>
      );
    case "error":
      return (
        <div className="row row-assistant">
          <div className="turn-error" role="alert" data-code={row.code}>
            <strong>The answer failed.</strong> {row.message}
          </div>
        </div>
      );
  }
}

function TypingDots() {
  return (
    <span className="typing" role="status" aria-label="Thinking">
      <span />
      <span />
      <span />
    </span>
  );
}

function AnswerFooter({ stopped, stats }: { stopped: boolean; stats: AnswerStats | undefined }) {
  const parts: string[] = [];
  if (stats?.tokensPerSecond !== undefined) parts.push(formatRate(stats.tokensPerSecond));
  if (stats?.timeToFirstTokenMs !== undefined) parts.push(`first token ${formatDuration(stats.timeToFirstTokenMs)}`);
  if (stats !== undefined) parts.push(`${formatDuration(stats.totalMs)} total`);
  return (
    <div className="answer-footer">
      {stopped ? <span className="tag tag-muted">Stopped</span> : null}
      {parts.length > 0 ? (
        <span className="answer-stats" data-testid="answer-stats" aria-label="Answer statistics">
          {parts.join(" · ")}
        </span>
      ) : null}
    </div>
  );
}
