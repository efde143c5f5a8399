/**
 * The models a conversation can run on (`models.list`, listed again on every
 * `model.statusChanged`), and choosing one for a conversation (`conversations.setModel`).
 */
import type { BridgeClient } from "../bridge/types.js";
import type { HearthState, ModelChoice, ModelsSlice, SliceCreator } from "./types.js";

/** The slice's creator over `client`. */
export const createModelsSlice =
  (client: BridgeClient): SliceCreator<ModelsSlice> =>
  (set, get) => {
    // Answers that come back out of order must not overwrite newer ones.
    let listSequence = 0;

    return {
      modelChoices: [],
      modelChoicesLoaded: false,

      async loadModelChoices() {
        const sequence = ++listSequence;
        try {
          const modelChoices = await client.invoke("models.list", {});
          if (sequence === listSequence) set({ modelChoices, modelChoicesLoaded: true });
        } catch (error) {
          get().showError(error);
        }
      },

      async chooseModel(conversationId, modelId) {
        try {
          const updated = await client.invoke("conversations.setModel", { id: conversationId, modelId });
          set((state) => ({ conversations: state.conversations.map((conversation) => (conversation.id === updated.id ? updated : conversation)) }));
        } catch (error) {
          get().showError(error);
        }
      },
    };
  };

/** The models on offer (a stable array until they change). */
export function selectModelChoices(state: HearthState): ModelChoice[] {
  return state.modelChoices;
}

/** The action of {@link ModelsSlice.chooseModel}. */
export function selectChooseModel(state: HearthState): ModelsSlice["chooseModel"] {
  return state.chooseModel;
}

/** What the picker's first option says: `Default (first.gguf)`, or `Default (none)`. */
export function defaultChoiceLabel(choices: readonly ModelChoice[]): string {
  const choice = choices.find((candidate) => candidate.isDefault);
  return `Default (${choice?.label ?? "none"})`;
}

/** One option's text: its label, with ` · loaded` for the model in memory. */
export function choiceLabel(choice: ModelChoice): string {
  return choice.loaded ? `${choice.label} · loaded` : choice.label;
}
