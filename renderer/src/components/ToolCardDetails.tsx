import { useState } from "react";
import type { ToolCard } from "../store/turn-reducer.js";
import { CopyButton } from "./CopyButton.js";
import { prettyJson } from "./format.js";
import { RawExchange } from "./RawExchange.js";
import { resultAsText, ToolResultView } from "./ToolResultView.js";

/**
 * A card's expanded part: the arguments, the result, the call's JSON-RPC messages and the
 * card's record as JSON, each with a copy button.
 */
export function ToolCardDetails({ card }: { card: ToolCard }) {
  const [raw, setRaw] = useState(false);
  const argumentsJson = prettyJson(card.arguments);
  const hasResult = card.result !== undefined || card.error !== undefined;
  const rawJson = prettyJson({
    toolCallId: card.toolCallId,
    name: card.name,
    serverId: card.serverId,
    toolName: card.toolName,
    status: card.status,
    arguments: card.arguments,
    result: card.result,
    error: card.error,
    queuedMs: card.queuedMs,
    durationMs: card.durationMs,
    truncatedChars: card.truncatedChars,
  });

  return (
    <div className="tool-card-details">
      <section className="detail" data-testid="tool-card-arguments" aria-label="Arguments">
        <div className="detail-header">
          <h4>Arguments</h4>
          <CopyButton text={argumentsJson} label="Copy arguments" />
        </div>
        <pre className="code-block">{argumentsJson}</pre>
      </section>
      {hasResult ? (
        <section className="detail" data-testid="tool-card-result" aria-label="Result">
          <div className="detail-header">
            <h4>{card.result?.isError === true || card.result === undefined ? "Error" : "Result"}</h4>
            <CopyButton text={card.result !== undefined ? resultAsText(card.result) : (card.error ?? "")} label="Copy result" />
          </div>
          {card.error !== undefined ? <p className="tool-card-error">{card.error}</p> : null}
          {card.result !== undefined ? <ToolResultView result={card.result} /> : null}
          {card.truncatedChars !== undefined && card.truncatedChars > 0 ? (
            <p className="muted">The model read {card.truncatedChars.toLocaleString()} characters fewer than shown here.</p>
          ) : null}
        </section>
      ) : null}
      {card.exchange !== undefined && card.exchange.length > 0 ? <RawExchange exchange={card.exchange} /> : null}
      <section className="detail" aria-label="Call record">
        <div className="detail-header">
          <button type="button" className="button button-small button-quiet" aria-expanded={raw} data-testid="tool-card-record-toggle" onClick={() => setRaw(!raw)}>
            {raw ? "Hide call record" : "Show call record"}
          </button>
          {raw ? <CopyButton text={rawJson} label="Copy call record" /> : null}
        </div>
        {raw ? (
          <pre className="code-block" data-testid="tool-card-record">
            {rawJson}
          </pre>
        ) : null}
      </section>
    </div>
  );
}
