/** mcp-config.json as text: line numbers, Save (refused while invalid), problems that jump to their line. */
import { useEffect, useRef, useState } from "react";
import type { ConfigProblem } from "../../../../app/contract/mcp-channels.js";
import { useHearth } from "../../store/index.js";
import type { RawSaveResult } from "../../store/mcp-page-slice.js";
import { offsetOfLine } from "./offset.js";

export function RawEditor() {
  const savedText = useHearth((state) => state.mcpConfigText);
  const path = useHearth((state) => state.mcpConfigPath);
  const saveConfigText = useHearth((state) => state.saveConfigText);
  const [text, setText] = useState(savedText);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  // This visit's last save (not the store's, which may be from an earlier visit).
  const [result, setResult] = useState<RawSaveResult | undefined>(undefined);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);

  // The file changed elsewhere (the form, an import): show it, unless the user is editing.
  useEffect(() => {
    if (!dirty) setText(savedText);
  }, [savedText, dirty]);

  const lines = text.split("\n").length;

  const jumpTo = (problem: ConfigProblem) => {
    const element = textarea.current;
    if (element === null || problem.line === undefined) return;
    const offset = offsetOfLine(text, problem.line, problem.column);
    element.focus();
    element.setSelectionRange(offset, offset);
    // Scroll the line into view: about one line height per line.
    const lineHeight = parseFloat(getComputedStyle(element).lineHeight) || 18;
    element.scrollTop = Math.max(0, (problem.line - 3) * lineHeight);
  };

  const save = async () => {
    setSaving(true);
    const outcome = await saveConfigText(text);
    setSaving(false);
    setResult(outcome);
    if (outcome.saved) setDirty(false);
  };

  return (
    <section className="servers-card" aria-labelledby="raw-title" data-testid="raw-section">
      <div className="servers-panel-head">
        <h2 id="raw-title" className="servers-section-title">
          mcp-config.json
        </h2>
        <code className="muted servers-path-label" data-testid="config-path">
          {path}
        </code>
      </div>
      <p className="muted">Edit the whole file. It is saved only when it is valid: otherwise the problems are listed below and the file on disk stays as it was. Bearer tokens show masked; leave them as they are to keep them.</p>
      <div className="servers-editor">
        <pre className="servers-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, index) => index + 1).join("\n")}
        </pre>
        <textarea
          ref={textarea}
          className="servers-editor-text"
          aria-label="mcp-config.json text"
          data-testid="raw-editor"
          spellCheck={false}
          wrap="off"
          value={text}
          onScroll={(event) => {
            if (gutter.current !== null) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
          onChange={(event) => {
            setText(event.target.value);
            setDirty(true);
          }}
        />
      </div>
      <div className="servers-actions">
        <button type="button" className="button button-primary" data-testid="save-raw" disabled={saving || !dirty} onClick={() => void save()}>
          {saving ? "Saving…" : "Save file"}
        </button>
        <button
          type="button"
          className="button"
          data-testid="revert-raw"
          disabled={!dirty}
          onClick={() => {
            setText(savedText);
            setDirty(false);
          }}
        >
          Revert
        </button>
        {result?.saved === true && !dirty ? (
          <span className="servers-ok-text" data-testid="raw-saved" role="status">
            Saved.
          </span>
        ) : null}
      </div>
      {result !== undefined && !result.saved ? (
        <div className="servers-problems" role="alert" data-testid="raw-problems">
          <p className="servers-error-text">Not saved: {result.error ?? "the file on disk is unchanged until these are fixed."}</p>
          <ul>
            {result.problems.map((problem, index) => (
              <li key={index}>
                <button type="button" className="servers-problem" data-testid="raw-problem" data-line={problem.line} onClick={() => jumpTo(problem)}>
                  {problem.line !== undefined ? <span className="servers-problem-line">Line {problem.line}{problem.column !== undefined ? `:${problem.column}` : ""}</span> : null}
                  {problem.path !== "" ? <code>{problem.path}</code> : null}
                  <span>{problem.message}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
