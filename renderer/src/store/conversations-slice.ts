/** The conversation list, which one is selected, and the search over all messages. */
import type { BridgeClient } from "../bridge/types.js";
import type { ConversationsSlice, SliceCreator } from "./types.js";

/** How many conversations the sidebar lists. */
const CONVERSATION_LIST_LIMIT = 200;

/** The title a conversation gets from its first message: its first line, cut to 60 characters. */
export function titleFromText(text: string): string {
  const line = text.trim().split("\n", 1)[0]?.trim() ?? "";
  return line.length > 60 ? `${line.slice(0, 59)}…` : line || "New conversation";
}

export const createConversationsSlice =
  (client: BridgeClient): SliceCreator<ConversationsSlice> =>
  (set, get) => {
    // Answers that come back out of order must not overwrite newer ones.
    let searchSequence = 0;

    return {
      conversations: [],
      conversationsLoaded: false,
      selectedConversationId: undefined,
      searchQuery: "",
      searchResults: [],

      async loadConversations() {
        try {
          const conversations = await client.invoke("conversations.list", { limit: CONVERSATION_LIST_LIMIT });
          set({ conversations, conversationsLoaded: true });
        } catch (error) {
          get().showError(error);
        }
      },

      async createConversation(title) {
        try {
          const conversation = await client.invoke("conversations.create", title === undefined ? {} : { title });
          set((state) => ({ conversations: [conversation, ...state.conversations.filter((known) => known.id !== conversation.id)] }));
          await get().selectConversation(conversation.id);
          return conversation;
        } catch (error) {
          get().showError(error);
          return undefined;
        }
      },

      async renameConversation(id, title) {
        const trimmed = title.trim();
        if (trimmed === "") return;
        try {
          const renamed = await client.invoke("conversations.rename", { id, title: trimmed.slice(0, 200) });
          set((state) => ({ conversations: state.conversations.map((conversation) => (conversation.id === id ? renamed : conversation)) }));
        } catch (error) {
          get().showError(error);
        }
      },

      async deleteConversation(id) {
        try {
          await client.invoke("conversations.delete", { id });
          forget(id);
        } catch (error) {
          get().showError(error);
        }
      },

      async search(query) {
        const sequence = ++searchSequence;
        set({ searchQuery: query });
        if (query.trim() === "") return set({ searchResults: [] });
        try {
          const hits = await client.invoke("conversations.search", { query: query.trim().slice(0, 1_000), limit: 50 });
          if (sequence === searchSequence) set({ searchResults: hits });
        } catch (error) {
          if (sequence === searchSequence) set({ searchResults: [] });
          get().showError(error);
        }
      },

      async selectConversation(id) {
        if (id === get().selectedConversationId && id !== undefined) return;
        set({ selectedConversationId: id, messages: [], toolCallRecords: [], tools: [] });
        if (id === undefined) return;
        await Promise.all([get().reloadConversation(), get().toolsPanelOpen ? get().loadTools() : undefined]);
      },

      async conversationChanged({ id, deleted }) {
        if (deleted === true) {
          forget(id);
          return;
        }
        const reload = id === get().selectedConversationId ? get().reloadConversation() : undefined;
        await Promise.all([get().loadConversations(), reload]);
      },
    };

    /** Drops a deleted conversation everywhere it shows. */
    function forget(id: string): void {
      const { [id]: _turn, ...turns } = get().turns;
      set((state) => ({
        conversations: state.conversations.filter((conversation) => conversation.id !== id),
        searchResults: state.searchResults.filter((hit) => hit.conversationId !== id),
        turns,
      }));
      if (get().selectedConversationId === id) void get().selectConversation(undefined);
    }
  };
