/**
 * A forced function call (`toolChoice: "required"` or `{ name }`) on a local model. The
 * chat wrapper is wrapped so that, while forcing is on, node-llama-cpp starts the
 * response "initially engaged" in a function call: it writes the wrapper's call prefix
 * itself, then its grammar makes the model write a function name and arguments that fit
 * the offered schemas. That is the text the wrapper renders for the call in the next
 * round's history, so the KV cache stays valid across the round.
 */
import { type ChatWrapper, type ChatWrapperGeneratedInitiallyEngagedFunctionsContextState } from "node-llama-cpp";

/** The wrapper to give `LlamaChat`, and the switch that forces the next response to be a call. */
export interface ForcedCallWrapper {
  /** The wrapper as given. */
  inner: ChatWrapper;
  /** What `LlamaChat` gets. */
  wrapper: ChatWrapper;
  /** Forces (true) or frees (false) the responses generated from now on. */
  setForcing(forcing: boolean): void;
}

/** Wraps `inner`; everything but `generateContextState` is `inner`'s own. */
export function forcedCallWrapper(inner: ChatWrapper): ForcedCallWrapper {
  let forcing = false;
  const generateContextState: ChatWrapper["generateContextState"] = (options) => {
    const state = inner.generateContextState(options);
    if (!forcing || options.availableFunctions === undefined) return state;
    // Prefix triggers and rerendering are for a free response; a forced one has neither.
    const forced: ChatWrapperGeneratedInitiallyEngagedFunctionsContextState = {
      contextText: state.contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
    };
    return forced;
  };
  const wrapper = new Proxy(inner, {
    get(target, property) {
      if (property === "generateContextState") return generateContextState;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { inner, wrapper, setForcing: (value) => (forcing = value) };
}
