import { useShallow } from "zustand/react/shallow";
import { useHearth } from "../../store/index.js";
import { selectAlwaysRules } from "../../store/settings-slice.js";
import { PageSection } from "../../components/PageSection.js";

/** The approvals given "always": tools that run without asking, each revocable. */
export function ApprovalsSection() {
  const rules = useHearth(useShallow(selectAlwaysRules));
  const loaded = useHearth((state) => state.approvalRulesLoaded);
  const revoke = useHearth((state) => state.revokeApprovalRule);
  return (
    <PageSection page="settings" id="approvals" title="Approvals" description={'Tools you allowed "always" run without asking. Revoke one to be asked again next time.'}>
      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : rules.length === 0 ? (
        <p className="settings-empty muted" data-testid="approval-rules-empty">
          No tool runs without asking. Answer "Always allow" when a tool asks, and it shows here.
        </p>
      ) : (
        <table className="settings-table" data-testid="approval-rules">
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Tool</th>
              <th scope="col">Policy</th>
              <th scope="col">Given</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const tool = rule.toolName ?? "all tools";
              return (
                <tr key={`${rule.serverId}/${rule.toolName ?? ""}`} data-testid="approval-rule" data-server={rule.serverId} data-tool={rule.toolName ?? ""}>
                  <td>
                    <code>{rule.serverId}</code>
                  </td>
                  <td>{rule.toolName === undefined ? <span className="muted">all tools</span> : <code>{rule.toolName}</code>}</td>
                  <td>
                    <span className="pill pill-warning">{rule.policy}</span>
                  </td>
                  <td>
                    <time dateTime={new Date(rule.createdAt).toISOString()}>{new Date(rule.createdAt).toLocaleString()}</time>
                  </td>
                  <td className="settings-table-action">
                    <button
                      type="button"
                      className="button button-small"
                      data-testid="revoke-rule"
                      aria-label={`Revoke "always" for ${tool} of ${rule.serverId}`}
                      onClick={() => void revoke(rule.serverId, rule.toolName)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </PageSection>
  );
}
