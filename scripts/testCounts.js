// Counts of a node:test run from its TAP output, for scripts/test-all.js's summary. Pure: text in, counts out.
'use strict';

const SKIP_LINE = /^(\s*)ok \d+ - (.*?) # SKIP(?: (.*))?$/;

/**
 * Passed, failed and skipped tests of a node:test TAP report; null if the run never printed its summary.
 * node:test's own `# skipped` line counts tests only: a suite skipped as a whole (`describe(..., { skip })`) runs
 * none of its tests and adds nothing to it, so such a suite counts here as one skipped test. `skipReasons` holds
 * each distinct reason given (`name: reason`), so the summary can say what did not run and why.
 * @returns {{ passed: number, failed: number, skipped: number, skipReasons: string[] } | null}
 */
function countTap(tap) {
  const last = (key) => {
    const m = [...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop();
    return m ? Number(m[1]) : null;
  };
  const pass = last('pass');
  const fail = last('fail');
  if (pass === null || fail === null) return null;
  const { suites, reasons } = skippedEntries(tap.split('\n'));
  return {
    passed: pass,
    failed: fail + (last('cancelled') ?? 0),
    skipped: (last('skipped') ?? 0) + (last('todo') ?? 0) + suites,
    skipReasons: reasons,
  };
}

/** Skipped suites (their `ok … # SKIP` line is followed by a YAML block with `type: 'suite'`) and skip reasons. */
function skippedEntries(lines) {
  let suites = 0;
  const reasons = new Set();
  lines.forEach((line, i) => {
    const m = SKIP_LINE.exec(line);
    if (!m) return;
    reasons.add(m[3] ? `${m[2]}: ${m[3]}` : m[2]);
    for (let j = i + 1; j < lines.length && lines[j].trim() !== '...'; j++) {
      if (lines[j].trim() === "type: 'suite'") { suites++; break; }
    }
  });
  return { suites, reasons: [...reasons] };
}

module.exports = { countTap };
