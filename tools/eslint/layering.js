// Project ESLint rules for the app's layering (docs/decisions/092-composition-root.md).
import path from "node:path";

const APP = path.resolve("app");
const LIB = path.join(APP, "lib");

/** app/lib is the product's library: it never imports the app shell (routes, *.server.ts roots, components). */
const libStaysInLib = {
  meta: {
    type: "problem",
    docs: { description: "modules under app/lib import nothing from app/ outside app/lib" },
    messages: {
      reachesUp:
        "app/lib must not import '{{source}}' (outside app/lib): take what it needs as a parameter; the composition root (app/services.server.ts) wires it.",
    },
    schema: [],
  },
  create(context) {
    const file = path.resolve(context.filename);
    if (!file.startsWith(LIB + path.sep)) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const target = path.resolve(path.dirname(file), source);
      const inApp = target === APP || target.startsWith(APP + path.sep);
      const inLib = target === LIB || target.startsWith(LIB + path.sep);
      if (inApp && !inLib) context.report({ node: node.source, messageId: "reachesUp", data: { source } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { "lib-stays-in-lib": libStaysInLib } };
