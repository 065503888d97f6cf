import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BURST_QUIET_MS, EditBurst, type TextChange } from '../../src/fixes/editBurst';

/** A burst on a fake clock, and a helper typing `text` at `at` (an insertion). */
function setup() {
  let now = 1_000;
  const burst = new EditBurst(() => now);
  return {
    burst,
    advance: (ms: number) => { now += ms; },
    type: (at: number, text: string) => burst.record([{ start: at, end: at, text }]),
  };
}

test('typed text is a span that follows edits before it and shrinks when part of it is deleted', () => {
  const { burst, type } = setup();
  type(10, 'import x;\n');
  assert.deepEqual(burst.current(), [{ start: 10, end: 20 }]);
  burst.record([{ start: 0, end: 4, text: '' }]); // 4 characters deleted before it (not typed text: no new span)
  assert.deepEqual(burst.current(), [{ start: 6, end: 16 }]);
  burst.record([{ start: 8, end: 12, text: '' }]); // part of the typed text deleted
  assert.deepEqual(burst.current(), [{ start: 6, end: 12 }]);
});

test('keystrokes typed one after another make one span; a replacement inside it stays in it', () => {
  const { burst, type } = setup();
  for (const [i, c] of [...'abc'].entries()) type(5 + i, c);
  burst.record([{ start: 6, end: 7, text: 'XY' }]);
  assert.deepEqual(burst.current(), [{ start: 5, end: 9 }]);
});

test('the changes of one event refer to the text before it (multi-cursor typing)', () => {
  const { burst } = setup();
  const changes: TextChange[] = [{ start: 2, end: 2, text: 'aa' }, { start: 10, end: 10, text: 'bbb' }];
  burst.record(changes);
  assert.deepEqual(burst.current(), [{ start: 2, end: 4 }, { start: 12, end: 15 }]);
});

test('unsaved typing stays in the burst however long ago it was typed', () => {
  const { burst, type, advance } = setup();
  type(0, 'import y;\n');
  advance(10 * BURST_QUIET_MS);
  assert.deepEqual(burst.current(), [{ start: 0, end: 10 }]);
});

test('after a save, typed text stays in the burst while typing goes on, and leaves it after a pause', () => {
  const { burst, type, advance } = setup();
  type(0, 'import y;\n');
  burst.saved(); // auto-save a moment later
  advance(BURST_QUIET_MS - 1);
  assert.deepEqual(burst.current(), [{ start: 0, end: 10 }], 'still typing: the import is protected');
  type(50, 'z');
  advance(BURST_QUIET_MS - 1);
  assert.equal(burst.current().length, 2, 'each edit keeps the run going');
  advance(2);
  assert.deepEqual(burst.current(), [{ start: 50, end: 51 }], 'the pause ended the run: only unsaved typing is left');
  burst.saved();
  assert.deepEqual(burst.current(), []);
});

test('a new run after a pause does not bring back text saved before it', () => {
  const { burst, type, advance } = setup();
  type(0, 'old;\n');
  burst.saved();
  advance(BURST_QUIET_MS + 1);
  type(20, 'new');
  assert.deepEqual(burst.current(), [{ start: 20, end: 23 }]);
});
