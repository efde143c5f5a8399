import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { useHearth } from "../../store/index.js";
import { formatBytes, selectLoadProgress, selectLoadedModelId, type LoadOptions, type LocalModel } from "../../store/models-page-slice.js";
import { DEFAULT_LOAD_OPTIONS, LoadOptionsForm, loadOptionsFrom, type LoadOptionsDraft } from "./LoadOptionsForm.js";

/** The models folder's files: size, quantisation, context, architecture, status; load, unload, delete (with a confirmation). */
export function LocalModelsTable() {
  const models = useHearth((state) => state.localModels);
  const loaded = useHearth((state) => state.localModelsLoaded);
  const folder = useHearth((state) => state.modelsFolder);
  const [draft, setDraft] = useState<LoadOptionsDraft>(DEFAULT_LOAD_OPTIONS);
  const options = loadOptionsFrom(draft);

  return (
    <>
      <LoadOptionsForm draft={draft} onChange={setDraft} />
      {loaded && models.length === 0 ? (
        <p className="models-empty muted" data-testid="models-empty">
          No models yet{folder !== undefined ? ` in ${folder}` : ""}. Download one below, or copy a GGUF file into that folder.
        </p>
      ) : (
        <div className="models-table-wrap">
          <table className="models-table" data-testid="models-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">Quantisation</th>
                <th scope="col">Context</th>
                <th scope="col">Architecture</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <ModelRow key={model.id} model={model} options={options.ok ? options.options : undefined} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ModelRow({ model, options }: { model: LocalModel; options: LoadOptions | undefined }) {
  const loadedId = useHearth(selectLoadedModelId);
  const loading = useHearth(useShallow(selectLoadProgress));
  const load = useHearth((state) => state.loadLocalModel);
  const unload = useHearth((state) => state.unloadLocalModel);
  const remove = useHearth((state) => state.deleteLocalModel);
  const [confirming, setConfirming] = useState(false);
  const isLoaded = loadedId === model.id;
  const isLoading = loading?.modelId === model.id;
  const ready = model.status === "ready";

  return (
    <tr data-testid="model-row" data-model-id={model.id} data-loaded={isLoaded ? "true" : undefined}>
      <th scope="row" className="models-name">
        <span>{model.fileName}</span>
        {isLoaded ? <span className="pill pill-model-loaded models-loaded-marker">Loaded</span> : null}
      </th>
      <td>{formatBytes(model.sizeBytes)}</td>
      <td>{model.quantization ?? "—"}</td>
      <td>{model.contextLength !== undefined ? model.contextLength.toLocaleString("en-US") : "—"}</td>
      <td>{model.architecture ?? "—"}</td>
      <td>
        {ready ? (
          <span className="muted">{isLoading ? "Loading…" : isLoaded ? "In memory" : "Ready"}</span>
        ) : (
          <span className="pill pill-warning" title={model.error}>
            Unreadable
          </span>
        )}
        {!ready && model.error !== undefined ? <div className="models-row-error">{model.error}</div> : null}
      </td>
      <td className="models-actions">
        {confirming ? (
          <span className="models-confirm" role="group" aria-label={`Delete ${model.fileName}?`}>
            <span>Delete?</span>
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="model-delete-confirm"
              onClick={() => {
                setConfirming(false);
                void remove(model.fileName);
              }}
            >
              Delete
            </button>
            <button type="button" className="button button-small" autoFocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <>
            {isLoaded ? (
              <button type="button" className="button button-small" onClick={() => void unload()} aria-label={`Unload ${model.fileName}`}>
                Unload
              </button>
            ) : null}
            <button
              type="button"
              className={`button button-small${isLoaded ? "" : " button-primary"}`}
              data-testid="model-load"
              disabled={!ready || options === undefined || loading !== undefined}
              aria-label={`${isLoaded ? "Reload" : "Load"} ${model.fileName}`}
              onClick={() => {
                if (options !== undefined) void load(model.id, options);
              }}
            >
              {isLoaded ? "Reload" : "Load"}
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              data-testid="model-delete"
              disabled={isLoaded || isLoading}
              title={isLoaded ? "Unload it before deleting it" : undefined}
              aria-label={`Delete ${model.fileName}`}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
