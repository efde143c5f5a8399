/** The configured servers, each with its live status, switch, restart, remove, tools, diagnostics and log. */
import { useEffect, useState } from "react";
import type { ServerSummary } from "../../../../app/contract/channels.js";
import type { ServerEntry } from "../../../../app/contract/mcp-channels.js";
import { useHearth } from "../../store/index.js";
import { LaunchDiagnosticsView } from "./Diagnostics.js";
import { ServerTools } from "./ServerTools.js";

type ServerStatus = ServerSummary["status"];

const STATUS_LABEL: Record<ServerStatus, string> = { starting: "Starting", running: "Running", error: "Error", stopped: "Stopped", disabled: "Disabled" };

/** The status to show: the live one when the core reports it, else what the config implies. */
function statusOf(entry: ServerEntry, summary: ServerSummary | undefined): ServerStatus {
  if (summary !== undefined) return summary.status;
  return entry.definition.enabled === false ? "disabled" : "stopped";
}

export function ServerList({ onAdd, onEdit }: { onAdd(): void; onEdit(entry: ServerEntry): void }) {
  const entries = useHearth((state) => state.mcpEntries);
  const servers = useHearth((state) => state.servers);

  if (entries.length === 0) {
    return (
      <div className="servers-empty" data-testid="servers-empty">
        <h2 className="servers-section-title">No MCP servers yet</h2>
        <p className="muted">Servers give the model tools: files, the web, your own scripts. Add one, or import the servers of a Claude Desktop config.</p>
        <button type="button" className="button button-primary" data-testid="add-server-empty" onClick={onAdd}>
          Add server
        </button>
      </div>
    );
  }
  return (
    <ul className="servers-list" aria-label="MCP servers">
      {entries.map((entry) => (
        <ServerRow key={entry.definition.id} entry={entry} summary={servers.find((server) => server.id === entry.definition.id)} onEdit={() => onEdit(entry)} />
      ))}
    </ul>
  );
}

type Panel = "tools" | "diagnostics" | "log" | undefined;

function ServerRow({ entry, summary, onEdit }: { entry: ServerEntry; summary: ServerSummary | undefined; onEdit(): void }) {
  const definition = entry.definition;
  const id = definition.id;
  const name = definition.name ?? id;
  const status = statusOf(entry, summary);
  // The switch moves at once; the config catches up when the core answers.
  const [pendingEnabled, setPendingEnabled] = useState<boolean | undefined>(undefined);
  const enabled = pendingEnabled ?? definition.enabled !== false;
  const [panel, setPanel] = useState<Panel>(undefined);
  const [confirming, setConfirming] = useState(false);
  const setServerEnabled = useHearth((state) => state.setServerEnabled);
  const restartServer = useHearth((state) => state.restartServer);
  const removeServer = useHearth((state) => state.removeServer);
  const diagnoseServer = useHearth((state) => state.diagnoseServer);
  const loadServerLog = useHearth((state) => state.loadServerLog);
  const diagnostics = useHearth((state) => state.mcpDiagnostics[id]);
  const log = useHearth((state) => state.mcpLogs[id]);
  const source = definition.source;
  const where = source.type === "Process" ? [source.command, ...(source.args ?? [])].join(" ") : source.url;

  // A Process server in error: find out at once whether its command was found, and if not, show where it was looked for.
  const failedProcess = status === "error" && source.type === "Process";
  useEffect(() => {
    if (failedProcess) void diagnoseServer(id);
  }, [failedProcess, id, summary?.error, diagnoseServer]);

  const open = (next: Panel) => {
    setPanel(panel === next ? undefined : next);
    if (panel !== next && next === "diagnostics") void diagnoseServer(id);
    if (panel !== next && next === "log") void loadServerLog(id);
  };

  return (
    <li className="servers-item" data-testid="server-row" data-server-id={id} data-status={status}>
      <div className="servers-item-head">
        <span className={`servers-light servers-light-${status}`} data-testid="status-light" role="img" aria-label={STATUS_LABEL[status]} title={STATUS_LABEL[status]} />
        <div className="servers-item-title">
          <span className="servers-item-name">{name}</span>
          <span className="muted servers-item-where" title={where}>
            <code>{where}</code>
          </span>
        </div>
        <span className="pill">{source.type}</span>
        <span className={`pill servers-status-pill servers-status-${status}`} data-testid="server-status">
          {STATUS_LABEL[status]}
        </span>
        <span className="pill" data-testid="tool-count">
          {summary?.tools ?? 0} {summary?.tools === 1 ? "tool" : "tools"}
        </span>
        <label className="switch servers-switch">
          <input type="checkbox" data-testid="server-enabled" checked={enabled} onChange={(event) => {
              setPendingEnabled(event.target.checked);
              void setServerEnabled(id, event.target.checked).finally(() => setPendingEnabled(undefined));
            }} />
          <span>{enabled ? "On" : "Off"}</span>
          <span className="visually-hidden"> {name}</span>
        </label>
      </div>

      {status === "error" ? (
        <div className="servers-item-error" data-testid="server-error">
          <p>{summary?.error ?? "The server failed."}</p>
          {summary?.stderr !== undefined && summary.stderr.length > 0 ? (
            <details data-testid="server-stderr">
              <summary>Last {summary.stderr.length === 1 ? "line" : `${summary.stderr.length} lines`} it wrote to stderr</summary>
              <pre className="servers-pre">{summary.stderr.join("\n")}</pre>
            </details>
          ) : null}
          {failedProcess && diagnostics !== undefined && diagnostics.resolved === undefined && panel !== "diagnostics" ? (
            // The error already says what the message would; the facts and the PATH list add to it.
            <LaunchDiagnosticsView diagnostics={diagnostics} showMessage={false} />
          ) : null}
        </div>
      ) : null}

      <div className="servers-item-actions">
        <button type="button" className="button button-small" aria-expanded={panel === "tools"} data-testid="show-tools" onClick={() => open("tools")}>
          Tools
        </button>
        {source.type === "Process" ? (
          <button type="button" className="button button-small" aria-expanded={panel === "diagnostics"} data-testid="show-diagnostics" onClick={() => open("diagnostics")}>
            Launch diagnostics
          </button>
        ) : null}
        <button type="button" className="button button-small" aria-expanded={panel === "log"} data-testid="show-log" onClick={() => open("log")}>
          Log
        </button>
        <span className="servers-spacer" />
        <button type="button" className="button button-small" data-testid="edit-server" aria-label={`Edit ${name}`} onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="button button-small" data-testid="restart-server" aria-label={`Restart ${name}`} disabled={!enabled} onClick={() => void restartServer(id)}>
          Restart
        </button>
        {confirming ? (
          <span className="servers-confirm" role="group" aria-label={`Remove ${name}?`}>
            <span>Remove {name}?</span>
            <button type="button" className="button button-small button-danger" data-testid="confirm-remove" autoFocus onClick={() => void removeServer(id).then(() => setConfirming(false))}>
              Remove
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button-small button-quiet" data-testid="remove-server" aria-label={`Remove ${name}`} onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </div>

      {panel === "tools" ? (
        <div className="servers-panel">
          <ServerTools serverId={id} toolCount={summary?.tools ?? 0} />
        </div>
      ) : null}
      {panel === "diagnostics" ? (
        <div className="servers-panel">{diagnostics === undefined ? <p className="muted">Looking for the command…</p> : <LaunchDiagnosticsView diagnostics={diagnostics} />}</div>
      ) : null}
      {panel === "log" ? (
        <div className="servers-panel" data-testid="server-log">
          <div className="servers-panel-head">
            <span className="muted">{log === undefined ? "Loading…" : `${log.length} ${log.length === 1 ? "entry" : "entries"}`}</span>
            <button type="button" className="button button-small" onClick={() => void loadServerLog(id)}>
              Refresh
            </button>
          </div>
          {log !== undefined && log.length > 0 ? (
            <pre className="servers-pre servers-log">
              {log.map((line, index) => (
                <span key={index} className={`servers-log-${line.level}`}>
                  {new Date(line.at).toLocaleTimeString()} {line.level.padEnd(5)} {line.source}: {line.text}
                  {"\n"}
                </span>
              ))}
            </pre>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
