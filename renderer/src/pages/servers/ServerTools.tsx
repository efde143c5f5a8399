/** One server's tools: description, input schema, on/off for every conversation, approval policy. */
import { useEffect } from "react";
import type { ApprovalPolicy } from "../../../../app/contract/chat.js";
import type { ServerTool } from "../../../../app/contract/mcp-channels.js";
import { useHearth } from "../../store/index.js";

const POLICIES: Array<{ value: ApprovalPolicy | "default"; label: string }> = [
  { value: "default", label: "Default" },
  { value: "ask", label: "Ask every time" },
  { value: "once", label: "Ask once per conversation" },
  { value: "always", label: "Always allow" },
];

const POLICY_LABEL: Record<ApprovalPolicy, string> = { ask: "ask", once: "once per conversation", always: "always allow" };

export function ServerTools({ serverId, toolCount }: { serverId: string; toolCount: number }) {
  const tools = useHearth((state) => state.mcpServerTools[serverId]);
  const loadServerTools = useHearth((state) => state.loadServerTools);

  useEffect(() => {
    void loadServerTools(serverId);
  }, [serverId, toolCount, loadServerTools]);

  if (tools === undefined) return <p className="muted">Loading tools…</p>;
  if (tools.length === 0) return <p className="muted">This server offers no tools (or is not running).</p>;
  return (
    <ul className="servers-tools" data-testid="server-tools">
      {tools.map((tool) => (
        <ToolItem key={tool.name} serverId={serverId} tool={tool} />
      ))}
    </ul>
  );
}

function ToolItem({ serverId, tool }: { serverId: string; tool: ServerTool }) {
  const setToolEnabled = useHearth((state) => state.setToolEnabled);
  const setToolPolicy = useHearth((state) => state.setToolPolicy);
  const selected = tool.policySource === "rule" ? tool.policy : "default";
  return (
    <li className="servers-tool" data-testid="server-tool" data-tool-name={tool.name} data-enabled={tool.enabled}>
      <div className="servers-tool-head">
        <label className="switch">
          <input type="checkbox" checked={tool.enabled} data-testid="tool-enabled" onChange={(event) => void setToolEnabled(serverId, tool.name, event.target.checked)} />
          <code className="servers-tool-name">{tool.exposedName}</code>
        </label>
        <label className="servers-policy">
          <span className="muted">Approval</span>
          <select
            className="input servers-select"
            data-testid="tool-policy"
            aria-label={`Approval policy of ${tool.exposedName}`}
            value={selected}
            onChange={(event) => void setToolPolicy(serverId, tool.name, event.target.value === "default" ? null : (event.target.value as ApprovalPolicy))}
          >
            {POLICIES.map((policy) => (
              <option key={policy.value} value={policy.value}>
                {policy.value === "default" && tool.policySource === "annotations" ? `Default (${POLICY_LABEL[tool.policy]})` : policy.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {tool.description !== undefined ? <p className="servers-tool-description">{tool.description}</p> : null}
      <details className="servers-schema">
        <summary>Input schema</summary>
        <pre className="servers-pre" data-testid="tool-schema">
          {JSON.stringify(tool.inputSchema, null, 2)}
        </pre>
      </details>
    </li>
  );
}
