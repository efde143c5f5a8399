// ESLint rule `hearth/folder-boundaries`: which folder may import which, and which
// packages, as ../shared/ARCHITECTURE.md lays out. It reads the import path itself, so it
// needs no module resolution and also catches imports of files that do not exist yet.
import path from "node:path";

/**
 * The rules, most specific folder first. `folders`: project folders it may not import
 * (`only`: the only ones it may). `packages`: packages it may not import (`onlyPackages`:
 * the only ones it may).
 */
export const BOUNDARIES = [
  // The config's zod schemas are shared with the renderer, which validates the MCP server
  // form with them: the contract may import that one file, which must itself stay zod only.
  { folder: "app/contract", only: ["app/contract", "mcp/config/schema.js", "mcp/config/schema.ts"], onlyPackages: ["zod"] },
  { folder: "mcp/config/schema.ts", only: ["mcp/config/schema.ts"], onlyPackages: ["zod"] },
  { folder: "mcp", folders: ["app", "models", "main", "renderer"], packages: ["electron", "react", "react-dom", "node-llama-cpp"] },
  { folder: "models", folders: ["app", "mcp", "main", "renderer"], packages: ["electron", "react", "react-dom", "@modelcontextprotocol/sdk"] },
  { folder: "renderer", only: ["renderer", "app/contract"], packages: ["electron", "node-llama-cpp", "@modelcontextprotocol/sdk"] },
  { folder: "app", folders: ["main", "renderer"], packages: ["electron", "react", "react-dom"] },
  { folder: "main", only: ["main", "app"], packages: ["react", "react-dom", "node-llama-cpp", "@modelcontextprotocol/sdk"] },
  { folder: "tests", folders: [], packages: ["electron"] },
  { folder: "bench", folders: [], packages: ["electron"] },
];

const inside = (file, folder) => file === folder || file.startsWith(`${folder}/`);
const packageName = (specifier) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);

function problem(fromFile, specifier, root) {
  const rule = BOUNDARIES.find((boundary) => inside(fromFile, boundary.folder));
  if (!rule) return undefined;
  if (specifier.startsWith(".")) {
    const target = path.relative(root, path.resolve(root, path.dirname(fromFile), specifier)).split(path.sep).join("/");
    if (inside(target, rule.folder)) return undefined;
    if (rule.only && !rule.only.some((folder) => inside(target, folder))) {
      return `${rule.folder}/ may import only ${rule.only.map((folder) => `${folder}/`).join(" and ")}, not ${target}`;
    }
    const denied = rule.folders?.find((folder) => inside(target, folder));
    return denied ? `${rule.folder}/ may not import ${denied}/ (ARCHITECTURE.md)` : undefined;
  }
  if (specifier.startsWith("node:") && rule.onlyPackages) return `${rule.folder}/ may not use Node (${specifier}): it may import only ${rule.onlyPackages.join(", ")}`;
  const name = packageName(specifier);
  if (rule.onlyPackages && !specifier.startsWith("node:") && !rule.onlyPackages.includes(name)) {
    return `${rule.folder}/ may import only ${rule.onlyPackages.join(", ")}, not ${name}`;
  }
  if (rule.packages?.includes(name)) return `${rule.folder}/ may not import ${name} (ARCHITECTURE.md)`;
  return undefined;
}

export const folderBoundaries = {
  meta: { type: "problem", docs: { description: "Enforce the folder boundaries of ARCHITECTURE.md" }, schema: [] },
  create(context) {
    const root = context.cwd;
    const fromFile = path.relative(root, context.filename).split(path.sep).join("/");
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== "Literal" || typeof source.value !== "string") return;
      const message = problem(fromFile, source.value, root);
      if (message) context.report({ node: source, message });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { "folder-boundaries": folderBoundaries } };
