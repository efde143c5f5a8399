import { useEffect } from "react";
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
    <section className="page settings-page" aria-labelledby="page-title-settings" data-testid="page-settings">
      <header className="page-header">
        <h1 id="page-title-settings" className="page-title">
          Settings
        </h1>
      </header>
      <AppearanceSection />
      <DataFolderSection />
      <PerformanceSection />
      <ApprovalsSection />
      <LogsSection />
    </section>
  );
}
