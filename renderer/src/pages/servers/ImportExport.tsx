/** Import a Claude Desktop `mcpServers` JSON (pasted or from a file); export the servers as one. */
import { useId, useState } from "react";
import { useHearth } from "../../store/index.js";

export function ImportExport() {
  const [text, setText] = useState("");
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const result = useHearth((state) => state.mcpImportResult);
  const exported = useHearth((state) => state.mcpExportText);
  const importServers = useHearth((state) => state.importServers);
  const exportServers = useHearth((state) => state.exportServers);
  const textId = useId();
  const fileId = useId();

  const chooseFile = async (file: File | undefined) => {
    if (file !== undefined) setText(await file.text());
  };

  const download = () => {
    if (exported === undefined) return;
    const url = URL.createObjectURL(new Blob([exported], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "claude_desktop_config.json";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="servers-columns">
      <section className="servers-card" aria-labelledby="import-title" data-testid="import-section">
        <h2 id="import-title" className="servers-section-title">
          Import
        </h2>
        <p className="muted">
          Paste a Claude Desktop config (its <code>mcpServers</code> object, or the whole file), or choose the file. Nothing is saved when any server in it is invalid.
        </p>
        <label htmlFor={fileId} className="servers-label">
          File
        </label>
        <input id={fileId} type="file" accept=".json,application/json" data-testid="import-file" onChange={(event) => void chooseFile(event.target.files?.[0])} />
        <label htmlFor={textId} className="servers-label">
          JSON
        </label>
        <textarea id={textId} className="input servers-mono servers-textarea" rows={10} spellCheck={false} data-testid="import-text" value={text} placeholder='{"mcpServers": {"files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]}}}' onChange={(event) => setText(event.target.value)} />
        <label className="switch">
          <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
          Replace servers with the same id
        </label>
        <div className="servers-actions">
          <button
            type="button"
            className="button button-primary"
            data-testid="import-servers"
            disabled={busy || text.trim() === ""}
            onClick={() => {
              setBusy(true);
              void importServers(text, replace).finally(() => setBusy(false));
            }}
          >
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
        {result !== undefined ? (
          <div className="servers-import-result" data-testid="import-result" role="status">
            {result.added.length > 0 ? <p data-testid="import-added">Added: {result.added.join(", ")}</p> : null}
            {result.replaced.length > 0 ? <p data-testid="import-replaced">Replaced: {result.replaced.join(", ")}</p> : null}
            {result.skipped.length > 0 ? (
              <div data-testid="import-skipped">
                <p>Skipped:</p>
                <ul>
                  {result.skipped.map((skipped) => (
                    <li key={skipped.id}>
                      <code>{skipped.id}</code>: {skipped.reason}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {result.problems.length > 0 ? (
              <div className="servers-error-text" data-testid="import-problems">
                <p>Nothing was imported:</p>
                <ul>
                  {result.problems.map((problem, index) => (
                    <li key={index}>
                      {problem.path !== "" ? <code>{problem.path}</code> : null} {problem.message}
                      {problem.line !== undefined ? ` (line ${problem.line})` : ""}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {result.added.length + result.replaced.length + result.skipped.length + result.problems.length === 0 ? <p>There were no servers in it.</p> : null}
          </div>
        ) : null}
      </section>

      <section className="servers-card" aria-labelledby="export-title" data-testid="export-section">
        <h2 id="export-title" className="servers-section-title">
          Export
        </h2>
        <p className="muted">The servers as a Claude Desktop <code>mcpServers</code> config. Bearer tokens are left out.</p>
        <div className="servers-actions">
          <button type="button" className="button" data-testid="export-servers" onClick={() => void exportServers()}>
            Export
          </button>
          <button type="button" className="button" data-testid="download-export" disabled={exported === undefined} onClick={download}>
            Download
          </button>
        </div>
        {exported !== undefined ? (
          <textarea className="input servers-mono servers-textarea" rows={12} readOnly aria-label="Exported config" data-testid="export-text" value={exported} />
        ) : null}
      </section>
    </div>
  );
}
