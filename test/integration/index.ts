// Runs INSIDE the VS Code extension host, loaded by scripts/run-vscode-tests.js as the extensionTestsPath.
// Same contract as @vscode/test-electron: export run(): Promise<void>; a rejection makes the host exit non-zero.
import * as path from 'path';
import * as fs from 'fs';
import * as util from 'util';
import Mocha from 'mocha';

/** Generous: the first test pays for activating the extension and its first whole-workspace audit. */
const TEST_TIMEOUT_MS = 60_000;

// Console lines of a remote extension host reach the outer runner as already-joined strings, so mocha's
// printf-style `%s` arguments would show raw: format them here.
(Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void }).consoleLog =
  (...a: unknown[]) => console.log(util.format(...a));

/** Counts the outer runner reads (mocha's own names) and the skipped tests' titles, written to $VSCODE_TEST_RESULT_FILE. */
interface SuiteCounts { passes: number; failures: number; pending: number; pendingTitles: string[] }

/** Loads every `*.test.js` compiled next to this file and runs them with the tdd ui (suite/test). */
export function run(): Promise<void> {
  return runSuitesIn(__dirname);
}

/** Runs every `*.test.js` of `dir` (not its subfolders: multiRoot/ runs in a session of its own). */
export function runSuitesIn(dir: string): Promise<void> {
  // VSCODE_TEST_GREP (inherited from the runner's environment) runs only the tests whose title matches it.
  const grep = process.env.VSCODE_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: TEST_TIMEOUT_MS, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const pendingTitles: string[] = [];
      const runner = mocha.run((failures: number) => {
        const s = runner.stats;
        const counts: SuiteCounts = { passes: s?.passes ?? 0, failures: s?.failures ?? failures, pending: s?.pending ?? 0, pendingTitles };
        const out = process.env.VSCODE_TEST_RESULT_FILE;   // set by scripts/run-vscode-tests.js
        if (out) fs.writeFileSync(out, JSON.stringify(counts));
        if (failures > 0) reject(new Error(`${failures} tests failed.`));
        else resolve();
      });
      // A skipped test (`test.skip`, `this.skip()`) is named in the summary of `npm test`, not only counted.
      runner.on('pending', (t: Mocha.Test) => pendingTitles.push(t.fullTitle()));
    } catch (e) {
      reject(e);
    }
  });
}
