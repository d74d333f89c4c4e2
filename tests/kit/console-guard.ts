// Fails a test that calls console.error unless it declared the error expected (`expectConsoleError`).
// The app logs through pino, so a console.error in a test run is a library, React or emulator error that
// would otherwise scroll by unread. Registered for every Vitest file by `setupFiles` in vitest.config.ts.
import { format } from "node:util";
import { afterAll, afterEach, beforeEach } from "vitest";

interface Expectation {
  pattern: RegExp;
  /** "test": declared inside a test and must be logged by it; "file": declared outside any test. */
  scope: "test" | "file";
  seen: number;
}

interface GuardState {
  inTest: boolean;
  expected: Expectation[];
  /** Unexpected calls since the current test began (or since the last test ended). */
  unexpected: string[];
  /** Unexpected calls made outside tests (imports, beforeAll, afterAll, late async work). */
  outside: string[];
}

// One guard per worker even if this module is evaluated twice (setup file and a test's import).
const KEY = Symbol.for("aisle.tests.consoleGuard");
const slot = globalThis as typeof globalThis & { [KEY]?: GuardState };
const guard: GuardState = (slot[KEY] ??= install());

function install(): GuardState {
  const state: GuardState = { inTest: false, expected: [], unexpected: [], outside: [] };
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const message = format(...args);
    const expectation = state.expected.find((candidate) => candidate.pattern.test(message));
    if (expectation) {
      expectation.seen++;
      return;
    }
    state.unexpected.push(message);
    original(...args);
  };
  return state;
}

/**
 * Declares console.error calls matching `pattern` expected, and keeps them out of the output. Called in a
 * test (or its beforeEach), it covers that test, which must then log such an error; called outside tests
 * (describe body, beforeAll), it covers the whole file.
 */
export function expectConsoleError(pattern: RegExp): void {
  guard.expected.push({ pattern, scope: guard.inTest ? "test" : "file", seen: 0 });
}

const report = (calls: string[]) => calls.map((call, i) => `  ${i + 1}. ${call.split("\n")[0]}`).join("\n");
const HINT = "(declare an expected one with expectConsoleError(/pattern/) from tests/kit/console-guard)";

beforeEach(() => {
  guard.outside.push(...guard.unexpected.splice(0));
  guard.inTest = true;
});

afterEach(() => {
  guard.inTest = false;
  const unexpected = guard.unexpected.splice(0);
  const missing = guard.expected.filter((expectation) => expectation.scope === "test" && expectation.seen === 0);
  guard.expected = guard.expected.filter((expectation) => expectation.scope === "file");
  const problems: string[] = [];
  if (unexpected.length)
    problems.push(`console.error was called ${unexpected.length}× ${HINT}:\n${report(unexpected)}`);
  if (missing.length)
    problems.push(`expected console.error never came: ${missing.map((expectation) => expectation.pattern).join(", ")}`);
  if (problems.length) throw new Error(problems.join("\n"));
});

afterAll(() => {
  const outside = [...guard.outside.splice(0), ...guard.unexpected.splice(0)];
  guard.expected = [];
  if (outside.length)
    throw new Error(`console.error was called ${outside.length}× outside any test ${HINT}:\n${report(outside)}`);
});
