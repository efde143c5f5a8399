/**
 * Full-text search over what people and models wrote (user and assistant messages),
 * through the FTS5 index `messages_search` that migration 1's triggers keep in step with
 * `messages`.
 */
import type { Database, Statement } from "better-sqlite3";
import type { StoredMessage } from "../contract/chat.js";
import { countOption } from "./values.js";

/** One message that matches a search. */
export interface SearchHit {
  conversationId: string;
  conversationTitle: string;
  messageId: string;
  role: StoredMessage["role"];
  /** Some words around the match, matches in `[` `]`, cuts marked `…`. */
  snippet: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** Which hits, and how many. */
export interface SearchOptions {
  /** How many hits at most (default 50). */
  limit?: number;
  /** Only this conversation's messages. */
  conversationId?: string;
}

/** How many hits a search returns when no `limit` is given. */
export const defaultSearchLimit = 50;

/** How many words a snippet holds at most (FTS5 allows up to 64). */
const snippetWords = 16;

interface HitRow {
  conversation_id: string;
  conversation_title: string;
  message_id: string;
  role: StoredMessage["role"];
  snippet: string;
  created_at: number;
}

/**
 * The FTS5 query for what a user typed, or undefined when it holds no word. Each word is
 * quoted as an FTS5 string, so no character of the query syntax (`"` `*` `(` `:` `-`,
 * AND, OR, NOT, NEAR) keeps its meaning and none can make the query invalid; the words
 * must all occur; the last matches as a prefix, so results follow the typing ("wea"
 * finds "weather"). Words without a letter or digit are dropped: the tokenizer would
 * drop them anyway, and the prefix belongs on the last real word.
 */
export function searchQuery(text: string): string | undefined {
  const words = text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return undefined;
  return words.map((word, index) => `"${word.replaceAll('"', '""')}"${index === words.length - 1 ? "*" : ""}`).join(" ");
}

/** The prepared search statements. */
export class MessageSearch {
  private readonly everywhereStatement: Statement<[{ query: string; limit: number }], HitRow>;
  private readonly inConversationStatement: Statement<[{ query: string; limit: number; conversation_id: string }], HitRow>;

  constructor(database: Database) {
    const select = (where: string) =>
      `SELECT m.conversation_id, c.title AS conversation_title, m.id AS message_id, m.role,
         snippet(messages_search, 0, '[', ']', '…', ${snippetWords}) AS snippet, m.created_at
       FROM messages_search
       JOIN messages m ON m.row_id = messages_search.rowid
       JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_search MATCH @query ${where}
       ORDER BY bm25(messages_search), m.created_at DESC
       LIMIT @limit`;
    this.everywhereStatement = database.prepare<[{ query: string; limit: number }], HitRow>(select(""));
    this.inConversationStatement = database.prepare<[{ query: string; limit: number; conversation_id: string }], HitRow>(
      select("AND m.conversation_id = @conversation_id"),
    );
  }

  /** Messages matching `text` (see {@link searchQuery}), best match first (BM25); empty when nothing matches. */
  search(text: string, options: SearchOptions = {}): SearchHit[] {
    const limit = countOption(options.limit, defaultSearchLimit, "limit");
    const query = searchQuery(text);
    if (query === undefined || limit === 0) return [];
    const rows =
      options.conversationId === undefined
        ? this.everywhereStatement.all({ query, limit })
        : this.inConversationStatement.all({ query, limit, conversation_id: options.conversationId });
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      conversationTitle: row.conversation_title,
      messageId: row.message_id,
      role: row.role,
      snippet: row.snippet,
      createdAt: row.created_at,
    }));
  }
}
