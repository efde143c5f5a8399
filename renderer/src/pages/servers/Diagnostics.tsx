/** How a Process server is launched, and what "Test connection" found. */
import type { LaunchDiagnostics, ServerTest } from "../../../../app/contract/mcp-channels.js";

/** Command, args, folder and the PATH folders searched, with the one-sentence message. */
export function LaunchDiagnosticsView({ diagnostics, showMessage = true }: { diagnostics: LaunchDiagnostics; showMessage?: boolean }) {
  return (
    <div className="servers-diagnostics" data-testid="launch-diagnostics">
      {showMessage ? (
        <p className={diagnostics.resolved === undefined ? "servers-error-text" : undefined} data-testid="launch-message">
          {diagnostics.message}
        </p>
      ) : null}
      <dl className="servers-facts">
        <dt>Command</dt>
        <dd>
          <code>{diagnostics.command}</code>
          {diagnostics.resolved !== undefined ? (
            <>
              {" "}
              → <code>{diagnostics.resolved}</code>
            </>
          ) : (
            <span className="muted"> (not found)</span>
          )}
        </dd>
        <dt>Arguments</dt>
        <dd>{diagnostics.args.length === 0 ? <span className="muted">none</span> : diagnostics.args.map((arg, index) => <code key={index} className="servers-arg">{arg}</code>)}</dd>
        <dt>Working folder</dt>
        <dd>
          <code>{diagnostics.workDir}</code>
        </dd>
        <dt>PATH searched</dt>
        <dd>
          <span className="muted">{diagnostics.pathSource === "login-shell" ? "from your login shell" : "Hearth's own environment"}</span>
          <ol className="servers-path" data-testid="launch-path">
            {diagnostics.path.map((folder, index) => (
              <li key={index}>
                <code>{folder}</code>
              </li>
            ))}
          </ol>
        </dd>
      </dl>
    </div>
  );
}

/** The tools found, or the error with the server's stderr and its launch diagnostics. */
export function ServerTestView({ result }: { result: ServerTest }) {
  if (result.ok) {
    return (
      <div className="servers-test servers-test-ok" data-testid="test-result" data-ok="true" role="status">
        <p>
          Connected: {result.tools.length} {result.tools.length === 1 ? "tool" : "tools"}.
        </p>
        <ul className="servers-test-tools">
          {result.tools.map((tool) => (
            <li key={tool.name} data-testid="test-tool">
              <code>{tool.name}</code>
              {tool.description !== undefined ? <span className="muted"> — {tool.description}</span> : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="servers-test servers-test-failed" data-testid="test-result" data-ok="false" role="alert">
      <p className="servers-error-text">{result.error}</p>
      {result.stderr.length > 0 ? (
        <details open>
          <summary>What it wrote to stderr</summary>
          <pre className="servers-pre" data-testid="test-stderr">
            {result.stderr.join("\n")}
          </pre>
        </details>
      ) : null}
      {result.launch !== undefined ? <LaunchDiagnosticsView diagnostics={result.launch} /> : null}
    </div>
  );
}
