import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent, AgentInput } from '../../src/core/agent';
import { parseArgs, USAGE, type AuditCommand } from '../../src/cli/args';
import { InOrder, liveOutput } from '../../src/cli/liveReport';
import { main, type MainOptions } from '../../src/cli/main';
import { MessageStream, ProgressDisplay, progressLine } from '../../src/cli/progress';
import type { Finding } from '../../src/core/model';
import { LineIndex } from '../../src/core/text';
import { tree } from './helpers/cli';

/** Fake agent: one warning on the first line of every file, naming it. */
const firstLine: Agent = {
  id: 'first', version: '1', appliesTo: () => true,
  run(input: AgentInput): Finding[] {
    const index = new LineIndex(input.text);
    return [{ agent: 'first', rule: 'first/line', severity: 'warning', message: `first line of ${input.path}`, range: index.rangeOf(0, 1) }];
  },
};

/** `firstLine`, but `b.ts` finishes only once `gate` resolves: files then finish out of order. */
function gatedAgent(gate: Promise<void>): Agent {
  return { ...firstLine, async run(input, signal) {
    if (input.path === 'b.ts') await Promise.race([gate, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
    return firstLine.run(input, signal);
  } };
}

interface Written { readonly stream: 'stdout' | 'stderr'; readonly chunk: string }

/** Runs the CLI in-process with streams that say whether they are a terminal, logging every write in order. */
async function runOn(
  argv: string[], cwd: string, tty: { stdout: boolean; stderr: boolean }, options: MainOptions & { env?: Record<string, string>; onStderr?: (chunk: string) => void } = {},
): Promise<{ code: number; log: Written[]; stdout: string; stderr: string }> {
  const log: Written[] = [];
  let clock = 0;
  const code = await main(argv, {
    stdout: { write: (chunk: string) => log.push({ stream: 'stdout', chunk }), isTTY: tty.stdout },
    stderr: { write: (chunk: string) => { log.push({ stream: 'stderr', chunk }); options.onStderr?.(chunk); }, isTTY: tty.stderr },
    cwd,
    env: options.env ?? {},
  }, { inThread: true, agents: () => [firstLine], now: () => (clock += 1000), ...options });
  const text = (stream: Written['stream']) => log.filter((w) => w.stream === stream).map((w) => w.chunk).join('');
  return { code, log, stdout: text('stdout'), stderr: text('stderr') };
}

/** What a terminal shows after these writes: `\r` returns to the line's start, characters overwrite. */
function screen(chunks: readonly string[]): string {
  const lines: string[][] = [[]];
  let column = 0;
  for (const char of chunks.join('')) {
    const line = lines[lines.length - 1];
    if (char === '\n') {
      lines.push([]);
      column = 0;
    } else if (char === '\r') column = 0;
    else line[column++] = char;
  }
  return lines.map((l) => l.join('').trimEnd()).join('\n');
}

// eslint-disable-next-line no-control-regex -- the colours are what is looked for
const ANSI = /\u001b\[[0-9;]*m/g;
const withoutDuration = (report: string) => report.replace(/ · \d+ ms\n/, ' · N ms\n');

describe('#3 progress line: the text (pure)', () => {
  it('says files done of total, the rate and the time left', () => {
    assert.equal(progressLine({ done: 1234, total: 3600, perSecond: 512 }), 'auditing 1234 of 3600 files (34 %) · 512 files/s · 5 s left');
    assert.equal(progressLine({ done: 3, total: 3600, perSecond: 3 }), 'auditing 3 of 3600 files (0 %) · 3.0 files/s · 19 min 59 s left');
    assert.equal(progressLine({ done: 10, total: 100_000, perSecond: 10 }), 'auditing 10 of 100000 files (0 %) · 10 files/s · 2 h 46 min left');
  });

  it('gives counts only until a rate is measured, and no time left at the end', () => {
    assert.equal(progressLine({ done: 50, total: 100 }), 'auditing 50 of 100 files (50 %)');
    assert.equal(progressLine({ done: 50, total: 100, perSecond: 0 }), 'auditing 50 of 100 files (50 %)');
    assert.equal(progressLine({ done: 100, total: 100, perSecond: 50 }), 'auditing 100 of 100 files (100 %) · 50 files/s');
    assert.equal(progressLine({ done: 1, total: 1 }), 'auditing 1 of 1 file (100 %)');
  });
});

describe('#3 progress line: redraws on a stream (injected clock)', () => {
  const display = (start = 0) => {
    let now = start;
    const writes: string[] = [];
    const progress = new ProgressDisplay({ write: (chunk: string) => writes.push(chunk) }, { now: () => now, intervalMs: 200 });
    return { progress, writes, at: (ms: number) => (now = ms) };
  };

  it('draws nothing in the first interval, then at most once per interval, the rate measured from the first file', () => {
    const { progress, writes, at } = display();
    at(150);
    progress.update(1, 10);
    assert.deepEqual(writes, [], 'a quick audit never flashes a line');
    at(200);
    progress.update(2, 10);
    at(399);
    progress.update(3, 10);
    at(700);
    progress.update(9, 10);
    // 8 files in the 550 ms since the first: start-up (the first 150 ms) is not in the rate.
    assert.deepEqual(writes, ['\rauditing 2 of 10 files (20 %)', '\rauditing 9 of 10 files (90 %) · 15 files/s · 1 s left']);
  });

  it('pads over a longer line, and clears to an empty line at the end', () => {
    const { progress, writes, at } = display();
    at(100);
    progress.update(5, 100);
    at(1100);
    progress.update(15, 100);
    at(2100);
    progress.update(100, 100);
    progress.clear();
    progress.clear();
    const long = 'auditing 15 of 100 files (15 %) · 10 files/s · 9 s left';
    const short = 'auditing 100 of 100 files (100 %) · 48 files/s';
    assert.deepEqual(writes, [`\r${long}`, `\r${short}${' '.repeat(long.length - short.length)}`, `\r${' '.repeat(short.length)}\r`]);
  });

  it('takes the line off around other output and puts it back', () => {
    const { progress, writes, at } = display();
    progress.around(() => writes.push('finding\n'));
    assert.deepEqual(writes, ['finding\n'], 'nothing to take off before the first draw');
    at(300);
    progress.update(1, 2);
    progress.around(() => writes.push('finding\n'));
    assert.deepEqual(writes.slice(1), ['\rauditing 1 of 2 files (50 %)', `\r${' '.repeat(28)}\r`, 'finding\n', '\rauditing 1 of 2 files (50 %)']);
  });
});

describe('#3 progress line: fits the terminal', () => {
  it('is cut to the width of the terminal, so that it never wraps', () => {
    const writes: string[] = [];
    let now = 0;
    const progress = new ProgressDisplay({ write: (chunk: string) => writes.push(chunk), columns: 20 }, { now: () => now });
    now = 1000;
    progress.update(1, 2);
    progress.clear();
    assert.deepEqual(writes, ['\rauditing 1 of 2 fil', `\r${' '.repeat(19)}\r`]);
  });
});

describe('#3 messages and the progress line', () => {
  it('a message written mid-audit (a cache warning) takes the line off and puts it back; after the audit, nothing to do', () => {
    const chunks: string[] = [];
    const terminal = { write: (chunk: string) => chunks.push(chunk), isTTY: true };
    const messages = new MessageStream(terminal);
    let now = 0;
    const io = { stdout: { write: () => true }, stderr: messages, cwd: '/' };
    const live = liveOutput(parseArgs(['audit', '.']) as AuditCommand, io, [], { terminal, messages, color: false, now: () => (now += 1000) });
    live.hooks.onProgress?.(1, 2);
    messages.write('maintenance-team: warning: the cache could not be read\n');
    assert.equal(screen(chunks), 'maintenance-team: warning: the cache could not be read\nauditing 1 of 2 files (50 %)');
    live.stop();
    messages.write('after\n');
    assert.equal(screen(chunks), 'maintenance-team: warning: the cache could not be read\nafter\n');
  });
});

describe('#3 reorder buffer', () => {
  it('releases each value once every key before it is done, in sorted order', () => {
    const order = new InOrder<string>(['c', 'a', 'b', 'd']);
    assert.deepEqual(order.done('b', 'B'), []);
    assert.deepEqual(order.done('a', 'A'), ['A', 'B']);
    assert.deepEqual(order.done('d', 'D'), []);
    assert.deepEqual(order.done('c'), ['D'], 'a key without a value lets the next ones go');
  });
});

describe('#3 --progress / --no-progress', () => {
  it('is only in the command when given, the last one winning; takes no value', () => {
    assert.equal('progress' in (parseArgs(['audit', '.']) as AuditCommand), false);
    assert.equal((parseArgs(['audit', '.', '--progress']) as AuditCommand).progress, true);
    assert.equal((parseArgs(['audit', '.', '--progress', '--no-progress']) as AuditCommand).progress, false);
    assert.deepEqual(parseArgs(['audit', '.', '--progress=yes']), { kind: 'usage-error', message: '--progress takes no value' });
    assert.match(USAGE, /--progress, --no-progress/);
  });
});

describe('#3 progress on a terminal', () => {
  const files = { 'a.ts': 'const a = 1;\n', 'b.ts': 'const b = 1;\n', 'c.ts': 'const c = 1;\n' };

  it('shows files done of total on a terminal stderr, and leaves nothing on screen', { timeout: 30_000 }, async () => {
    const root = tree(files);
    const { code, stderr, log } = await runOn(['audit', '.', '--no-cache', '--format', 'json'], root, { stdout: false, stderr: true });
    assert.equal(code, 0);
    assert.match(stderr, /\rauditing 3 of 3 files \(100 %\) · 1\.0 files\/s/);
    assert.equal(screen(log.filter((w) => w.stream === 'stderr').map((w) => w.chunk)), '', 'cleared at the end');
  });

  it('never writes to a stderr that is not a terminal, unless --progress; --no-progress silences a terminal', { timeout: 30_000 }, async () => {
    const root = tree(files);
    const argv = ['audit', '.', '--no-cache', '--format', 'json'];
    assert.equal((await runOn(argv, root, { stdout: false, stderr: false })).stderr, '');
    assert.equal((await runOn([...argv, '--no-progress'], root, { stdout: true, stderr: true })).stderr, '');
    assert.match((await runOn([...argv, '--progress'], root, { stdout: false, stderr: false })).stderr, /\rauditing 3 of 3 files/);
    assert.equal((await runOn([...argv, '--progress', '--no-progress'], root, { stdout: false, stderr: true })).stderr, '', 'the last one wins');
  });
});

describe('#3 the text report on a terminal, file by file', () => {
  const files = { 'a.ts': 'const a = 1;\n', 'b.ts': 'const b = 1;\n', 'c.ts': 'const c = 1;\n', 'd.png': new Uint8Array([0x89, 0, 0, 0]) };

  it('prints each file as soon as the files before it are done, in the final order, the same bytes in the end', { timeout: 30_000 }, async () => {
    const root = tree(files);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const argv = ['audit', '.', '--no-cache', '--concurrency', '4'];
    // b.ts waits until the 3 other files are done: a's lines must be out by then, c's must wait for b's.
    const streamed = await runOn(argv, root, { stdout: true, stderr: true }, {
      agents: () => [gatedAgent(gate)], env: { NO_COLOR: '1' }, onStderr: (chunk) => chunk.includes('auditing 3 of 4') && open(),
    });
    const at = (pattern: string) => streamed.log.findIndex((w) => w.chunk.includes(pattern));
    assert.ok(at('a.ts:1:1') < at('auditing 3 of 4'), 'a.ts is printed while b.ts is still audited');
    assert.ok(at('c.ts:1:1') > at('auditing 3 of 4'), 'c.ts, done before b.ts, waits for it');
    const position = (text: string) => streamed.stdout.indexOf(text);
    assert.ok(position('a.ts:1:1') < position('b.ts:1:1') && position('b.ts:1:1') < position('c.ts:1:1'));
    assert.ok(at('c.ts:1:1') < at('problems'), 'the summary comes last');
    const whole = await runOn(argv, root, { stdout: false, stderr: false });
    assert.equal(withoutDuration(streamed.stdout), withoutDuration(whole.stdout));
    const sameDuration = whole.stdout.replace(/ · \d+ ms\n/, streamed.stdout.match(/ · \d+ ms\n/)![0]);
    assert.equal(screen(streamed.log.map((w) => w.chunk)), screen([sameDuration]), 'the progress line never mixes with a report line');
  });

  it('keeps the colours of the whole report', { timeout: 30_000 }, async () => {
    const root = tree(files);
    const argv = ['audit', '.', '--no-cache', '--no-progress', '--concurrency', '1'];
    const streamed = await runOn(argv, root, { stdout: true, stderr: true });
    assert.match(streamed.stdout, ANSI);
    assert.ok(streamed.log.filter((w) => w.stream === 'stdout').length > 2, 'printed in pieces');
    const whole = await runOn(argv, root, { stdout: false, stderr: false });
    assert.equal(withoutDuration(streamed.stdout.replace(ANSI, '')), withoutDuration(whole.stdout));
  });

  it('prints the whole report at the end for a pipe, a file, a non-text format or --fix', { timeout: 30_000 }, async () => {
    const root = tree(files);
    for (const extra of [[], ['--format', 'markdown'], ['--fix']]) {
      const tty = extra.length > 0;
      const { log } = await runOn(['audit', '.', '--no-cache', '--no-progress', ...extra], root, { stdout: tty, stderr: false });
      assert.equal(log.filter((w) => w.stream === 'stdout').length, 1, extra.join(' '));
    }
  });
});
