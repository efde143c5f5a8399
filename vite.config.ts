// Builds the renderer (renderer/, React) into dist/renderer/ for Electron and for
// `hearth serve --ui`. The page runs under a strict CSP (script-src and style-src 'self'),
// so everything is a file: no inline scripts, no runtime <style> tags, no assets turned
// into data: URLs (fonts would fall under default-src 'self').
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: "renderer",
  base: "./",
  plugins: [react()],
  build: {
    outDir: "../dist/renderer",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    // Electron and current browsers support <link rel="modulepreload">: no polyfill needed.
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        // Vendor code in three chunks (highlight.js has no dependencies, so no chunk cycle).
        manualChunks(id) {
          if (!id.includes("node_modules")) return undefined;
          if (/[\\/]highlight\.js[\\/]/.test(id)) return "highlight";
          if (/[\\/](react|react-dom|scheduler|zustand|react-virtuoso)[\\/]/.test(id)) return "react";
          return "markdown";
        },
      },
    },
  },
});
