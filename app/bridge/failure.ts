/**
 * An error a handler throws on purpose: `code` is stable and crosses the boundary (see
 * `dispatch`); the message is for people. Errors of the store (`StoreError`) and of the
 * MCP client carry codes of their own and cross as they are.
 */
export class BridgeFailure extends Error {
  override readonly name = "BridgeFailure";

  /**
   * @param code - stable: `not_found`, `model_not_found` (`conversations.setModel` with an id
   *   `models.list` does not offer), `busy` (the conversation runs a turn already), `closed`
   *   (disposed). The model host's own failures (`no_model`, …) cross as ModelHostError.
   * @param message - a sentence for people that names what is wrong.
   */
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
