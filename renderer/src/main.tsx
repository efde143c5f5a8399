import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App.js";
import { followTheme } from "./pages/settings/theme.js";
import { useHearth } from "./store/index.js";
import "./styles/theme.css";
import "./styles/highlight.css";
import "./styles/layout.css";
import "./styles/sidebar.css";
import "./styles/chat.css";
import "./styles/tool-card.css";
import "./styles/tools.css";

// The saved theme before the first paint, then the core's setting once connected (issue 7).
followTheme(useHearth);

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
