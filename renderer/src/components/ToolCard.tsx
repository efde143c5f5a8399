import { useId, useState } from "react";
import type { ToolCard } from "../store/turn-reducer.js";
import { ApprovalPrompt } from "./ApprovalPrompt.js";
import { formatDuration, STATUS_LABELS } from "./format.js";
import { Icon } from "./Icon.js";
import { ToolCardDetails } from "./ToolCardDetails.js";

/**
 * A tool call inline in the conversation: name, server, status, timings, progress, the
 * approval question when it waits for one, and (expanded) its arguments and result.
 * A call waiting for approval opens by itself: the user should see what they allow.
 */
export function ToolCardView({ card }: { card: ToolCard }) {
  const [toggled, setToggled] = useState<boolean | undefined>(undefined);
  const expanded = toggled ?? card.status === "waiting-for-approval";
  const detailsId = useId();
  const timings: string[] = [];
  if (card.queuedMs !== undefined && card.queuedMs > 0) timings.push(`queued ${formatDuration(card.queuedMs)}`);
  if (card.durationMs !== undefined) timings.push(formatDuration(card.durationMs));

  return (
    <article className={`tool-card status-${card.status}`} data-testid="tool-card" data-status={card.status} data-tool-call-id={card.toolCallId} aria-label={`Tool call ${card.toolName ?? card.name}`}>
      <button type="button" className="tool-card-header" aria-expanded={expanded} aria-controls={detailsId} data-testid="tool-card-toggle" onClick={() => setToggled(!expanded)}>
        <span className={expanded ? "chevron is-open" : "chevron"}>
          <Icon name="chevron" />
        </span>
        <span className="tool-card-name">{card.toolName ?? card.name}</span>
        {card.serverId !== undefined ? <span className="tool-card-server">{card.serverId}</span> : null}
        <span className={`badge badge-${card.status}`} data-testid="tool-card-status">
          {STATUS_LABELS[card.status]}
        </span>
        {timings.length > 0 ? <span className="tool-card-timings">{timings.join(" · ")}</span> : null}
      </button>
      {card.progress !== undefined && card.status === "running" ? <ProgressBar progress={card.progress} /> : null}
      {card.status === "waiting-for-approval" && card.approval !== undefined ? <ApprovalPrompt card={card} /> : null}
      {card.error !== undefined && !expanded ? <p className="tool-card-error">{card.error}</p> : null}
      {expanded ? (
        <div id={detailsId}>
          <ToolCardDetails card={card} />
        </div>
      ) : null}
    </article>
  );
}

function ProgressBar({ progress }: { progress: NonNullable<ToolCard["progress"]> }) {
  const { total } = progress;
  const label = total !== undefined ? `${progress.progress} of ${total}` : `${progress.progress}`;
  return (
    <div className="tool-card-progress">
      {total !== undefined && total > 0 ? (
        <progress max={total} value={Math.min(progress.progress, total)} aria-label="Progress" />
      ) : (
        <progress aria-label="Progress" />
      )}
      <span className="muted">{progress.message !== undefined ? `${progress.message} (${label})` : label}</span>
    </div>
  );
}
