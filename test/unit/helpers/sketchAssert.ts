import assert from 'node:assert/strict';
import { SKETCH_ALPHA } from '../../../src/core/metrics/sketch';

/** `actual` within the sketches' relative accuracy (5 %) of `expected`: a percentile read from a sketch. */
export function assertNear(actual: number, expected: number, what = 'value'): void {
  assert.ok(Math.abs(actual / expected - 1) <= SKETCH_ALPHA, `${what} ${actual} is not within ${SKETCH_ALPHA * 100} % of ${expected}`);
}
