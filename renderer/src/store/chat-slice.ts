/**
 * The open conversation: its stored history, and the turns in flight built from
 * `chat.turnUpdated` events. A finished turn stays on screen until the history that
 * holds it has been reloaded (the core sends `conversations.changed` once it is stored).
 */
import type { TurnEvent } from "../../../app/contract/chat.js";
import { BridgeClientError, type BridgeClient } from "../bridge/types.js";
import { titleFromText } from "./conversations-slice.js";
import { pendingTurn, reduceTurn, type TurnState } from "./turn-reducer.js";
import type { ChatSlice, HearthState, SliceCreator } from "./types.js";

/** What a `chat.turnUpdated` event changes in the store (listeners pass it to `setState`). */
export function withTurnEvent(state: Pick<HearthState, "turns" | "answerStats">, event: TurnEvent): Partial<HearthState> {
  const conversationId = event.conversationId;
  if (conversationId === undefined) return {};
  const turn = reduceTurn(state.turns[conversationId], event);
  const changes: Partial<HearthState> = { turns: { ...state.turns, [conversationId]: turn } };
  if (event.type === "turnFinished" && turn.stats !== undefined) changes.answerStats = { ...state.answerStats, [event.turnId]: turn.stats };
  return changes;
}

/** `turns` without the finished turn of `conversationId` (its messages are in the history now). */
function withoutFinishedTurn(turns: Record<string, TurnState>, conversationId: string): Record<string, TurnState> {
  const turn = turns[conversationId];
  if (turn === undefined || turn.running) return turns;
  const { [conversationId]: _finished, ...rest } = turns;
  return rest;
}

/** Changes the turn of `conversationId`, when there is one. */
function changeTurn(turns: Record<string, TurnState>, conversationId: string, change: (turn: TurnState) => TurnState | undefined): Record<string, TurnState> {
  const turn = turns[conversationId];
  if (turn === undefined) return turns;
  const changed = change(turn);
  if (changed === turn) return turns;
  const { [conversationId]: _old, ...rest } = turns;
  return changed === undefined ? rest : { ...rest, [conversationId]: changed };
}

export const createChatSlice =
  (client: BridgeClient): SliceCreator<ChatSlice> =>
  (set, get) => ({
    messages: [],
    toolCallRecords: [],
    chatLoading: false,
    turns: {},
    answerStats: {},

    async reloadConversation() {
      const id = get().selectedConversationId;
      if (id === undefined) return;
      set({ chatLoading: true });
      try {
        const opened = await client.invoke("conversations.open", { id });
        if (get().selectedConversationId !== id) return;
        set((state) => ({ messages: opened.messages, toolCallRecords: opened.toolCalls, chatLoading: false, turns: withoutFinishedTurn(state.turns, id) }));
      } catch (error) {
        if (get().selectedConversationId === id) set({ chatLoading: false });
        get().showError(error);
      }
    },

    async send(text) {
      const trimmed = text.trim();
      if (trimmed === "") return false;
      let id = get().selectedConversationId;
      if (id === undefined) {
        const created = await get().createConversation(titleFromText(trimmed));
        if (created === undefined) return false;
        id = created.id;
      } else if (get().messages.length === 0) {
        // A conversation made with "New conversation" is named after its first message.
        const conversation = get().conversations.find((known) => known.id === id);
        if (conversation?.title === "New conversation") void get().renameConversation(id, titleFromText(trimmed));
      }
      const conversationId = id;
      if (get().turns[conversationId]?.running === true) return false;
      set((state) => ({ turns: { ...state.turns, [conversationId]: pendingTurn(conversationId, trimmed) }, notice: undefined }));
      try {
        const { turnId } = await client.invoke("chat.send", { conversationId, text: trimmed });
        let stopRequested = false;
        set((state) => ({
          turns: changeTurn(state.turns, conversationId, (turn) => {
            if (turn.turnId !== "" && turn.turnId !== turnId) return turn;
            stopRequested = turn.stopRequested === true;
            return { ...turn, turnId };
          }),
        }));
        // Stop was pressed before the core had named the turn.
        if (stopRequested) await client.invoke("chat.stop", { turnId });
        return true;
      } catch (error) {
        set((state) => ({ turns: changeTurn(state.turns, conversationId, (turn) => (turn.turnId === "" ? undefined : turn)) }));
        get().showError(error);
        return false;
      }
    },

    async stop() {
      const id = get().selectedConversationId;
      const turn = id === undefined ? undefined : get().turns[id];
      if (id === undefined || turn === undefined || !turn.running) return;
      if (turn.turnId === "") {
        set((state) => ({ turns: changeTurn(state.turns, id, (pending) => ({ ...pending, stopRequested: true })) }));
        return;
      }
      try {
        await client.invoke("chat.stop", { turnId: turn.turnId });
      } catch (error) {
        get().showError(error);
      }
    },

    async answerApproval(toolCallId, answer) {
      try {
        const { answered } = await client.invoke("approvals.answer", { toolCallId, answer });
        if (!answered) get().showError(new BridgeClientError("not_waiting", "That tool call is no longer waiting for an answer."));
      } catch (error) {
        get().showError(error);
      }
    },
  });
