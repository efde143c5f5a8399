/** Plain selectors over the store's state; components pass them to `useHearth`. */
import type { Conversation } from "../../../app/contract/chat.js";
import type { TurnState } from "./turn-reducer.js";
import type { HearthState } from "./types.js";

/** The selected conversation's turn (running or just finished), if any. */
export function selectOpenTurn(state: Pick<HearthState, "selectedConversationId" | "turns">): TurnState | undefined {
  return state.selectedConversationId === undefined ? undefined : state.turns[state.selectedConversationId];
}

/** Whether the selected conversation is answering now (the Stop button shows). */
export function selectTurnRunning(state: Pick<HearthState, "selectedConversationId" | "turns">): boolean {
  return selectOpenTurn(state)?.running === true;
}

export function selectSelectedConversation(state: Pick<HearthState, "selectedConversationId" | "conversations">): Conversation | undefined {
  return state.conversations.find((conversation) => conversation.id === state.selectedConversationId);
}

/** Why the chat is empty, most important first; undefined while still loading. */
export type EmptyStateKind = "no-model" | "no-conversation" | "new-conversation";

/** What the empty chat shows (the chat calls it only when it has no rows). */
export function selectEmptyStateKind(state: Pick<HearthState, "model" | "modelChoices" | "modelChoicesLoaded" | "selectedConversationId" | "conversationsLoaded">): EmptyStateKind | undefined {
  // A model is loaded on the first turn that needs it: "no model" means none to choose from.
  const loaded = state.model?.state === "loaded" || state.model?.state === "loading";
  if (!loaded && state.modelChoicesLoaded && state.modelChoices.length === 0) return "no-model";
  if (state.selectedConversationId !== undefined) return "new-conversation";
  return state.conversationsLoaded ? "no-conversation" : undefined;
}

/** Whether to say that no MCP server is configured (only once the list has been loaded). */
export function selectNoServers(state: Pick<HearthState, "servers" | "serversLoaded">): boolean {
  return state.serversLoaded && state.servers.length === 0;
}
