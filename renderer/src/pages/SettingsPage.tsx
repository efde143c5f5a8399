import { useEffect } from "react";
import { PageShell } from "../components/PageShell.js";
import { useHearth } from "../store/index.js";
import { AppearanceSection } from "./settings/AppearanceSection.js";
import { ApprovalsSection } from "./settings/ApprovalsSection.js";
import { DataFolderSection } from "./settings/DataFolderSection.js";
import { LogsSection } from "./settings/LogsSection.js";
import { PerformanceSection } from "./settings/PerformanceSection.js";
import "../styles/settings.css";

/** The Settings page (issue 7): appearance, data folder, performance, approvals, logs. */
export function SettingsPage() {
  const connection = useHearth((state) => state.connection);
  useEffect(() => {
    if (connection !== "open") return;
    const state = useHearth.getState();
    void Promise.all([state.loadSettings(), state.loadApprovalRules(), state.loadLogs()]);
  }, [connection]);

  return (
    <PageShell name="settings" title="Settings">
      <AppearanceSection />
      <DataFolderSection />
      <PerformanceSection />
      <ApprovalsSection />
      <LogsSection />
    </PageShell>
  );
}
