// Adds up the Vitest and Playwright JSON reports into one closing line for CI, preceded by every failure's
// name and an excerpt of its error (first and last lines), so a failure is readable from the tail of the log alone.
import { existsSync, readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

// The first lines name the assertion and where it failed; the last ones carry a process's dying words
// (a server's output ends with why it exited). Short enough for a CI tail.
const errorExcerpt = (message) => {
  const lines = stripVTControlCharacters(String(message ?? ""))
    .split("\n")
    .filter((line) => line.trim() !== "" && !/node_modules|<anonymous>/.test(line));
  const kept = lines.length > 12 ? [...lines.slice(0, 6), "…", ...lines.slice(-6)] : lines;
  return kept.map((line) => `    ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`).join("\n");
};

if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failedTests) {
      failures.push(`✗ ${file.name} > ${test.fullName}\n${errorExcerpt(test.failureMessages?.join("\n"))}`);
    }
    if (file.status === "failed" && failedTests.length === 0) {
      failed += 1;
      failures.push(`✗ ${file.name} (the file failed outside its tests)\n${errorExcerpt(file.message)}`);
    }
  }
} else {
  failed += 1;
  console.log("vitest wrote no report");
}

function playwrightFailures(suite, titles) {
  const path = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status !== "unexpected") continue;
      const last = test.results?.at(-1);
      failures.push(`✗ ${[...path, spec.title].join(" › ")}\n${errorExcerpt(last?.error?.message)}`);
    }
  }
  for (const child of suite.suites ?? []) playwrightFailures(child, path);
}

if (existsSync(playwrightFile)) {
  const report = JSON.parse(readFileSync(playwrightFile, "utf8"));
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
  skipped += report.stats.skipped;
  for (const suite of report.suites ?? []) playwrightFailures(suite, []);
} else {
  failed += 1;
  console.log("playwright wrote no report");
}
if (failures.length > 0) console.log(`Failures:\n${failures.join("\n")}`);
console.log(`Summary: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
