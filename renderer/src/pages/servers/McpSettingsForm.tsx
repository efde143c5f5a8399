/** The config's global settings: tool timeout, concurrent calls, auto-registering tools. */
import { useEffect, useId, useMemo, useState } from "react";
import { useHearth } from "../../store/index.js";
import { parseSettings, textOf, type SettingsText } from "./settings-text.js";

export function McpSettingsForm() {
  const settings = useHearth((state) => state.mcpSettings);
  const updateMcpSettings = useHearth((state) => state.updateMcpSettings);
  const [text, setText] = useState<SettingsText | undefined>(settings === undefined ? undefined : textOf(settings));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const timeoutId = useId();
  const concurrentId = useId();

  useEffect(() => {
    if (settings !== undefined) setText((old) => old ?? textOf(settings));
  }, [settings]);

  const parsed = useMemo(() => (text === undefined ? { errors: {} } : parseSettings(text)), [text]);
  if (text === undefined || settings === undefined) return <p className="muted">Loading…</p>;

  const change = (patch: Partial<SettingsText>) => {
    setText({ ...text, ...patch });
    setMessage(undefined);
  };

  return (
    <form
      className="servers-card servers-settings"
      aria-labelledby="settings-title"
      data-testid="mcp-settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (parsed.settings === undefined) return;
        void updateMcpSettings(parsed.settings).then((error) => setMessage(error === undefined ? { ok: true, text: "Saved." } : { ok: false, text: error }));
      }}
    >
      <h2 id="settings-title" className="servers-section-title">
        Settings for all servers
      </h2>
      <div className="servers-field">
        <label htmlFor={timeoutId} className="servers-label">
          Tool timeout (seconds)
        </label>
        <input id={timeoutId} className="input servers-narrow" inputMode="decimal" data-testid="setting-timeout" aria-invalid={parsed.errors.tool_timeout_secs !== undefined} value={text.timeout} onChange={(event) => change({ timeout: event.target.value })} />
        <p className="servers-hint muted">How long one tool call may take; a server may set its own.</p>
        {parsed.errors.tool_timeout_secs !== undefined ? (
          <p className="servers-field-error" data-testid="field-error" data-field="tool_timeout_secs">
            {parsed.errors.tool_timeout_secs}
          </p>
        ) : null}
      </div>
      <div className="servers-field">
        <label htmlFor={concurrentId} className="servers-label">
          Concurrent tool calls
        </label>
        <input id={concurrentId} className="input servers-narrow" inputMode="numeric" data-testid="setting-concurrent" aria-invalid={parsed.errors.max_concurrent_calls !== undefined} value={text.concurrent} onChange={(event) => change({ concurrent: event.target.value })} />
        <p className="servers-hint muted">Calls in flight across all servers; more wait their turn.</p>
        {parsed.errors.max_concurrent_calls !== undefined ? (
          <p className="servers-field-error" data-testid="field-error" data-field="max_concurrent_calls">
            {parsed.errors.max_concurrent_calls}
          </p>
        ) : null}
      </div>
      <label className="switch">
        <input type="checkbox" data-testid="setting-auto-register" checked={text.autoRegister} onChange={(event) => change({ autoRegister: event.target.checked })} />
        Offer every discovered tool to the model (off: none until chosen)
      </label>
      <div className="servers-actions">
        <button type="submit" className="button button-primary" data-testid="save-settings" disabled={parsed.settings === undefined}>
          Save settings
        </button>
        {message !== undefined ? (
          <span className={message.ok ? "servers-ok-text" : "servers-error-text"} role="status">
            {message.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
