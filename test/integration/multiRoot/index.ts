// The multi-root session's entry (scripts/run-vscode-tests.js opens test/fixtures/multiRoot/multi-root.code-workspace
// in a second extension host: a session cannot switch from one folder to a multi-root workspace without restarting).
import { runSuitesIn } from '../index';

/** Runs the suites of this folder. */
export function run(): Promise<void> {
  return runSuitesIn(__dirname);
}
