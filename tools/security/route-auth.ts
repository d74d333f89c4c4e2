// `npm run security`: every server handler (`loader`, `action`) of every route module either
// authenticates before it can answer, or is on the committed public list with a reason.
// "Authenticates" is read from the module's syntax, not its file name: the handler must call one of
// the known verifiers (from the module it really comes from), unconditionally, before any `return`
// or `throw` that could answer first. Calls into functions of the same module are followed.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const HANDLER_EXPORTS = ["loader", "action"] as const;
export type HandlerExport = (typeof HANDLER_EXPORTS)[number];

/** One entry of the public list: a route (file name in app/routes, `*` matches any run of characters). */
export interface PublicRoute {
  route: string;
  exports: HandlerExport[];
  reason: string;
  /** When set, the handler must be exactly this re-exported function (e.g. `webhookLoader`, a plain 405). */
  reexport?: string;
}

export interface HandlerFinding {
  route: string;
  handler: HandlerExport | "(none)";
  ok: boolean;
  /** How it authenticates, why it is public, or what is wrong. */
  detail: string;
}

export interface RouteAuthReport {
  findings: HandlerFinding[];
  /** Problems with the public list itself (entries without a reason, entries matching no route). */
  listProblems: string[];
  ok: boolean;
}

/** Verifiers imported by name: the module (path suffix, without extension) they must come from. */
const IMPORTED_VERIFIERS: Record<string, { from: string; kind: string }> = {
  verifiedProxyShopper: { from: "lib/storefront/app-proxy.server", kind: "App Proxy signature" },
  authorizeStream: { from: "lib/storefront/session.server", kind: "signed stream token" },
  webhookAction: { from: "webhooks.server", kind: "webhook HMAC" },
};

/** `<anything>.authenticate.<method>(…)` of `@shopify/shopify-app-remix`. */
const LIBRARY_VERIFIERS: Record<string, string> = {
  "authenticate.admin": "admin session (authenticate.admin)",
  "authenticate.webhook": "webhook HMAC (authenticate.webhook)",
  "authenticate.flow": "Flow HMAC (authenticate.flow)",
  "authenticate.public.appProxy": "App Proxy signature (authenticate.public.appProxy)",
  "authenticate.public.checkout": "checkout session token (authenticate.public.checkout)",
  "authenticate.public.customerAccount": "customer account session token (authenticate.public.customerAccount)",
};

/** Route modules of a Remix flat-routes folder: `name.ts(x)` files and `name/route.ts(x)` folders. */
export function listRouteModules(routesDir: string): string[] {
  const routes: string[] = [];
  for (const entry of readdirSync(routesDir).sort()) {
    const full = path.join(routesDir, entry);
    if (statSync(full).isDirectory()) {
      const route = ["route.tsx", "route.ts", "route.jsx", "route.js"].find((name) => {
        try {
          return statSync(path.join(full, name)).isFile();
        } catch {
          return false;
        }
      });
      if (route) routes.push(`${entry}/${route}`);
    } else if (/\.(tsx?|jsx?)$/.test(entry) && !/\.test\.|\.spec\./.test(entry)) {
      routes.push(entry);
    }
  }
  return routes;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${escaped}$`).test(value);
}

interface ModuleFacts {
  source: ts.SourceFile;
  /** local name → module specifier it is imported from */
  imports: Map<string, { from: string; name: string }>;
  /** functions declared in the module (declarations and `const f = () => …`) */
  functions: Map<string, ts.FunctionLikeDeclaration>;
  /** exported handler → the node that implements it, or a re-export */
  handlers: Map<HandlerExport, { node: ts.Node } | { reexport: string; from: string }>;
}

function readModule(file: string): ModuleFacts {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TSX);
  const imports = new Map<string, { from: string; name: string }>();
  const functions = new Map<string, ts.FunctionLikeDeclaration>();
  const values = new Map<string, ts.Node>();
  const handlers: ModuleFacts["handlers"] = new Map();
  const isHandler = (name: string): name is HandlerExport => (HANDLER_EXPORTS as readonly string[]).includes(name);
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const localExports: Array<[HandlerExport, string]> = [];

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          imports.set(element.name.text, { from, name: (element.propertyName ?? element.name).text });
        }
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      functions.set(statement.name.text, statement);
      values.set(statement.name.text, statement);
      if (exported(statement) && isHandler(statement.name.text)) handlers.set(statement.name.text, { node: statement });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const name = declaration.name.text;
        const init = declaration.initializer;
        values.set(name, init);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) functions.set(name, init);
        if (exported(statement) && isHandler(name)) handlers.set(name, { node: init });
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const from =
        statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : null;
      for (const element of statement.exportClause.elements) {
        const name = element.name.text;
        if (!isHandler(name)) continue;
        const local = (element.propertyName ?? element.name).text;
        if (from) handlers.set(name, { reexport: local, from });
        else localExports.push([name, local]);
      }
    }
  }
  for (const [name, local] of localExports) {
    const imported = imports.get(local);
    if (imported) handlers.set(name, { reexport: imported.name, from: imported.from });
    else if (values.has(local)) handlers.set(name, { node: values.get(local)! });
  }
  return { source, imports, functions, handlers };
}

function stripExtension(specifier: string): string {
  return specifier.replace(/\.(tsx?|jsx?|mjs)$/, "");
}

/** The dotted tail of a callee: `context.services.shopify.authenticate.admin` → that text. */
function calleeText(expression: ts.Expression): string | null {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = calleeText(expression.expression);
    return left === null ? null : `${left}.${expression.name.text}`;
  }
  if (ts.isNonNullExpression(expression) || ts.isParenthesizedExpression(expression)) {
    return calleeText(expression.expression);
  }
  return null;
}

function verifierKind(facts: ModuleFacts, call: ts.CallExpression): string | null {
  const text = calleeText(call.expression);
  if (!text) return null;
  for (const [suffix, kind] of Object.entries(LIBRARY_VERIFIERS)) {
    if (text === suffix || text.endsWith(`.${suffix}`)) return kind;
  }
  if (ts.isIdentifier(call.expression)) {
    const imported = facts.imports.get(call.expression.text);
    const known = imported && IMPORTED_VERIFIERS[imported.name];
    if (known && imported && stripExtension(imported.from).endsWith(known.from))
      return `${known.kind} (${imported.name})`;
  }
  return null;
}

/**
 * Whether `node` runs every time `root` runs: not inside a branch, a loop body, a catch, a `&&`/`||`
 * right side or a nested function.
 */
function unconditional(node: ts.Node, root: ts.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && child !== root) {
    if (ts.isIfStatement(parent) && child !== parent.expression) return false;
    if (ts.isConditionalExpression(parent) && child !== parent.condition) return false;
    if (
      ts.isBinaryExpression(parent) &&
      child === parent.right &&
      [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(
        parent.operatorToken.kind,
      )
    ) {
      return false;
    }
    if (ts.isIterationStatement(parent, false) || ts.isCatchClause(parent) || ts.isCaseOrDefaultClause(parent)) {
      return false;
    }
    if (ts.isFunctionLike(parent) && parent !== root) return false;
    if (ts.isCallExpression(parent) && parent.questionDotToken) return false;
    child = parent;
    parent = parent.parent;
  }
  return true;
}

/** `return`/`throw` statements of `root` itself (not of nested functions) that end before `position`. */
function exitsBefore(root: ts.Node, position: number): ts.Node[] {
  const exits: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    if (node !== root && ts.isFunctionLike(node)) return;
    if ((ts.isReturnStatement(node) || ts.isThrowStatement(node)) && node.getEnd() <= position) exits.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return exits;
}

interface AuthResult {
  kind: string | null;
  problem?: string;
}

/** How `root` (a handler's implementation) authenticates, following calls into the module's own functions. */
function authentication(facts: ModuleFacts, root: ts.Node, seen = new Set<ts.Node>()): AuthResult {
  seen.add(root);
  const calls: ts.CallExpression[] = [];
  const collect = (node: ts.Node) => {
    if (node !== root && ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) calls.push(node);
    ts.forEachChild(node, collect);
  };
  collect(root);
  calls.sort((a, b) => a.getStart() - b.getStart());

  let problem: string | undefined;
  for (const call of calls) {
    let kind = verifierKind(facts, call);
    if (!kind && ts.isIdentifier(call.expression)) {
      const local = facts.functions.get(call.expression.text);
      if (local && !seen.has(local)) kind = authentication(facts, local, seen).kind;
    }
    if (!kind) continue;
    const where = `line ${facts.source.getLineAndCharacterOfPosition(call.getStart()).line + 1}`;
    if (!unconditional(call, root)) {
      problem ??= `its ${kind} call (${where}) runs only on some paths`;
      continue;
    }
    const early = exitsBefore(root, call.getStart());
    if (early.length > 0) {
      const line = facts.source.getLineAndCharacterOfPosition(early[0].getStart()).line + 1;
      problem ??= `it can answer (line ${line}) before its ${kind} call (${where})`;
      continue;
    }
    return { kind };
  }
  return { kind: null, problem };
}

const verifierNames = [...Object.keys(LIBRARY_VERIFIERS), ...Object.keys(IMPORTED_VERIFIERS)].join(", ");

/** Checks every route module of `routesDir` against `publicRoutes`. */
export function checkRouteAuthentication(routesDir: string, publicRoutes: PublicRoute[]): RouteAuthReport {
  const findings: HandlerFinding[] = [];
  const listProblems: string[] = [];
  const used = new Set<PublicRoute>();

  for (const entry of publicRoutes) {
    if (!entry.reason || entry.reason.trim().length < 10) {
      listProblems.push(`public list: "${entry.route}" needs a reason (a sentence saying why it may answer anyone)`);
    }
  }
  const publicEntry = (route: string, handler: HandlerExport | "(none)", reexported?: string) =>
    publicRoutes.find(
      (entry) =>
        wildcardMatch(entry.route, route) &&
        (handler === "(none)" || entry.exports.includes(handler)) &&
        (!entry.reexport || entry.reexport === reexported),
    );

  for (const route of listRouteModules(routesDir)) {
    const facts = readModule(path.join(routesDir, route));
    if (facts.handlers.size === 0) {
      // No loader or action: the page still renders for anyone who asks for its URL.
      const entry = publicEntry(route, "(none)");
      if (entry) used.add(entry);
      findings.push({
        route,
        handler: "(none)",
        ok: Boolean(entry),
        detail: entry
          ? `public: ${entry.reason}`
          : "exports no loader or action, so its page renders for anyone: add a loader that authenticates, or list it as public",
      });
      continue;
    }
    for (const handler of HANDLER_EXPORTS) {
      const implementation = facts.handlers.get(handler);
      if (!implementation) continue;
      let result: AuthResult = { kind: null };
      if ("node" in implementation) {
        result = authentication(facts, implementation.node);
      } else {
        const known = IMPORTED_VERIFIERS[implementation.reexport];
        result = { kind: null, problem: `re-exports ${implementation.reexport} from ${implementation.from}` };
        if (known) result = { kind: null, problem: `re-exports the verifier ${implementation.reexport} itself` };
      }
      if (result.kind) {
        findings.push({ route, handler, ok: true, detail: result.kind });
        continue;
      }
      const entry = publicEntry(route, handler, "reexport" in implementation ? implementation.reexport : undefined);
      if (entry) {
        used.add(entry);
        findings.push({ route, handler, ok: true, detail: `public: ${entry.reason}` });
        continue;
      }
      findings.push({
        route,
        handler,
        ok: false,
        detail:
          `does not authenticate${result.problem ? ` (${result.problem})` : ""}. ` +
          `Call one of ${verifierNames} before answering, or add {"route": "${route}", "exports": ["${handler}"], "reason": "…"} to the public list`,
      });
    }
  }
  for (const entry of publicRoutes) {
    if (!used.has(entry)) {
      listProblems.push(
        `public list: "${entry.route}" (${entry.exports.join(", ")}) matches no unauthenticated handler: remove it`,
      );
    }
  }
  const ok = findings.every((finding) => finding.ok) && listProblems.length === 0;
  return { findings, listProblems, ok };
}

/** The committed public list (tools/security/public-routes.json). */
export function readPublicRoutes(file: string): PublicRoute[] {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { routes?: PublicRoute[] };
  if (!Array.isArray(parsed.routes)) throw new Error(`${file}: expected {"routes": [...]}`);
  return parsed.routes;
}
