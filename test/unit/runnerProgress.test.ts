import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Progress, PROGRESS_BYTES } from '../../src/core/runner/protocol';

test('progress: what the worker writes is what the main side reads, the start time included', () => {
  const buffer = new SharedArrayBuffer(PROGRESS_BYTES);
  const writer = new Progress(buffer);
  const reader = new Progress(buffer);
  assert.deepEqual(reader.read(), { runId: 0, index: 0, startedAt: 0 });
  const before = performance.timeOrigin + performance.now();
  writer.write(7, 3);
  const reading = reader.read();
  assert.equal(reading.runId, 7);
  assert.equal(reading.index, 3);
  assert.ok(reading.startedAt >= before && reading.startedAt <= performance.timeOrigin + performance.now());
  writer.write(7, -1);
  assert.deepEqual([reader.read().runId, reader.read().index], [7, -1]);
});

test('progress: a write the worker never finished (stopped mid-way) reads as between agents, without hanging', () => {
  const buffer = new SharedArrayBuffer(PROGRESS_BYTES);
  new Progress(buffer).write(4, 2);
  Atomics.add(new Int32Array(buffer, 0, 1), 0, 1); // the sequence left odd, as by a write cut short
  assert.deepEqual([new Progress(buffer).read().runId, new Progress(buffer).read().index], [4, -1]);
});
