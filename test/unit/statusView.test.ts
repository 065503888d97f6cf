// Issue 19 #8: the status-bar item shows what only this extension knows, with a plain accessible label.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { statusView, type AuditState, type StatusFacts } from '../../src/shared/statusView';

const last = { files: 876, skipped: 53, agentFailures: 0, durationMs: 7_400, cancelled: false, cacheHits: 10, cacheLookups: 20 };
const quiet: StatusFacts = { openBreakers: [], skipped: 0 };

describe('#8 the status bar', () => {
  test('shows the workspace grade and score, never problem counts', { timeout: 10_000 }, () => {
    const view = statusView({ kind: 'done', last }, { ...quiet, grade: { score: 84, grade: 'B' } });
    assert.equal(view.text, '$(checklist) B 84');
    assert.equal(view.accessibleLabel, 'Maintenance Team: workspace grade B, score 84 of 100');
    assert.doesNotMatch(view.text, /\$\((error|warning|info)\)/);
    assert.equal(view.background, undefined);
  });

  test('shows an audit in progress with done/total', { timeout: 10_000 }, () => {
    const view = statusView({ kind: 'running', done: 120, total: 876 }, quiet);
    assert.equal(view.text, '$(sync~spin) Auditing 120/876');
    assert.equal(view.accessibleLabel, 'Maintenance Team: auditing, 120 of 876 files done');
    assert.equal(statusView({ kind: 'running', done: 0, total: 0 }, quiet).text, '$(sync~spin) Auditing 0/…');
  });

  test('shows open breakers and skipped files, and links the skipped files', { timeout: 10_000 }, () => {
    const view = statusView({ kind: 'done', last }, { grade: { score: 91, grade: 'A' }, openBreakers: ['imports', 'security'], skipped: 53 });
    assert.equal(view.text, '$(checklist) A 91 $(debug-disconnect) 2 $(eye-closed) 53');
    assert.equal(view.accessibleLabel,
      'Maintenance Team: workspace grade A, score 91 of 100; 2 circuit breakers open (imports, security); 53 files skipped');
    assert.equal(view.background, 'warning');
    assert.equal(view.linkSkipped, true);
    assert.ok(view.tooltipLines.some((l) => /Circuit open: imports, security/.test(l)));
    assert.equal(statusView({ kind: 'done', last }, quiet).linkSkipped, false);
  });

  test('every state\'s accessible label is plain text: no codicon, Markdown link or HTML entity', { timeout: 10_000 }, () => {
    const states: AuditState[] = [
      { kind: 'idle' }, { kind: 'running', done: 1, total: 2 }, { kind: 'done', last }, { kind: 'done' },
      { kind: 'failed', message: 'engine worker exited with code 1' },
    ];
    const facts: StatusFacts = { grade: { score: 50, grade: 'F' }, openBreakers: ['x'], skipped: 1, sharedCacheDown: 'ECONNREFUSED' };
    for (const state of states) {
      for (const f of [quiet, facts]) {
        const { accessibleLabel } = statusView(state, f);
        assert.doesNotMatch(accessibleLabel, /\$\(|\]\(|&[a-z]+;|command:/, `${state.kind}: ${accessibleLabel}`);
        assert.match(accessibleLabel, /^Maintenance Team: \S/);
      }
    }
    assert.equal(statusView({ kind: 'failed', message: 'boom' }, quiet).background, 'error');
  });
});
