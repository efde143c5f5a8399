/**
 * Approval rules (a policy for a whole server or one of its tools, kept across
 * conversations) and conversation grants (the tools the user allowed "for this
 * conversation"). The chat loop decides with them; this only stores them.
 */
import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import { ApprovalRuleSchema, toolKey, type ApprovalPolicy, type ApprovalRule } from "../contract/chat.js";
import type { ConversationTable } from "./conversations.js";
import { check, type Clock } from "./values.js";

/** A rule to store: without `toolName` it covers the whole server. */
export interface ApprovalRuleInit {
  serverId: string;
  /** The tool's own name (not the prefixed one). */
  toolName?: string;
  policy: ApprovalPolicy;
}

interface RuleRow {
  server_id: string;
  /** '' for the server-wide rule (see migration 1). */
  tool_name: string;
  policy: ApprovalPolicy;
  created_at: number;
}

const serverWide = "";

const GrantSchema = ApprovalRuleSchema.pick({ serverId: true }).extend({ toolName: z.string().min(1) });

/** Prepared statements over `approval_rules` and `conversation_grants`. */
export class ApprovalTable {
  private readonly rulesStatement: Statement<[], RuleRow>;
  private readonly upsertRuleStatement: Statement<[RuleRow]>;
  private readonly deleteRuleStatement: Statement<[string, string]>;
  private readonly grantsStatement: Statement<[string], { server_id: string; tool_name: string }>;
  private readonly grantStatement: Statement<[string, string, string, number]>;

  constructor(
    database: Database,
    private readonly conversations: ConversationTable,
    private readonly clock: Clock,
  ) {
    this.rulesStatement = database.prepare<[], RuleRow>("SELECT * FROM approval_rules ORDER BY server_id, tool_name");
    this.upsertRuleStatement = database.prepare<[RuleRow]>(
      `INSERT INTO approval_rules (server_id, tool_name, policy, created_at) VALUES (@server_id, @tool_name, @policy, @created_at)
       ON CONFLICT (server_id, tool_name) DO UPDATE SET policy = excluded.policy, created_at = excluded.created_at`,
    );
    this.deleteRuleStatement = database.prepare<[string, string]>(
      "DELETE FROM approval_rules WHERE server_id = ? AND tool_name = ?",
    );
    this.grantsStatement = database.prepare<[string], { server_id: string; tool_name: string }>(
      "SELECT server_id, tool_name FROM conversation_grants WHERE conversation_id = ? ORDER BY created_at, rowid",
    );
    this.grantStatement = database.prepare<[string, string, string, number]>(
      `INSERT INTO conversation_grants (conversation_id, server_id, tool_name, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
  }

  /** Every rule, by server, the server-wide rule before its tools' rules. */
  rules(): ApprovalRule[] {
    return this.rulesStatement.all().map(toRule);
  }

  /**
   * Stores the policy for the server (no `toolName`) or one tool, replacing the one there
   * was; `createdAt` becomes now. `invalid_value` for an empty id or an unknown policy.
   */
  setRule(init: ApprovalRuleInit): ApprovalRule {
    const createdAt = this.clock();
    check(ApprovalRuleSchema, { ...init, createdAt }, "approval rule");
    const row: RuleRow = {
      server_id: init.serverId,
      tool_name: init.toolName ?? serverWide,
      policy: init.policy,
      created_at: createdAt,
    };
    this.upsertRuleStatement.run(row);
    return toRule(row);
  }

  /** Removes the server-wide rule (no `toolName`) or the tool's; false when there was none. */
  removeRule(serverId: string, toolName?: string): boolean {
    return this.deleteRuleStatement.run(serverId, toolName ?? serverWide).changes > 0;
  }

  /** The tools allowed for the rest of the conversation, as `toolKey` values, oldest grant first. */
  grants(conversationId: string): string[] {
    return this.grantsStatement.all(conversationId).map((row) => toolKey(row.server_id, row.tool_name));
  }

  /** Allows the tool for the rest of the conversation (again is a no-op); `not_found` for a missing conversation. */
  grant(conversationId: string, serverId: string, toolName: string): void {
    check(GrantSchema, { serverId, toolName }, "conversation grant");
    this.conversations.require(conversationId);
    this.grantStatement.run(conversationId, serverId, toolName, this.clock());
  }
}

function toRule(row: RuleRow): ApprovalRule {
  return {
    serverId: row.server_id,
    ...(row.tool_name === serverWide ? {} : { toolName: row.tool_name }),
    policy: row.policy,
    createdAt: row.created_at,
  };
}
