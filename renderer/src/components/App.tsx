import { useHearth } from "../store/index.js";
import { ChatView } from "./ChatView.js";
import { Composer } from "./Composer.js";
import { Header } from "./Header.js";
import { Notice } from "./Notice.js";
import { Sidebar } from "./Sidebar.js";
import { ToolsPanel } from "./ToolsPanel.js";

/** The window: conversations on the left, the chat in the middle, the tools panel on the right when open. */
export function App() {
  const toolsPanelOpen = useHearth((state) => state.toolsPanelOpen);
  return (
    <div className={toolsPanelOpen ? "app with-tools" : "app"}>
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
