// The base styles first: the pages' own stylesheets (imported by their components) then
// come after them and win ties.
import "./styles/theme.css";
import "./styles/highlight.css";
import "./styles/layout.css";
import "./styles/sidebar.css";
import "./styles/chat.css";
import "./styles/tool-card.css";
import "./styles/tools.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./components/App.js";
import { followTheme } from "./pages/settings/theme.js";
import { useHearth } from "./store/index.js";

// The saved theme before the first paint, then the core's setting once connected (issue 7).
followTheme(useHearth);

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
