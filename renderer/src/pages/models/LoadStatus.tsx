import { useShallow } from "zustand/react/shallow";
import { useHearth } from "../../store/index.js";
import { formatBytes, selectLoadProgress } from "../../store/models-page-slice.js";
import { ProgressBar } from "./ProgressBar.js";

const BACKEND_NAMES: Record<string, string> = { cpu: "CPU", cuda: "CUDA", vulkan: "Vulkan", metal: "Metal", remote: "remote provider" };

/** What is in memory: the load's progress, then the backend, GPU layers, VRAM and context; or why it failed. */
export function LoadStatus() {
  const model = useHearth((state) => state.model);
  const loading = useHearth(useShallow(selectLoadProgress));
  const unload = useHearth((state) => state.unloadLocalModel);

  if (loading !== undefined) {
    const name = model?.state === "loading" ? (model.description ?? loading.modelId) : loading.modelId?.replace(/^local:/, "");
    const percent = Math.round(loading.progress * 100);
    return (
      <div className="models-status" data-testid="model-load-status" data-state="loading">
        <div className="models-status-line">
          <span className="pill pill-model-loading">Loading</span>
          <span className="models-status-name">{name}</span>
          <span className="muted">{percent}%</span>
        </div>
        <ProgressBar fraction={loading.progress} label={`Loading ${name ?? "the model"}`} testId="model-load-progress" />
      </div>
    );
  }
  if (model?.state === "loaded") {
    const backend = model.backend ?? "";
    const facts = [
      BACKEND_NAMES[backend] ?? backend,
      model.totalLayers !== undefined ? `${model.gpuLayers ?? 0} of ${model.totalLayers} layers on the GPU` : undefined,
      model.vramBytes !== undefined ? `${formatBytes(model.vramBytes)} VRAM` : undefined,
      model.contextSize !== undefined ? `context ${model.contextSize.toLocaleString("en-US")} tokens` : undefined,
    ].filter((fact): fact is string => fact !== undefined && fact !== "");
    return (
      <div className="models-status" data-testid="model-load-status" data-state="loaded" data-backend={backend}>
        <div className="models-status-line">
          <span className="pill pill-model-loaded">Loaded</span>
          <span className="models-status-name">{model.description}</span>
          {backend !== "remote" ? (
            <button type="button" className="button button-small" onClick={() => void unload()}>
              Unload
            </button>
          ) : null}
        </div>
        {facts.length > 0 ? (
          <ul className="models-status-facts" aria-label="Where it runs">
            {facts.map((fact) => (
              <li key={fact}>{fact}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  if (model?.state === "error") {
    return (
      <div className="models-status" data-testid="model-load-status" data-state="error" role="alert">
        <div className="models-status-line">
          <span className="pill pill-model-error">Failed</span>
          <span className="models-status-name">{model.description}</span>
        </div>
        <p className="models-status-error">{model.error}</p>
      </div>
    );
  }
  return (
    <div className="models-status" data-testid="model-load-status" data-state="none">
      <div className="models-status-line">
        <span className="pill pill-model-none">No model loaded</span>
        <span className="muted">Load one below; a conversation also loads its model when it needs it.</span>
      </div>
    </div>
  );
}
