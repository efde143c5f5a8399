// Lint rules, including the folder boundaries of ARCHITECTURE.md: which folder may
// import which is checked here, not by hope.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import globals from "globals";

/** A zone: files under `target` may not import anything under `from`. */
const zone = (target, from, message) => ({ target, from, message });

const restrictedPackages = (names, folder) => ({
  paths: names.map((name) => ({ name, message: `${folder}/ may not import ${name} (ARCHITECTURE.md)` })),
  patterns: names.map((name) => ({ group: [`${name}/*`], message: `${folder}/ may not import ${name} (ARCHITECTURE.md)` })),
});

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "test-results/", "build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            zone("./mcp", "./app", "mcp/ may not import app/"),
            zone("./mcp", "./models", "mcp/ and models/ do not know each other"),
            zone("./mcp", "./main", "mcp/ may not import main/"),
            zone("./mcp", "./renderer", "mcp/ may not import renderer/"),
            zone("./models", "./app", "models/ may not import app/"),
            zone("./models", "./mcp", "mcp/ and models/ do not know each other"),
            zone("./models", "./main", "models/ may not import main/"),
            zone("./models", "./renderer", "models/ may not import renderer/"),
            zone("./app", "./main", "app/ may not import main/"),
            zone("./app", "./renderer", "app/ may not import renderer/"),
            zone("./app/contract", "./app/!(contract)/**/*", "app/contract may import zod only"),
            zone("./app/contract", "./mcp", "app/contract may import zod only"),
            zone("./app/contract", "./models", "app/contract may import zod only"),
            zone("./renderer", "./mcp", "renderer/ talks to the core only through app/contract"),
            zone("./renderer", "./models", "renderer/ talks to the core only through app/contract"),
            zone("./renderer", "./main", "renderer/ talks to the core only through app/contract"),
            zone("./renderer", "./app/!(contract)/**/*", "renderer/ talks to the core only through app/contract"),
          ],
        },
      ],
    },
  },
  {
    files: ["mcp/**"],
    rules: { "no-restricted-imports": ["error", restrictedPackages(["electron", "react", "node-llama-cpp"], "mcp")] },
  },
  {
    files: ["models/**"],
    rules: { "no-restricted-imports": ["error", restrictedPackages(["electron", "react", "@modelcontextprotocol/sdk"], "models")] },
  },
  {
    files: ["app/**", "renderer/**", "tests/**", "bench/**", "examples/**"],
    rules: { "no-restricted-imports": ["error", restrictedPackages(["electron"], "only main/")] },
  },
);
