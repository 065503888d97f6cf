import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { structureAgent } from '../../src/agents/structure';
import { auditText } from '../../src/core/run/execution';
import { createAgentInput } from '../../src/core/files/fileAudit';
import { hygieneAgent } from '../../src/agents/hygiene';
import type { Finding } from '../../src/core/model';

const signal = new AbortController().signal;
const run = (path: string, text: string) => structureAgent.run(createAgentInput(path, text), signal) as Finding[];

test('a syntax error is reported as syntax/error with its 1-based position', () => {
  const findings = run('broken.ts', 'const a = 1;\nconst b = (;\n');
  assert.equal(findings.length > 0, true);
  assert.equal(findings[0].rule, 'syntax/error');
  assert.equal(findings[0].severity, 'error');
  assert.deepEqual(findings[0].range.start, { line: 2, column: 12 });
});

test('valid files of every script extension parse clean', () => {
  for (const ext of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts']) {
    const jsx = ext.endsWith('x') ? 'export const e = <div a="1">{x}</div>;\n' : '';
    assert.deepEqual(run(`f.${ext}`, `export const x = 1;\n${jsx}`), [], ext);
  }
});

test('JSX is a syntax error in a .ts file but not in .tsx', () => {
  const text = 'const e = <div/>;\n';
  assert.ok(run('f.ts', text).length > 0);
  assert.deepEqual(run('f.tsx', text), []);
});

test('structure does not apply to Python or text files', () => {
  assert.equal(structureAgent.appliesTo('python'), false);
  assert.equal(structureAgent.appliesTo('text'), false);
});

test('on a file that does not parse, hygiene still runs next to syntax/error', async () => {
  const audit = await auditText('broken.ts', 'const a = (;  \n', [structureAgent, hygieneAgent], signal);
  const ruleIds = audit.findings.map((f) => f.rule);
  assert.ok(ruleIds.includes('syntax/error'));
  assert.ok(ruleIds.includes('hygiene/trailing-whitespace'));
});

test('columns count UTF-16 code units (an emoji is two)', () => {
  const findings = run('e.ts', 'const s = "😀"; const b = (;\n');
  assert.equal(findings[0].range.start.column, 28);
});
