import { useEffect, useId, useState } from "react";
import { useHearth } from "../../store/index.js";

/** The remote OpenAI-compatible provider: base URL, model, API key (never shown: set / not set), Test and Save. */
export function RemoteProviderForm() {
  const remote = useHearth((state) => state.remote);
  const remoteTest = useHearth((state) => state.remoteTest);
  const save = useHearth((state) => state.saveRemote);
  const removeRemote = useHearth((state) => state.removeRemote);
  const test = useHearth((state) => state.testRemote);
  const id = useId();
  const [baseUrl, setBaseUrl] = useState("");
  const [model, setModel] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [removeKey, setRemoveKey] = useState(false);

  // The form starts from what is saved, and again after each save.
  useEffect(() => {
    setBaseUrl(remote?.baseUrl ?? "");
    setModel(remote?.model ?? "");
    setApiKey("");
    setRemoveKey(false);
  }, [remote]);

  const urlValid = /^https?:\/\/\S+$/i.test(baseUrl.trim());
  const valid = urlValid && model.trim() !== "";
  const keySet = remote?.apiKey === "set";
  const testInput = { baseUrl: baseUrl.trim(), model: model.trim(), ...(apiKey !== "" ? { apiKey } : {}), useSavedKey: apiKey === "" && keySet && !removeKey };

  return (
    <form
      className="models-remote-form"
      data-testid="remote-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid) return;
        void save({ baseUrl: baseUrl.trim(), model: model.trim(), ...(apiKey !== "" ? { apiKey } : removeKey ? { apiKey: null } : {}) });
      }}
    >
      <div className="models-field">
        <label htmlFor={`${id}-url`}>Base URL</label>
        <input id={`${id}-url`} className="input" placeholder="http://127.0.0.1:8080/v1" value={baseUrl} spellCheck={false} onChange={(event) => setBaseUrl(event.target.value)} />
      </div>
      <div className="models-field">
        <label htmlFor={`${id}-model`}>Model name</label>
        <input id={`${id}-model`} className="input" placeholder="qwen3:4b" value={model} spellCheck={false} onChange={(event) => setModel(event.target.value)} />
      </div>
      <div className="models-field">
        <label htmlFor={`${id}-key`}>
          API key{" "}
          <span className={`pill${keySet ? " pill-model-loaded" : ""}`} data-testid="remote-key-status">
            {keySet ? "set" : "not set"}
          </span>
        </label>
        <input
          id={`${id}-key`}
          className="input"
          type="password"
          autoComplete="off"
          placeholder={keySet ? "Leave empty to keep the saved key" : "None"}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
        />
        {keySet ? (
          <label className="models-checkbox">
            <input type="checkbox" checked={removeKey} disabled={apiKey !== ""} onChange={(event) => setRemoveKey(event.target.checked)} /> Remove the saved key
          </label>
        ) : null}
      </div>
      <div className="models-remote-actions">
        <button type="button" className="button" disabled={!valid || remoteTest === "testing"} onClick={() => void test(testInput)}>
          {remoteTest === "testing" ? "Testing…" : "Test"}
        </button>
        <button type="submit" className="button button-primary" disabled={!valid}>
          Save
        </button>
        {remote?.baseUrl !== undefined ? (
          <button type="button" className="button button-quiet" onClick={() => void removeRemote()}>
            Remove provider
          </button>
        ) : null}
      </div>
      {remoteTest !== undefined && remoteTest !== "testing" ? (
        <p className={`models-remote-test ${remoteTest.ok ? "models-remote-test-ok" : "models-remote-test-failed"}`} role="status" data-testid="remote-test-result">
          {remoteTest.ok
            ? `Connected. ${describeModels(remoteTest.models ?? [], model.trim())}`
            : `Failed: ${remoteTest.error ?? "no reason given"}`}
        </p>
      ) : null}
    </form>
  );
}

function describeModels(models: string[], wanted: string): string {
  if (models.length === 0) return "The server lists no models.";
  const shown = models.slice(0, 8).join(", ") + (models.length > 8 ? `, and ${models.length - 8} more` : "");
  return models.includes(wanted) ? `It offers ${wanted} (of ${shown}).` : `It does not list "${wanted}"; it offers ${shown}.`;
}
