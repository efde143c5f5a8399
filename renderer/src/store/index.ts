/**
 * The page's store: the state of ./store.ts bound to React as `useHearth`, over the bridge
 * client of this page, with the core's events wired in at module level.
 */
import { create } from "zustand";
import { createBridgeClient } from "../bridge/client.js";
import { connectEvents, hearthState } from "./store.js";
import type { HearthState } from "./types.js";

export const client = createBridgeClient();

/** Select single values (`useHearth((state) => state.searchQuery)`), or several with `useShallow`. */
export const useHearth = create<HearthState>()(hearthState(client));

connectEvents(useHearth, client);

export type { HearthState } from "./types.js";
