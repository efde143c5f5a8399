import { useHearth } from "../store/index.js";
import { ModelsPage } from "../pages/ModelsPage.js";
import { ServersPage } from "../pages/ServersPage.js";
import { SettingsPage } from "../pages/SettingsPage.js";
import { ChatView } from "./ChatView.js";
import { Composer } from "./Composer.js";
import { Header } from "./Header.js";
import { NavRail } from "./NavRail.js";
import { Notice } from "./Notice.js";
import { Sidebar } from "./Sidebar.js";
import { ToolsPanel } from "./ToolsPanel.js";

/**
 * The window: the page rail on the far left; on the chat page the conversations, the chat
 * and the tools panel when open; the other pages take the rest of the width.
 */
export function App() {
  const page = useHearth((state) => state.page);
  const toolsPanelOpen = useHearth((state) => state.toolsPanelOpen);
  if (page !== "chat") {
    return (
      <div className="app app-page">
        <NavRail />
        <main className="main page-main">
          <Notice />
          {page === "servers" ? <ServersPage /> : page === "models" ? <ModelsPage /> : <SettingsPage />}
        </main>
      </div>
    );
  }
  return (
    <div className={toolsPanelOpen ? "app with-tools" : "app"}>
      <NavRail />
      <Sidebar />
      <main className="main">
        <Header />
        <Notice />
        <ChatView />
        <Composer />
      </main>
      {toolsPanelOpen ? <ToolsPanel /> : null}
    </div>
  );
}
