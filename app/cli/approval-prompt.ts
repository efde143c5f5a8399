/**
 * Asking about a tool call on the terminal: `hearth chat --approve ask`. Questions are
 * asked one at a time even when the model's calls run together.
 */
import { createInterface } from "node:readline/promises";
import type { ApprovalAnswer } from "../contract/chat.js";
import type { ApprovalAsker, ApprovalRequest } from "../chat/approvals.js";

const ANSWERS: Record<string, ApprovalAnswer> = {
  y: "allow",
  yes: "allow",
  c: "allowForConversation",
  a: "allowAlways",
  always: "allowAlways",
  n: "deny",
  no: "deny",
  "": "deny",
};

/** The question's text, one line: what runs where with which arguments. */
export function approvalQuestion(request: ApprovalRequest): string {
  const warning = request.destructive ? " (the server says it may change or delete data)" : "";
  return `Allow ${request.toolName} on ${request.serverId}${warning} with ${JSON.stringify(request.arguments)}? [y]es, [n]o, for this [c]onversation, [a]lways: `;
}

/** An asker on `input`/`output` (default the process's stdin and stderr); an unknown answer is asked again, end of input denies. */
export function terminalAsker(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): ApprovalAsker {
  let queue: Promise<unknown> = Promise.resolve();
  const askOne = async (request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> => {
    const lines = createInterface({ input, output, terminal: false });
    // A question pending when the input ends never settles by itself.
    const ended = new Promise<undefined>((resolve) => lines.once("close", () => resolve(undefined)));
    try {
      for (;;) {
        const reply = await Promise.race([lines.question(approvalQuestion(request), { signal }).catch(() => undefined), ended]);
        if (reply === undefined) return "deny";
        const answer = ANSWERS[reply.trim().toLowerCase()];
        if (answer !== undefined) return answer;
      }
    } finally {
      lines.close();
    }
  };
  return (request, signal) => {
    const answer = queue.then(() => askOne(request, signal));
    queue = answer.catch(() => undefined);
    return answer;
  };
}
