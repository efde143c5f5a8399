import { useHearth } from "../store/index.js";
import { choiceLabel, defaultChoiceLabel, selectChooseModel, selectModelChoices } from "../store/models-slice.js";
import { selectSelectedConversation } from "../store/selectors.js";

/**
 * Which model the open conversation runs on: "Default (…)" or one of `models.list`.
 * Choosing calls `conversations.setModel`; the next turn loads it. Hidden while the core
 * offers no model (the model status says so), disabled while no conversation is open.
 */
export function ModelPicker() {
  const conversationId = useHearth((state) => state.selectedConversationId);
  const chosen = useHearth((state) => selectSelectedConversation(state)?.modelId);
  const choices = useHearth(selectModelChoices);
  const chooseModel = useHearth(selectChooseModel);
  if (choices.length === 0) return null;

  const value = chosen ?? "";
  // A chosen model that is gone (its file deleted) still shows, so the choice is not silently lost.
  const missing = chosen !== undefined && !choices.some((choice) => choice.id === chosen);
  return (
    <label className="model-picker" title={conversationId === undefined ? "Open a conversation to choose its model" : "The model this conversation runs on"}>
      <span className="model-picker-label">Model</span>
      <select
        className="select"
        data-testid="model-picker"
        value={value}
        disabled={conversationId === undefined}
        onChange={(event) => {
          if (conversationId !== undefined) void chooseModel(conversationId, event.target.value === "" ? null : event.target.value);
        }}
      >
        <option value="">{defaultChoiceLabel(choices)}</option>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choiceLabel(choice)}
          </option>
        ))}
        {missing ? <option value={chosen}>{`${chosen} (not available)`}</option> : null}
      </select>
    </label>
  );
}
