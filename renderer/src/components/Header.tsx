import { useShallow } from "zustand/react/shallow";
import { useHearth } from "../store/index.js";
import { selectSelectedConversation } from "../store/selectors.js";
import { Icon } from "./Icon.js";
import { ModelPicker } from "./ModelPicker.js";

const MODEL_LABELS = { none: "No model", loading: "Loading model…", loaded: "Model ready", error: "Model failed" } as const;

/** The open conversation's title and model picker, the model and servers at a glance, and the tools panel switch. */
export function Header() {
  const title = useHearth((state) => selectSelectedConversation(state)?.title);
  const model = useHearth((state) => state.model);
  const [running, total, failed] = useHearth(
    useShallow((state) => [
      state.servers.filter((server) => server.status === "running").length,
      state.servers.filter((server) => server.enabled).length,
      state.servers.filter((server) => server.status === "error").length,
    ]),
  );
  const toolsPanelOpen = useHearth((state) => state.toolsPanelOpen);
  const setToolsPanelOpen = useHearth((state) => state.setToolsPanelOpen);

  return (
    <header className="main-header">
      <h1 className="main-title">{title ?? "Hearth"}</h1>
      <div className="header-status">
        <ModelPicker />
        {model !== undefined ? (
          <span className={`pill pill-model-${model.state}`} data-testid="model-status" title={model.error ?? model.description}>
            {model.state === "loaded" && model.description !== undefined ? model.description : MODEL_LABELS[model.state]}
          </span>
        ) : null}
        <span className={failed > 0 ? "pill pill-warning" : "pill"} data-testid="server-status">
          {total === 0 ? "No MCP servers" : `${running}/${total} servers running`}
        </span>
        <button type="button" className="button button-small" aria-pressed={toolsPanelOpen} aria-controls="tools-panel" data-testid="tools-toggle" onClick={() => setToolsPanelOpen(!toolsPanelOpen)}>
          <Icon name="tools" />
          Tools
        </button>
      </div>
    </header>
  );
}
