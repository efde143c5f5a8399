import { useEffect } from "react";
import { useHearth } from "../store/index.js";
import { DownloadsSection } from "./models/DownloadsSection.js";
import { LoadStatus } from "./models/LoadStatus.js";
import { LocalModelsTable } from "./models/LocalModelsTable.js";
import { PageSection } from "../components/PageSection.js";
import { PageShell } from "../components/PageShell.js";
import { RemoteProviderForm } from "./models/RemoteProviderForm.js";
import "../styles/models.css";

/** The Models page (issue 7): what is loaded, the local models, downloads and the remote provider. */
export function ModelsPage() {
  const connection = useHearth((state) => state.connection);
  const loadModelsPage = useHearth((state) => state.loadModelsPage);
  const folder = useHearth((state) => state.modelsFolder);

  useEffect(() => {
    if (connection === "open") void loadModelsPage();
  }, [connection, loadModelsPage]);

  return (
    <PageShell name="models" title="Models">
      <LoadStatus />
      <PageSection page="models" id="local" title="Local models" description={folder !== undefined ? <>GGUF files in <code>{folder}</code></> : undefined}>
        <LocalModelsTable />
      </PageSection>
      <PageSection page="models" id="downloads" title="Download" description="From the recommended list, or any hf: URI or https URL of a GGUF file. A cancelled download resumes where it stopped.">
        <DownloadsSection />
      </PageSection>
      <PageSection page="models" id="remote" title="Remote provider" description="An OpenAI-compatible server (llama.cpp server, vLLM, Ollama, a hosted API), offered as a model of its own.">
        <RemoteProviderForm />
      </PageSection>
    </PageShell>
  );
}
