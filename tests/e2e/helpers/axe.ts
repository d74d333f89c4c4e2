// Accessibility scans for the browser tests: axe-core on the page as it is now (a state that matters, not only
// the first paint). A serious or critical violation fails the test with a readable list. The scan is a soft
// assertion: one run reports every scanned state's violations, and the test still fails at its end.
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;
type Violation = AxeResults["violations"][number];
type FrameSelector = Parameters<AxeBuilder["include"]>[0];

// WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const FAILING = new Set(["serious", "critical"]);
const IMPACTS = ["critical", "serious", "moderate", "minor"] as const;

export const PHONE = { width: 390, height: 844 };

export type AxeScope = {
  /** What to scan: a selector, or a path of selectors through frames (axe's frame selector). */
  include?: FrameSelector;
  /** Exact selectors left out, each with why (markup the project cannot change). */
  exclude?: { selector: FrameSelector; why: string }[];
};

/** The embedded app's own document, inside the (emulated) admin's frame: the admin around it is Shopify's. */
export const embeddedApp: AxeScope = { include: ['iframe[name="app-iframe"]', "html"] };

/** The chat widget alone: the storefront around it is the merchant's theme. */
export const chatWidget: AxeScope = { include: "#aisle-chat-root" };

const MAX_NODES = 8;

function describe(violation: Violation): string {
  const nodes = violation.nodes.slice(0, MAX_NODES).map((node) => {
    const summary = node.failureSummary ? `\n        ${node.failureSummary.replace(/\s*\n\s*/g, " ")}` : "";
    return `      ${JSON.stringify(node.target)}${summary}`;
  });
  if (violation.nodes.length > MAX_NODES) nodes.push(`      … and ${violation.nodes.length - MAX_NODES} more`);
  return [`  ${violation.id} (${violation.impact}): ${violation.help}`, `    ${violation.helpUrl}`, ...nodes].join(
    "\n",
  );
}

/**
 * Scans the page with axe-core and fails (softly) on any serious or critical violation, listing rule, impact,
 * targets and help page. `state` names the screen and state in the report, e.g. "overview, phone".
 */
export async function expectAccessible(page: Page, state: string, scope: AxeScope = {}): Promise<AxeResults> {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (scope.include) builder = builder.include(scope.include);
  for (const { selector } of scope.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const counts = IMPACTS.map(
    (impact) => `${impact} ${results.violations.filter((violation) => violation.impact === impact).length}`,
  ).join(", ");
  const summary = `${state}: ${results.violations.length} violated rules (${counts}); ${results.passes.length} passed`;
  test.info().annotations.push({ type: "axe", description: summary });
  if (process.env.AXE_SUMMARY) console.log(`axe ${summary}\n${results.violations.map(describe).join("\n")}`);
  await test.info().attach(`axe ${state}`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: "application/json",
  });
  const failing = results.violations.filter((violation) => FAILING.has(violation.impact ?? ""));
  expect.soft(failing.map(describe).join("\n"), `axe-core on ${state}: serious or critical violations`).toBe("");
  return results;
}

/**
 * The same state at the page's current (desktop) size and on a phone's width, then back: layouts that
 * collapse on a phone (stacked tables, hidden columns, full-screen panels) are scanned as a phone shows them.
 */
export async function expectAccessibleOnDesktopAndPhone(page: Page, state: string, scope: AxeScope = {}) {
  const desktop = page.viewportSize();
  await expectAccessible(page, `${state}, desktop`, scope);
  await page.setViewportSize(PHONE);
  try {
    await expectAccessible(page, `${state}, phone`, scope);
  } finally {
    if (desktop) await page.setViewportSize(desktop);
  }
}
