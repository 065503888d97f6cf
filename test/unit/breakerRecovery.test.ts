// Issue 19 #9: when a circuit breaker closes, the files audited without its agent are found from their results.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { AgentFailure, FileResult } from '../../src/core/model';
import { closedBreakers, filesAuditedWithout } from '../../src/shared/breakerRecovery';

const result = (path: string, failures: AgentFailure[]): { uri: string; result: FileResult } => ({
  uri: `file:///ws/${path}`,
  result: { path, contentHash: 'h', findings: [], failures, score: 100, grade: 'A', fromCache: false },
});

describe('#9 re-audit when a breaker closes', () => {
  test('a breaker that was open or half-open and is closed now is a closing; others are not', { timeout: 10_000 }, () => {
    assert.deepEqual(closedBreakers({ a: 'open', b: 'halfOpen', c: 'closed', d: 'open' }, { a: 'closed', b: 'closed', c: 'closed', d: 'open' }), ['a', 'b']);
    assert.deepEqual(closedBreakers({}, { a: 'closed' }), []);
    // An agent gone from the metrics (the team was reconfigured) no longer refuses anything.
    assert.deepEqual(closedBreakers({ gone: 'open' }, {}), ['gone']);
  });

  test('the files audited without one of the agents, whatever the failure, but not when the file caused it', { timeout: 10_000 }, () => {
    const files = [
      result('open.ts', [{ agent: 'imports', message: 'circuit open', kind: 'circuit-open' }]),
      result('threw.ts', [{ agent: 'imports', message: 'boom', kind: 'threw' }]),
      result('other.ts', [{ agent: 'security', message: 'circuit open', kind: 'circuit-open' }]),
      result('deep.ts', [{ agent: 'imports', message: 'stack', kind: 'too-deep' }]),
      result('clean.ts', []),
    ];
    assert.deepEqual(filesAuditedWithout(files, new Set(['imports'])), ['file:///ws/open.ts', 'file:///ws/threw.ts']);
    assert.deepEqual(filesAuditedWithout(files, 'all'), ['file:///ws/open.ts', 'file:///ws/threw.ts', 'file:///ws/other.ts']);
  });
});
