import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FolderAuditTracker } from '../../src/vscode/folderAudits';

describe('FolderAuditTracker: a configuration change during a workspace audit waits for it', () => {
  it('refreshes at once when no audit runs, after the audit when one does, each folder once', () => {
    const tracker = new FolderAuditTracker();
    assert.equal(tracker.deferred('a'), false);
    tracker.begin();
    assert.equal(tracker.deferred('a'), true);
    assert.equal(tracker.deferred('b'), true);
    assert.equal(tracker.deferred('a'), true);
    assert.deepEqual(tracker.end(), ['a', 'b']);
    assert.equal(tracker.deferred('a'), false);
    assert.deepEqual(tracker.end(), [], 'an unmatched end changes nothing');
  });

  it('with two audits running, refreshes when the last one ends', () => {
    const tracker = new FolderAuditTracker();
    tracker.begin();
    tracker.begin();
    assert.equal(tracker.deferred('a'), true);
    assert.deepEqual(tracker.end(), []);
    assert.equal(tracker.deferred('b'), true);
    assert.deepEqual(tracker.end(), ['a', 'b']);
  });
});
