/**
 * BENCH_PROFILE=1: a CPU profile of one piece of work on this thread (node's inspector, as `--cpu-prof` takes it),
 * written as a .cpuprofile (open it in Chrome DevTools or VS Code), and its top functions by self time.
 */
import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { basename } from 'node:path';

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** Profiles `work` (sampling every 500 µs) and writes the profile to `file`. */
export async function profile<T>(file: string, work: () => Promise<T>): Promise<{ value: T; profile: Profiler.Profile }> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
    await post(session, 'Profiler.start');
    const value = await work();
    const { profile: taken } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
    writeFileSync(file, JSON.stringify(taken));
    return { value, profile: taken };
  } finally {
    session.disconnect();
  }
}

/** One function's share of a profile. */
export interface HotSpot {
  /** `function@file` (`:line` for JavaScript files) or a file; files by base name (packages keep their name). */
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
}

function fileOf(url: string): string {
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return packaged ? `${packaged[1]}/${basename(url)}` : basename(url);
}

type CallFrame = Profiler.ProfileNode['callFrame'];

/** `function@file`, with `:line` for JavaScript files. */
function functionOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  // Lines of .ts files are tsx's transpiled output, not the source's: the function and file say enough.
  return frame.url.endsWith('.ts') ? `${name}@${fileOf(frame.url)}` : `${name}@${fileOf(frame.url)}:${frame.lineNumber + 1}`;
}

/** The file alone: where the time goes by module (the parser, each agent, the runtime). */
function moduleOf(frame: CallFrame): string {
  return frame.url ? fileOf(frame.url) : frame.functionName || '(native)';
}

/** The `count` keys with the most self time (samples × their time deltas), the samples grouped by `keyOf`. */
function selfTimeBy(taken: Profiler.Profile, keyOf: (frame: CallFrame) => string, count: number): HotSpot[] {
  const byNode = new Map(taken.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let total = 0;
  const samples = taken.samples ?? [];
  const deltas = taken.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byNode.get(samples[i]);
    const delta = deltas[i + 1] ?? 0; // a sample's time runs until the next one
    if (!node) continue;
    const key = keyOf(node.callFrame);
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    total += delta;
  }
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, us]) => ({ where, selfMs: us / 1000, selfPct: total ? (us / total) * 100 : 0 }));
}

const IDLE = '(idle)';

/** The `count` functions with the most self time, grouped by function and file; the thread's idle time left out. */
export function hotSpots(taken: Profiler.Profile, count: number): HotSpot[] {
  return selfTimeBy(taken, functionOf, count + 1).filter((h) => h.where !== IDLE).slice(0, count);
}

/** The `count` files (modules) with the most self time; the thread's idle time left out. */
export function hotFiles(taken: Profiler.Profile, count: number): HotSpot[] {
  return selfTimeBy(taken, moduleOf, count + 1).filter((h) => h.where !== IDLE).slice(0, count);
}

/** The share of the profile the thread spent idle (waiting for messages or I/O), %. */
export function idleShare(taken: Profiler.Profile): number {
  return selfTimeBy(taken, moduleOf, Infinity).find((h) => h.where === IDLE)?.selfPct ?? 0;
}
