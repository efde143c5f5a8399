import { CopyButton } from "../../components/CopyButton.js";
import { useHearth } from "../../store/index.js";
import { PageSection } from "../../components/PageSection.js";

/** Where Hearth keeps its data; read-only here. */
export function DataFolderSection() {
  const dataFolder = useHearth((state) => state.settings?.dataFolder);
  return (
    <PageSection
      page="settings"
      id="data-folder"
      title="Data folder"
      description={
        <>
          Conversations, settings, the MCP config and downloaded models. To move it, start Hearth with the <code>HEARTH_DATA_DIR</code> environment variable set to
          another folder.
        </>
      }
    >
      <div className="settings-row">
        <code className="settings-path" data-testid="data-folder">
          {dataFolder ?? "…"}
        </code>
        {dataFolder !== undefined ? <CopyButton text={dataFolder} label="Copy the data folder's path" /> : null}
      </div>
    </PageSection>
  );
}
