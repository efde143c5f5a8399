import { useState } from "react";
import type { RawMessage } from "../../../app/contract/chat.js";
import { CopyButton } from "./CopyButton.js";
import { formatDuration, prettyJson } from "./format.js";
import { Icon } from "./Icon.js";
import { Markdown } from "./Markdown.js";

/**
 * A tool call's JSON-RPC messages as they crossed the wire: one block per message with its
 * direction and time since the first, highlighted like code in answers, and a copy of the
 * whole exchange. A disclosure, closed at first; its blocks are drawn only once opened (a
 * long-running call may have hundreds of progress notifications).
 */
export function RawExchange({ exchange }: { exchange: readonly RawMessage[] }) {
  const [open, setOpen] = useState(false);
  const firstAt = exchange[0]?.at ?? 0;
  const count = `${exchange.length} ${exchange.length === 1 ? "message" : "messages"}`;

  return (
    <details className="detail raw-exchange" data-testid="tool-card-raw" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <span className="chevron">
          <Icon name="chevron" />
        </span>
        <h4>JSON-RPC</h4>
        <span className="muted">{count}</span>
      </summary>
      {open ? (
        <>
          <div className="detail-header raw-exchange-actions">
            <span className="muted">As sent and received; strings over 64 Ki characters are cut.</span>
            <CopyButton text={prettyJson(exchange)} label="Copy JSON-RPC messages" />
          </div>
          <ol className="raw-exchange-list">
            {exchange.map((entry, index) => (
              <li key={index} className={`raw-message raw-message-${entry.direction}`} data-testid="raw-message" data-direction={entry.direction}>
                <div className="raw-message-header">
                  <span className="raw-message-direction">{entry.direction === "sent" ? "→ sent" : "← received"}</span>
                  <span className="raw-message-kind">{kindOf(entry.message)}</span>
                  <time className="raw-message-offset" dateTime={new Date(entry.at).toISOString()} title={new Date(entry.at).toLocaleTimeString()}>
                    +{formatDuration(entry.at - firstAt)}
                  </time>
                </div>
                <Markdown text={jsonFence(prettyJson(entry.message))} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </details>
  );
}

/** `tools/call #3`, `notifications/progress`, `result #3`, `error #3`. */
function kindOf(message: Record<string, unknown>): string {
  const id = message.id === undefined ? "" : ` #${String(message.id)}`;
  if (typeof message.method === "string") return `${message.method}${id}`;
  return `${"error" in message ? "error" : "result"}${id}`;
}

/** `json` as a fenced Markdown block, fenced with more backticks than any run inside it. */
function jsonFence(json: string): string {
  const longest = Math.max(0, ...(json.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}json\n${json}\n${fence}`;
}
