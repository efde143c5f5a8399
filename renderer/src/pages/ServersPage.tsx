import { useEffect, useState } from "react";
import type { ServerEntry } from "../../../app/contract/mcp-channels.js";
import { Icon } from "../components/Icon.js";
import { PageShell } from "../components/PageShell.js";
import { useHearth } from "../store/index.js";
import "../styles/servers.css";
import { emptyForm, formFromEntry, type ServerForm as Form } from "./servers/draft.js";
import { ImportExport } from "./servers/ImportExport.js";
import { McpSettingsForm } from "./servers/McpSettingsForm.js";
import { RawEditor } from "./servers/RawEditor.js";
import { ServerForm } from "./servers/ServerForm.js";
import { ServerList } from "./servers/ServerList.js";

type Tab = "servers" | "import" | "raw" | "settings";

const TABS: Array<{ value: Tab; label: string }> = [
  { value: "servers", label: "Servers" },
  { value: "import", label: "Import & export" },
  { value: "raw", label: "Raw JSON" },
  { value: "settings", label: "Settings" },
];

/** What the form edits: a new server, or a saved one (by its id when it was opened). */
type Editing = { form: Form; previousId: string | undefined } | undefined;

/** The MCP servers page (issue 7): servers, the add/edit form, import/export, the raw file and settings. */
export function ServersPage() {
  const loadMcpPage = useHearth((state) => state.loadMcpPage);
  const loaded = useHearth((state) => state.mcpPageLoaded);
  const error = useHearth((state) => state.mcpPageError);
  const connection = useHearth((state) => state.connection);
  const [tab, setTab] = useState<Tab>("servers");
  const [editing, setEditing] = useState<Editing>(undefined);

  useEffect(() => {
    if (connection === "open") void loadMcpPage();
  }, [connection, loadMcpPage]);

  const add = () => {
    setTab("servers");
    // A form already open (left for another tab) is shown again rather than thrown away.
    setEditing((open) => open ?? { form: emptyForm(), previousId: undefined });
  };
  const edit = (entry: ServerEntry) => setEditing({ form: formFromEntry(entry), previousId: entry.definition.id });

  return (
    <PageShell
      name="servers"
      title="MCP servers"
      actions={
        <button type="button" className="button button-primary" data-testid="add-server" onClick={add} disabled={editing !== undefined && tab === "servers"}>
          <Icon name="plus" />
          Add server
        </button>
      }
    >
      <nav className="servers-tabs" aria-label="Servers page sections">
        {TABS.map((item) => (
          <button key={item.value} type="button" className="servers-tab" aria-current={tab === item.value ? "page" : undefined} data-testid={`servers-tab-${item.value}`} onClick={() => setTab(item.value)}>
            {item.label}
          </button>
        ))}
      </nav>
      {error !== undefined ? (
        <div className="servers-page-error" role="alert" data-testid="servers-page-error">
          The servers could not be loaded: {error}
          <button type="button" className="button button-small" onClick={() => void loadMcpPage()}>
            Try again
          </button>
        </div>
      ) : null}
      {!loaded && error === undefined ? <p className="muted">Loading…</p> : null}
      {loaded ? (
        <>
          {/* Kept mounted while another tab shows, so an unsaved form survives a look at the raw file. */}
          <div hidden={tab !== "servers"}>
            {editing !== undefined ? (
              <ServerForm key={editing.previousId ?? "new"} initial={editing.form} previousId={editing.previousId} onClose={() => setEditing(undefined)} />
            ) : (
              <ServerList onAdd={add} onEdit={edit} />
            )}
          </div>
          {tab === "import" ? <ImportExport /> : tab === "raw" ? <RawEditor /> : tab === "settings" ? <McpSettingsForm /> : null}
        </>
      ) : null}
    </PageShell>
  );
}
