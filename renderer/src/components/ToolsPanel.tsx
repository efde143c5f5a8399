import { useEffect, useMemo, useRef } from "react";
import type { ServerSummary } from "../../../app/contract/channels.js";
import { useHearth } from "../store/index.js";
import { groupToolsByServer, type ServerTools } from "../store/tools-slice.js";
import { Icon } from "./Icon.js";

/** The selected conversation's servers and tools, each with a switch (`tools.select`). */
export function ToolsPanel() {
  const servers = useHearth((state) => state.servers);
  const tools = useHearth((state) => state.tools);
  const conversationId = useHearth((state) => state.selectedConversationId);
  const setToolsPanelOpen = useHearth((state) => state.setToolsPanelOpen);
  const groups = useMemo(() => new Map(groupToolsByServer(tools).map((group) => [group.serverId, group])), [tools]);

  return (
    <aside className="tools-panel" id="tools-panel" aria-label="Tools of this conversation" data-testid="tools-panel">
      <div className="panel-header">
        <h2>Tools</h2>
        <button type="button" className="icon-button" aria-label="Close the tools panel" onClick={() => setToolsPanelOpen(false)}>
          <Icon name="close" />
        </button>
      </div>
      {servers.length === 0 ? (
        <p className="muted">No MCP server yet: start Hearth with <code>--mcp-config FILE</code> to give the model tools.</p>
      ) : conversationId === undefined ? (
        <p className="muted">Start a conversation to choose which tools it offers the model.</p>
      ) : null}
      {servers.map((server) => (
        <ServerSection key={server.id} server={server} group={groups.get(server.id)} canSelect={conversationId !== undefined} />
      ))}
    </aside>
  );
}

function ServerSection({ server, group, canSelect }: { server: ServerSummary; group: ServerTools | undefined; canSelect: boolean }) {
  const selectTools = useHearth((state) => state.selectTools);
  const restartServer = useHearth((state) => state.restartServer);
  const switchRef = useRef<HTMLInputElement>(null);
  const selection = group?.selection ?? "none";
  const name = server.name ?? server.id;

  useEffect(() => {
    if (switchRef.current !== null) switchRef.current.indeterminate = selection === "some";
  }, [selection]);

  return (
    <section className="server" data-testid="server" data-server-id={server.id} data-status={server.status}>
      <div className="server-row">
        <label className="switch">
          <input
            ref={switchRef}
            type="checkbox"
            checked={selection === "all"}
            disabled={!canSelect || group === undefined}
            onChange={() => void selectTools(server.id, undefined, selection !== "all")}
          />
          <span className="server-name">{name}</span>
        </label>
        <span className={`badge badge-server-${server.status}`}>{server.status}</span>
        {server.enabled ? (
          <button type="button" className="button button-small button-quiet" aria-label={`Restart ${name}`} onClick={() => void restartServer(server.id)}>
            Restart
          </button>
        ) : null}
      </div>
      {server.status === "error" ? (
        <div className="server-error">
          <p>{server.error ?? "The server failed."}</p>
          {server.stderr !== undefined && server.stderr.length > 0 ? (
            <details>
              <summary>Last lines it wrote</summary>
              <pre className="code-block">{server.stderr.join("\n")}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {group !== undefined ? (
        <ul className="tool-list">
          {group.tools.map((tool) => (
            <li key={tool.name} className="tool-item">
              <label className="switch">
                <input type="checkbox" checked={tool.selected} disabled={!canSelect} onChange={(event) => void selectTools(tool.serverId, tool.toolName, event.target.checked)} />
                <span className="tool-item-name">{tool.toolName}</span>
              </label>
              <span className="tag tag-muted" title="Approval policy">
                {tool.policy === "always" ? "always allowed" : tool.policy === "once" ? "ask once" : "asks"}
              </span>
              {tool.description !== undefined ? <p className="tool-item-description">{tool.description}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
