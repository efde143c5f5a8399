// Lint rules, including the folder boundaries of ARCHITECTURE.md (build/eslint): which
// folder may import which is checked here, not by hope; tests/architecture.test.ts
// proves the rule fires.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import hearth from "./build/eslint/folder-boundaries.js";

export default tseslint.config(
  { ignores: ["**/node_modules/", "dist/", "coverage/", "test-results/", "build/output/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { hearth },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "hearth/folder-boundaries": "error",
    },
  },
  { files: ["renderer/**/*.{ts,tsx}"], languageOptions: { globals: { ...globals.browser } } },
);
