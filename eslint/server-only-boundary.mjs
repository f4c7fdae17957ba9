// Local ESLint rule: client code must not reach a server-only module (docs/architecture.md).
//
// A file is client code when it lives under components/ or starts with the "use client" directive.
// A module is server-only when it has `import "server-only"` or is listed in the `serverModules`
// option (modules that hold secrets but cannot carry the marker, see eslint.config.mjs).
// Imports are followed transitively through the repository's own modules, so a pure-looking module
// that pulls in a query module is caught too. Only value imports count: `import type`, and imports whose
// every name is a type, are erased at build time and never reach the browser.
//
// Next.js stops a build when a client module imports a marked module directly; this rule says it
// earlier, names the whole chain, and also covers the modules that hold secrets without the marker.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const EXTENSIONS = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts", "/index.tsx"];

/** Per file: its mtime when scanned, whether it carries the marker, and the value imports it makes. */
const cache = new Map();

function resolveSpecifier(root, fromFile, spec) {
  let base;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(fromFile), spec);
  else return null; // a package: not ours to follow
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Does this import or export clause bring in a value (rather than only types)? */
function bringsValue(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return true; // `import "x"`: run for its effects
    if (clause.isTypeOnly) return false;
    if (clause.name) return true;
    const bindings = clause.namedBindings;
    if (!bindings || ts.isNamespaceImport(bindings)) return true;
    return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return false;
    const clause = node.exportClause;
    if (!clause || !ts.isNamedExports(clause)) return true;
    return clause.elements.length === 0 || clause.elements.some((e) => !e.isTypeOnly);
  }
  return true;
}

/** The module specifiers a file imports as values: static imports, re-exports and `import("…")`. */
function valueImports(file, source) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specs = [];
  for (const statement of sf.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      if (bringsValue(statement)) specs.push(statement.moduleSpecifier.text);
    }
  }
  (function visit(node) {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) specs.push(arg.text);
    }
    ts.forEachChild(node, visit);
  })(sf);
  return specs;
}

function scan(root, file) {
  const mtime = fs.statSync(file).mtimeMs;
  const cached = cache.get(file);
  if (cached && cached.mtime === mtime) return cached;
  const specs = valueImports(file, fs.readFileSync(file, "utf8"));
  const entry = {
    mtime,
    marker: specs.includes("server-only"),
    imports: specs.map((s) => resolveSpecifier(root, file, s)).filter(Boolean),
  };
  cache.set(file, entry);
  return entry;
}

/** The chain from `file` to the first server-only module it reaches, or null. */
function serverChain(root, file, serverModules, seen) {
  if (seen.has(file)) return null;
  seen.add(file);
  if (file.includes(`${path.sep}node_modules${path.sep}`)) return null;
  const entry = scan(root, file);
  if (entry.marker || serverModules.has(file)) return [file];
  for (const next of entry.imports) {
    const chain = serverChain(root, next, serverModules, seen);
    if (chain) return [file, ...chain];
  }
  return null;
}

function isClientFile(relative, program) {
  if (relative.split(path.sep)[0] === "components") return true;
  for (const statement of program.body) {
    if (statement.type !== "ExpressionStatement" || typeof statement.directive !== "string") break;
    if (statement.directive === "use client") return true;
  }
  return false;
}

/** @type {import("eslint").Rule.RuleModule} */
export const serverOnlyBoundary = {
  meta: {
    type: "problem",
    docs: {
      description:
        'Client code (components/**, "use client" files) must not import a server-only module, directly or through other modules',
    },
    schema: [
      {
        type: "object",
        properties: {
          root: { type: "string", description: "The folder that `@/` and `serverModules` are relative to (default: ESLint's cwd)." },
          serverModules: { type: "array", items: { type: "string" } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      serverOnly: "Client code imports a server-only module: {{chain}}. Move what the UI needs into a pure module (docs/architecture.md).",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const root = options.root ?? context.cwd;
    const filename = context.physicalFilename;
    const relative = path.relative(root, filename);
    if (!isClientFile(relative, context.sourceCode.ast)) return {};
    const serverModules = new Set((options.serverModules ?? []).map((p) => path.resolve(root, p)));

    function check(node, source) {
      const spec = source.value;
      if (typeof spec !== "string") return;
      if (spec === "server-only") {
        context.report({ node: source, messageId: "serverOnly", data: { chain: `${relative} → server-only` } });
        return;
      }
      const resolved = resolveSpecifier(root, filename, spec);
      if (!resolved) return;
      const chain = serverChain(root, resolved, serverModules, new Set());
      if (chain)
        context.report({
          node: source,
          messageId: "serverOnly",
          data: { chain: [relative, ...chain.map((f) => path.relative(root, f))].join(" → ") },
        });
    }
    const typeOnly = (node) => node.importKind === "type" || node.exportKind === "type";
    const allSpecifiersTypes = (node) =>
      node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === "type" || s.exportKind === "type");

    return {
      ImportDeclaration(node) {
        if (!typeOnly(node) && !allSpecifiersTypes(node)) check(node, node.source);
      },
      ExportNamedDeclaration(node) {
        if (node.source && !typeOnly(node) && !allSpecifiersTypes(node)) check(node, node.source);
      },
      ExportAllDeclaration(node) {
        if (!typeOnly(node)) check(node, node.source);
      },
      ImportExpression(node) {
        if (node.source.type === "Literal") check(node, node.source);
      },
    };
  },
};

const plugin = { meta: { name: "creditbook" }, rules: { "server-only-boundary": serverOnlyBoundary } };
export default plugin;
