/**
 * A vitest reporter that ends the run with one plain line, `Tests: N passed, N failed`,
 * which CI reads to count tests (vitest's own summary uses another shape).
 */
import type { Reporter, TestModule } from 'vitest/node';

/** Prints `Tests: <passed> passed, <failed> failed[, <skipped> skipped]` after every run. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A module that failed to load has no tests but must still count as a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
