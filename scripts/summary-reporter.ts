import type { Reporter, TestModule } from "vitest/node"

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, so
 * that any tool reading the last line of a run (CI included) sees the counts.
 */
export default class SummaryReporter implements Reporter {
  private line = ""

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
    }
    this.line = `${passed} passed, ${failed} failed, ${skipped} skipped`
    // vitest prints its summary after every reporter's onTestRunEnd returned.
    process.once("beforeExit", () => process.stdout.write(`\n${this.line}\n`))
  }
}
