/**
 * Issue 18, "fail closed" (#5) and "bounded findings" (#13): a file the agents cannot handle, or an agent that
 * fails, never turns into a clean report; a file with a flood of findings never crashes the audit.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Log } from 'sarif';
import type { Agent } from '../../src/core/agent';
import { createTeam } from '../../src/agents/registry';
import { createFaultyAgent } from '../../src/testing/testAgents';
import { runAudit } from '../../src/core/run/coordinator';
import type { FileResult } from '../../src/core/model';
import { BreakerRegistry } from '../../src/core/resilience/breakerRegistry';
import { json, run, tree } from './helpers/cli';

/**
 * 12 KB the TypeScript parser overflows its stack on (issue 18 #5): 3,000 nested parentheses, one per line (on one
 * line the file would be skipped as minified).
 */
const DEEP = `export const u = ${'(\n'.repeat(3000)}1${')\n'.repeat(3000)};\n`;
/** An AWS key id and an eval: two security errors in any file the security agent reads. */
const LEAK = (i: number) => `export const awsKey${i} = 'AKIAQ3EGT5MBXR7P2KW${String.fromCharCode(65 + i)}';\nexport const run${i} = (s: string) => eval(s);\n`;

/** Six deep files first (`a-`), then twenty leaking ones (`z-`): files are audited in path order. */
function deepThenLeaks(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) files[`a-deep-${i}.ts`] = DEEP;
  for (let i = 0; i < 20; i++) files[`z-leak-${String(i).padStart(2, '0')}.ts`] = LEAK(i);
  return tree(files);
}

function rulesOf(file: { findings: readonly { rule: string }[] } | undefined): string[] {
  return (file?.findings ?? []).map((f) => f.rule);
}

describe('#5 fail closed: unparseable files, failed agents', () => {
  it('six deep-nesting files do not silence the agents on twenty files with AWS keys and eval (CLI, defaults)', { timeout: 60_000 }, async () => {
    const root = deepThenLeaks();
    const { code, report } = await json(['audit', root, '--concurrency', '1', '--no-cache'], root);
    assert.equal(code, 1);
    const leaks = report.files.filter((f) => f.path.startsWith('z-leak-'));
    assert.equal(leaks.length, 20);
    for (const file of leaks) {
      assert.ok(rulesOf(file).includes('security/hardcoded-secret'), `${file.path}: ${rulesOf(file).join(', ')}`);
      assert.ok(rulesOf(file).includes('security/eval'), `${file.path}: ${rulesOf(file).join(', ')}`);
      assert.ok(!rulesOf(file).includes('maintenance/agent-failed'), `${file.path}: no agent was skipped`);
    }
    for (const state of Object.values(report.summary.agents)) assert.equal(state.state, 'closed');
  });

  it('the same through the terminable runner threads the CLI uses by default', { timeout: 120_000 }, async () => {
    const root = deepThenLeaks();
    const { code, report } = await json(['audit', root, '--concurrency', '1', '--no-cache'], root, { inThread: false });
    assert.equal(code, 1);
    for (const file of report.files.filter((f) => f.path.startsWith('z-leak-'))) {
      assert.deepEqual(rulesOf(file).filter((r) => r.startsWith('security/')).sort(), ['security/eval', 'security/hardcoded-secret']);
    }
    const deep = report.files.find((f) => f.path === 'a-deep-5.ts');
    assert.deepEqual(rulesOf(deep).filter((r) => r.startsWith('maintenance/')), ['maintenance/parse-failed']);
  });

  it('a deep-nesting file still gets hygiene and the secret scan, and one finding saying why the rest is missing', { timeout: 30_000 }, async () => {
    const text = `const awsKey = 'AKIAQ3EGT5MBXR7P2KWZ';   \n${DEEP}`;
    const breakers = new BreakerRegistry({ failureThreshold: 1, openTimeoutMs: 60_000 });
    const result = await runAudit([{ path: 'deep.ts', absPath: '/nonexistent/deep.ts', text }], {
      root: '/r', agents: createTeam(), concurrency: 1, breakers,
    });
    const [file] = result.files;
    const rules = rulesOf(file);
    assert.ok(rules.includes('hygiene/trailing-whitespace'), rules.join(', '));
    assert.ok(rules.includes('security/hardcoded-secret'), rules.join(', '));
    const parse = file.findings.filter((f) => f.rule === 'maintenance/parse-failed');
    assert.equal(parse.length, 1, rules.join(', '));
    assert.equal(parse[0].severity, 'error');
    assert.match(parse[0].message, /parser failed on this file \(Maximum call stack size exceeded\)/);
    assert.match(parse[0].message, /structure.*complexity|complexity.*structure/);
    assert.ok(!rules.includes('maintenance/agent-failed'), 'a parser failure is the file\'s, not an agent\'s');
    assert.ok(file.score < 90, `score ${file.score}`);
    assert.notEqual(file.grade, 'A');
    // Even with a threshold of one failure, no breaker opened: the parser's failure is not the agents'.
    for (const [id, summary] of Object.entries(result.agents)) {
      assert.equal(summary.failures, 0, id);
      assert.equal(breakers.get(id).state, 'closed', id);
    }
  });

  it('an agent that throws: maintenance/agent-failed in JSON and SARIF, exit 1; --allow-partial exits 0', { timeout: 30_000 }, async () => {
    const root = tree({ 'clean.ts': 'export const clean = 1;\n' });
    const team = { agents: (): Agent[] => [...createTeam(), createFaultyAgent({ kind: 'throw', durationMs: 0 })] };
    const { code, report } = await json(['audit', root, '--no-cache'], root, team);
    assert.equal(code, 1);
    const failed = report.files[0].findings.filter((f) => f.rule === 'maintenance/agent-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].severity, 'error');
    assert.match(failed[0].message, /faulty:throw/);
    assert.match(failed[0].message, /fails on clean\.ts on purpose/);
    assert.ok(report.files[0].score < 90 && report.files[0].grade !== 'A', `score ${report.files[0].score}`);

    const sarif = await run(['audit', root, '--no-cache', '--format', 'sarif'], root, team);
    assert.equal(sarif.code, 1);
    const log = JSON.parse(sarif.stdout) as Log;
    const [sarifRun] = log.runs;
    const results = (sarifRun.results ?? []).filter((r) => r.ruleId === 'maintenance/agent-failed');
    assert.equal(results.length, 1);
    assert.equal(results[0].level, 'error');
    const rule = sarifRun.tool.driver.rules?.find((r) => r.id === 'maintenance/agent-failed');
    assert.ok(rule?.fullDescription?.text, 'the rule has a catalogue entry');

    const text = await run(['audit', root, '--no-cache'], root, team);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /maintenance\/agent-failed/);
    assert.doesNotMatch(text.stdout, /no problems/);
    const markdown = await run(['audit', root, '--no-cache', '--format', 'markdown'], root, team);
    assert.match(markdown.stdout, /maintenance\/agent-failed/);

    const partial = await json(['audit', root, '--no-cache', '--allow-partial'], root, team);
    assert.equal(partial.code, 0);
    assert.equal(partial.report.files[0].findings.filter((f) => f.rule === 'maintenance/agent-failed').length, 1, 'still reported');
  });

  it('an agent skipped because its breaker is open is reported on each file it skipped, and failures are never cached', { timeout: 30_000 }, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`f${i}.ts`] = `export const v${i} = ${i};\n`;
    const root = tree(files);
    const team = { agents: (): Agent[] => [createFaultyAgent({ kind: 'throw', durationMs: 0 })] };
    for (let round = 0; round < 2; round++) {
      const { code, report } = await json(['audit', root, '--concurrency', '1'], root, team);
      assert.equal(code, 1, `round ${round}`);
      for (const file of report.files) {
        const failed = file.findings.filter((f) => f.rule === 'maintenance/agent-failed');
        assert.equal(failed.length, 1, `round ${round}, ${file.path}`);
      }
      const skipped = report.files.filter((f) => f.findings.some((x) => /circuit breaker is open/.test(x.message)));
      assert.equal(skipped.length, 3, `round ${round}: five failures open the breaker, the last three files are skipped`);
    }
  });
});

/** `lines` lines each ending in a blank: one trailing-whitespace finding per line (390 KB for 130,000). */
const FLOOD = (lines: number) => 'a \n'.repeat(lines);

function withCap(files: readonly FileResult[]): { capped: number; shown: number; message: string } {
  const [file] = files;
  const capped = file.findings.filter((f) => f.rule === 'maintenance/findings-capped');
  return {
    capped: capped.length,
    shown: file.findings.filter((f) => f.rule === 'hygiene/trailing-whitespace').length,
    message: capped[0]?.message ?? '',
  };
}

describe('#13 bounded findings: one file with 130,000 findings', () => {
  it('runAudit caps each rule\'s findings per file and says how many were left out', { timeout: 60_000 }, async () => {
    const text = FLOOD(130_000);
    assert.ok(text.length >= 390_000 && text.length < 400_000);
    const result = await runAudit([{ path: 'flood.txt', absPath: '/nonexistent/flood.txt', text }], {
      root: '/r', agents: createTeam(), concurrency: 1,
    });
    assert.equal(result.files.length, 1);
    const { capped, shown, message } = withCap(result.files);
    assert.equal(shown, 1000);
    assert.equal(capped, 1);
    assert.match(message, /129,000 more hygiene\/trailing-whitespace findings/);
    assert.equal(result.files[0].findings.find((f) => f.rule === 'maintenance/findings-capped')?.severity, 'warning');
  });

  it('the CLI reports it and exits normally, cache included', { timeout: 60_000 }, async () => {
    const root = tree({ 'flood.txt': FLOOD(130_000) });
    for (const round of ['cold', 'warm']) {
      const { code, report } = await json(['audit', root, '--fail-on', 'warning'], root);
      assert.equal(code, 1, round);
      const [file] = report.files;
      assert.equal(file.findings.filter((f) => f.rule === 'maintenance/findings-capped').length, 1, round);
      assert.equal(file.findings.length, 1001, round);
    }
  });

  it('no spread of an array into a call is left in src/ (push(...x), Math.max(...x), f(...x))', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts')) {
          readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
            if (/^\s*(\/\*|\*|\/\/)/.test(line)) return;
            // A call's argument list that spreads (`x(...y`, `x(a, ...y`); parameters (`(...args: T`) are declarations.
            if (/[\w\])]\((?:[^()[\]{}]*,\s*)?\.\.\.(?=[\w$[(])(?![\w$]+\s*:)/.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    walk(resolve(__dirname, '../../src'));
    assert.deepEqual(offenders, []);
  });
});
