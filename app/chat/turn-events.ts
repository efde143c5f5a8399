/**
 * Stamps a turn's events with their ids (`<turnId>:<sequence>`), the turn, the
 * conversation and the time, so every front end sees the same ordered record.
 */
import type { TurnEvent } from "../contract/chat.js";

/** A turn event before it is stamped. */
export type TurnEventBody = TurnEvent extends infer Event ? (Event extends TurnEvent ? Omit<Event, "id" | "turnId" | "conversationId" | "at"> : never) : never;

/** Emits stamped events to `listener`; a listener that throws does not stop the turn. */
export function turnEventEmitter(turnId: string, conversationId: string | undefined, listener: ((event: TurnEvent) => void) | undefined) {
  let sequence = 0;
  return (body: TurnEventBody): void => {
    const event = { ...body, id: `${turnId}:${sequence++}`, turnId, at: Date.now(), ...(conversationId === undefined ? {} : { conversationId }) } as TurnEvent;
    try {
      listener?.(event);
    } catch {
      // A front end's failure is its own; the turn and its storage go on.
    }
  };
}
