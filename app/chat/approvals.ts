/**
 * Approvals: whether a tool call may run. Each server, or one of its tools, has a policy:
 * ask every time, ask once per conversation, or always allow. Without a stored rule the
 * tool's annotations decide (MCP spec 2025-06-18, "Tool annotations": `readOnlyHint: true`
 * allows; `destructiveHint`, or no annotation at all, asks). The host answers the
 * question (a dialog, a terminal prompt, an option of the HTTP API); with nobody to ask,
 * the call is denied and the model is told.
 */
import type { ApprovalAnswer, ApprovalPolicy, ApprovalRule } from "../contract/chat.js";
import { toolKey } from "../contract/chat.js";

/** A call waiting for the user's decision. */
export interface ApprovalRequest {
  toolCallId: string;
  /** The exposed name the model called. */
  name: string;
  serverId: string;
  /** The tool's own name on its server. */
  toolName: string;
  arguments: Record<string, unknown>;
  /** The policy that made this a question (`ask` or `once`). */
  policy: ApprovalPolicy;
  /** The tool says it may destroy data (`destructiveHint`). */
  destructive: boolean;
  conversationId?: string;
}

/**
 * Asks the user about one call. `signal` aborts when the turn is stopped; the answer is
 * then ignored. Calls of one round may ask at the same time: a UI queues its dialogs.
 */
export type ApprovalAsker = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalAnswer>;

/** Where rules and per-conversation grants live: the {@link ChatStore}, or memory. */
export interface ApprovalRuleStore {
  approvalRules(): ApprovalRule[];
  setApprovalRule(rule: { serverId: string; toolName?: string; policy: ApprovalPolicy }): ApprovalRule;
  conversationGrants(conversationId: string): string[];
  grantForConversation(conversationId: string, serverId: string, toolName: string): void;
}

/** Tool annotations as MCP lists them (all optional hints). */
export interface ToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
}

/** The policy of a tool without a stored rule: read-only tools run, everything else asks. */
export function defaultPolicy(hints: ToolHints | undefined): ApprovalPolicy {
  return hints?.readOnlyHint === true ? "always" : "ask";
}

/** The policy in force: the tool's own rule, else its server's, else {@link defaultPolicy}. */
export function policyFor(rules: readonly ApprovalRule[], serverId: string, toolName: string, hints: ToolHints | undefined): ApprovalPolicy {
  const forTool = rules.find((rule) => rule.serverId === serverId && rule.toolName === toolName);
  const forServer = rules.find((rule) => rule.serverId === serverId && rule.toolName === undefined);
  return (forTool ?? forServer)?.policy ?? defaultPolicy(hints);
}

/**
 * The asker for a fixed setting: `"auto"` allows every call that needs approval, `"deny"`
 * leaves nobody to ask (so they are denied), a function asks.
 */
export function askerFor(setting: "auto" | "deny" | ApprovalAsker): ApprovalAsker | undefined {
  if (setting === "auto") return async () => "allow";
  return setting === "deny" ? undefined : setting;
}

/** Rules kept in memory, for the library API and the one-shot CLI (nothing outlives the process). */
export class MemoryApprovalRules implements ApprovalRuleStore {
  private readonly rules: ApprovalRule[] = [];
  private readonly grants = new Map<string, Set<string>>();

  approvalRules(): ApprovalRule[] {
    return [...this.rules];
  }

  setApprovalRule(rule: { serverId: string; toolName?: string; policy: ApprovalPolicy }): ApprovalRule {
    const stored: ApprovalRule = { ...rule, createdAt: Date.now() };
    const index = this.rules.findIndex((candidate) => candidate.serverId === rule.serverId && candidate.toolName === rule.toolName);
    if (index >= 0) this.rules[index] = stored;
    else this.rules.push(stored);
    return stored;
  }

  conversationGrants(conversationId: string): string[] {
    return [...(this.grants.get(conversationId) ?? [])];
  }

  grantForConversation(conversationId: string, serverId: string, toolName: string): void {
    const grants = this.grants.get(conversationId) ?? new Set<string>();
    grants.add(toolKey(serverId, toolName));
    this.grants.set(conversationId, grants);
  }
}

/** What the gate decided, and who decided it. */
export interface ApprovalDecision {
  allowed: boolean;
  answer: ApprovalAnswer;
  by: "user" | "policy";
}

/** The conversation key for grants when a turn runs outside a stored conversation. */
const NO_CONVERSATION = "";

/** Decides calls under the stored rules, asking the host where the policy says so. */
export class ApprovalGate {
  constructor(
    private readonly rules: ApprovalRuleStore,
    /** Who answers questions; without one, every question is answered `deny`. */
    private readonly ask?: ApprovalAsker,
  ) {}

  /**
   * Decides one call. `onAsk` runs just before the host is asked (the turn emits its
   * `approvalRequested` event there). `allowForConversation` (or any "allow" under the
   * `once` policy) is remembered for the conversation, `allowAlways` as a rule; an asker
   * that fails, or a stop while asking, denies.
   */
  async decide(
    call: Omit<ApprovalRequest, "policy" | "destructive">,
    hints: ToolHints | undefined,
    signal: AbortSignal,
    onAsk: (request: ApprovalRequest) => void,
  ): Promise<ApprovalDecision> {
    const policy = policyFor(this.rules.approvalRules(), call.serverId, call.toolName, hints);
    const conversation = call.conversationId ?? NO_CONVERSATION;
    if (policy === "always") return { allowed: true, answer: "allow", by: "policy" };
    // A grant answers both `once` (its first "allow" made it) and `ask` (the user chose
    // "for this conversation").
    if (this.rules.conversationGrants(conversation).includes(toolKey(call.serverId, call.toolName))) {
      return { allowed: true, answer: "allowForConversation", by: "policy" };
    }
    if (this.ask === undefined) return { allowed: false, answer: "deny", by: "policy" };

    const request: ApprovalRequest = { ...call, policy, destructive: hints?.destructiveHint === true };
    onAsk(request);
    let answer: ApprovalAnswer;
    try {
      answer = await this.ask(request, signal);
    } catch {
      answer = "deny";
    }
    if (signal.aborted) return { allowed: false, answer: "deny", by: "user" };
    if (answer === "allowForConversation" || (answer === "allow" && policy === "once")) this.rules.grantForConversation(conversation, call.serverId, call.toolName);
    if (answer === "allowAlways") this.rules.setApprovalRule({ serverId: call.serverId, toolName: call.toolName, policy: "always" });
    return { allowed: answer !== "deny", answer, by: "user" };
  }
}
