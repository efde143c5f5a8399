import { useState } from "react";
import type { ApprovalAnswer } from "../../../app/contract/chat.js";
import { useHearth } from "../store/index.js";
import type { ToolCard } from "../store/turn-reducer.js";

const ANSWERS: Array<{ answer: ApprovalAnswer; label: string; testId: string; className: string }> = [
  { answer: "allow", label: "Allow once", testId: "approve-once", className: "button button-primary" },
  { answer: "allowForConversation", label: "Allow for this conversation", testId: "approve-conversation", className: "button" },
  { answer: "allowAlways", label: "Always allow", testId: "approve-always", className: "button" },
  { answer: "deny", label: "Deny", testId: "deny", className: "button button-danger" },
];

/** The question before a tool runs, with its four answers (`approvals.answer`). */
export function ApprovalPrompt({ card }: { card: ToolCard }) {
  const answerApproval = useHearth((state) => state.answerApproval);
  const [answering, setAnswering] = useState(false);
  const tool = card.toolName ?? card.name;

  const answer = (choice: ApprovalAnswer) => {
    setAnswering(true);
    void answerApproval(card.toolCallId, choice).finally(() => setAnswering(false));
  };

  return (
    <div className="approval" role="group" aria-label={`Allow ${tool} to run?`} data-testid="approval">
      <p>
        Allow <strong>{tool}</strong>
        {card.serverId !== undefined ? (
          <>
            {" "}
            from <strong>{card.serverId}</strong>
          </>
        ) : null}{" "}
        to run with these arguments?
        {card.approval?.destructive === true ? <span className="approval-warning"> It may change or delete data.</span> : null}
      </p>
      <div className="approval-buttons">
        {ANSWERS.map(({ answer: choice, label, testId, className }) => (
          <button key={choice} type="button" className={className} data-testid={testId} disabled={answering} onClick={() => answer(choice)}>
            {label}
          </button>
        ))}
      </div>
    </div>
  );
}
