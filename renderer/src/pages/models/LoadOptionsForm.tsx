import { useId } from "react";
import type { LoadOptions } from "../../store/models-page-slice.js";

/** The load options as the form holds them (numbers as typed). */
export interface LoadOptionsDraft {
  gpuLayers: "auto" | "max" | "number";
  gpuLayersNumber: string;
  contextSize: "auto" | "number";
  contextSizeNumber: string;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptionsDraft = { gpuLayers: "auto", gpuLayersNumber: "0", contextSize: "auto", contextSizeNumber: "4096" };

/** The options to send, or why the draft is not valid. */
export function loadOptionsFrom(draft: LoadOptionsDraft): { ok: true; options: LoadOptions } | { ok: false; error: string } {
  const options: LoadOptions = {};
  if (draft.gpuLayers === "number") {
    const layers = Number(draft.gpuLayersNumber);
    if (!Number.isInteger(layers) || layers < 0 || layers > 10_000) return { ok: false, error: "GPU layers must be a whole number from 0 to 10000" };
    options.gpuLayers = layers;
  } else {
    options.gpuLayers = draft.gpuLayers;
  }
  if (draft.contextSize === "number") {
    const size = Number(draft.contextSizeNumber);
    if (!Number.isInteger(size) || size < 256 || size > 1_048_576) return { ok: false, error: "The context size must be a whole number of tokens from 256 to 1048576" };
    options.contextSize = size;
  } else {
    options.contextSize = "auto";
  }
  return { ok: true, options };
}

/** GPU layers (auto / all / a number) and context size (auto / a number) for the next load. */
export function LoadOptionsForm({ draft, onChange }: { draft: LoadOptionsDraft; onChange(draft: LoadOptionsDraft): void }) {
  const id = useId();
  const checked = loadOptionsFrom(draft);
  return (
    <fieldset className="models-load-options" data-testid="model-load-options">
      <legend className="models-load-options-legend">Load with</legend>
      <div className="models-field">
        <label htmlFor={`${id}-gpu`}>GPU layers</label>
        <div className="models-field-row">
          <select id={`${id}-gpu`} className="input models-select" value={draft.gpuLayers} onChange={(event) => onChange({ ...draft, gpuLayers: gpuLayersChoice(event.target.value) })}>
            <option value="auto">Auto (what fits)</option>
            <option value="max">All (max)</option>
            <option value="number">A number…</option>
          </select>
          {draft.gpuLayers === "number" ? (
            <input
              className="input models-number"
              type="number"
              min={0}
              max={10000}
              aria-label="Number of GPU layers"
              value={draft.gpuLayersNumber}
              onChange={(event) => onChange({ ...draft, gpuLayersNumber: event.target.value })}
            />
          ) : null}
        </div>
      </div>
      <div className="models-field">
        <label htmlFor={`${id}-context`}>Context size</label>
        <div className="models-field-row">
          <select id={`${id}-context`} className="input models-select" value={draft.contextSize} onChange={(event) => onChange({ ...draft, contextSize: event.target.value === "number" ? "number" : "auto" })}>
            <option value="auto">Auto (what fits)</option>
            <option value="number">Tokens…</option>
          </select>
          {draft.contextSize === "number" ? (
            <input
              className="input models-number"
              type="number"
              min={256}
              max={1048576}
              step={256}
              aria-label="Context size in tokens"
              value={draft.contextSizeNumber}
              onChange={(event) => onChange({ ...draft, contextSizeNumber: event.target.value })}
            />
          ) : null}
        </div>
      </div>
      {!checked.ok ? (
        <p className="models-field-error" role="alert">
          {checked.error}
        </p>
      ) : null}
    </fieldset>
  );
}

function gpuLayersChoice(value: string): LoadOptionsDraft["gpuLayers"] {
  return value === "max" || value === "number" ? value : "auto";
}
