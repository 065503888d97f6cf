import type { Clock } from '../../../src/core/clock';
import type { Sleep } from '../../../src/core/resilience/retry';
import type { Timer } from '../../../src/core/resilience/timeout';

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  constructor(public time = 0) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** A sleep that returns at once and remembers the delays asked for. */
export function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/** A sleep that never ends by itself: only its signal's abort ends it (rejecting with the reason). */
export function endlessSleep(): { sleep: Sleep; started: Promise<number> } {
  let notify!: (ms: number) => void;
  const started = new Promise<number>((resolve) => (notify = resolve));
  const sleep: Sleep = (ms, signal) => new Promise<void>((_, reject) => {
    notify(ms);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  return { sleep, started };
}

/** A timer whose callbacks run only when the test fires them. */
export class ManualTimer {
  readonly scheduled: { ms: number; callback: () => void; cancelled: boolean }[] = [];

  readonly timer: Timer = (callback, ms) => {
    const entry = { ms, callback, cancelled: false };
    this.scheduled.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };

  /** Runs every callback not cancelled yet. */
  fire(): void {
    for (const entry of this.scheduled) if (!entry.cancelled) entry.callback();
  }
}
