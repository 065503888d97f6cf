import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { complexityAgent } from '../../src/agents/complexity';
import { hygieneAgent } from '../../src/agents/hygiene';
import { importsAgent } from '../../src/agents/imports';
import { createTeam } from '../../src/agents/registry';
import { defaultConfig } from '../../src/core/config/schema';
import { auditText } from '../../src/core/run/execution';
import type { Finding } from '../../src/core/model';
import { suppressFindings, type SuppressionContext } from '../../src/core/suppress/applySuppressions';

const M = 'maintenance-team-disable';
const ALL: SuppressionContext = {
  completeAgents: new Set(['structure', 'complexity', 'imports', 'hygiene', 'conventions', 'security']),
  unused: 'warning',
};

function finding(rule: string, line: number, agent = rule.split('/')[0]): Finding {
  return { agent, rule, severity: 'warning', message: `${rule} here`, range: { start: { line, column: 1 }, end: { line, column: 2 } } };
}

const rulesOf = (findings: readonly Finding[]) => findings.map((f) => `${f.rule}@${f.range.start.line}`);

describe('applying suppressions', () => {
  test('next-line covers the next line only; line covers its own line; the reason is the justification', () => {
    const text = `// ${M}-next-line complexity/cyclomatic -- legacy parser\nf();\ng(); // ${M}-line imports/unused\nh();\n`;
    const found = [finding('complexity/cyclomatic', 2), finding('imports/unused', 3), finding('complexity/cyclomatic', 4)];
    const out = suppressFindings('a.ts', text, found, ALL);
    assert.deepEqual(rulesOf(out.findings), ['complexity/cyclomatic@4']);
    assert.deepEqual(out.suppressed.map((s) => [s.rule, s.suppression]), [
      ['complexity/cyclomatic', { kind: 'inSource', justification: 'legacy parser' }],
      ['imports/unused', { kind: 'inSource' }],
    ]);
  });

  test('a file-level directive covers every line; an agent name covers all its rules (syntax/error is structure\'s)', () => {
    const text = `// ${M} complexity, structure -- generated\nf();\n`;
    const found = [finding('complexity/function-length', 2), finding('complexity/cyclomatic', 40),
      finding('syntax/error', 9, 'structure'), finding('imports/unused', 2)];
    const out = suppressFindings('a.ts', text, found, ALL);
    assert.deepEqual(rulesOf(out.findings), ['imports/unused@2']);
    assert.equal(out.suppressed.length, 3);
  });

  test('engine rules are never suppressed, even by the agent name they carry', () => {
    const text = `// ${M} complexity\n`;
    const failed = { ...finding('maintenance/agent-failed', 1), agent: 'complexity' };
    const capped = { ...finding('maintenance/findings-capped', 1), agent: 'complexity' };
    const out = suppressFindings('a.ts', text, [failed, capped], { completeAgents: new Set(), unused: 'warning' });
    assert.deepEqual(rulesOf(out.findings), ['maintenance/agent-failed@1', 'maintenance/findings-capped@1']);
    assert.equal(out.suppressed.length, 0);
  });

  test('invalid: an unknown id (with the closest known one), an engine rule, no rule, a misplaced file-level one', () => {
    const text = [
      `// ${M}-next-line complexity/cyclomatc, maintenance/agent-failed`, 'f();',
      `// ${M}-line -- no rule`, 'g();', `// ${M} hygiene`, '',
    ].join('\n');
    const out = suppressFindings('a.ts', text, [], { completeAgents: ALL.completeAgents });
    const invalid = out.findings.filter((f) => f.rule === 'maintenance/invalid-suppression');
    assert.equal(invalid.length, 4);
    assert.match(invalid[0].message, /unknown rule 'complexity\/cyclomatc'; did you mean 'complexity\/cyclomatic'\?/);
    assert.match(invalid[1].message, /'maintenance\/agent-failed' is one of the engine's own rules/);
    assert.match(invalid[2].message, /names no rule/);
    assert.match(invalid[3].message, /leading comments, before any code/);
    assert.ok(invalid.every((f) => f.severity === 'warning' && f.agent === 'maintenance'));
    // Without --report-unused-disables, nothing else.
    assert.equal(out.findings.length, 4);
  });

  test('a rule id that is missing its agent prefix is suggested with it', () => {
    const out = suppressFindings('a.ts', `f(); // ${M}-line cyclomatic\n`, [], ALL);
    assert.match(out.findings[0].message, /did you mean 'complexity\/cyclomatic'/);
  });

  test('unused: a whole directive, or one rule id of it; invalid and unused findings cannot be suppressed', () => {
    const text = `// ${M}-next-line complexity, imports/unused\nf();\n// ${M}-next-line hygiene\ng();\nx(); // ${M}-line maintenance/unused-suppression\n`;
    const out = suppressFindings('a.ts', text, [finding('complexity/cyclomatic', 2)], ALL);
    assert.deepEqual(out.findings.map((f) => [f.rule, f.range.start.line, f.range.start.column]), [
      ['maintenance/invalid-suppression', 5, 39],
      ['maintenance/unused-suppression', 1, 51],
      ['maintenance/unused-suppression', 3, 1],
    ]);
    assert.match(out.findings[1].message, /unused suppression of 'imports\/unused': no such finding on line 2/);
    assert.match(out.findings[2].message, /no hygiene finding on line 4 to suppress/);
    assert.equal(out.findings[1].severity, 'warning');
  });

  test('unused is never claimed for an agent that did not run, failed, or was capped on the file', () => {
    const text = `// ${M}-next-line complexity, imports\nf();\n// ${M}-line hygiene/trailing-whitespace\n`;
    const capped = { ...finding('maintenance/findings-capped', 9), agent: 'hygiene' };
    const out = suppressFindings('a.ts', text, [capped], { completeAgents: new Set(['imports', 'hygiene']), unused: 'hint' });
    assert.deepEqual(out.findings.map((f) => [f.rule, f.message]), [
      ['maintenance/findings-capped', 'maintenance/findings-capped here'],
      ['maintenance/unused-suppression', "unused suppression of 'imports': no such finding on line 2; remove it from the directive"],
    ]);
    assert.equal(out.findings[1].severity, 'hint');
  });
});

describe('auditText applies suppressions (fixes never see a suppressed finding)', () => {
  const signal = new AbortController().signal;

  test('real agents: the suppressed findings are in `suppressed`, with no fix applied by the validator', async () => {
    const text = `import { a } from 'a'; // ${M}-line imports/unused -- kept for its side effects\nimport { b } from 'b';\nexport const c = 1;\n`;
    const audit = await auditText('a.ts', text, [importsAgent, hygieneAgent], signal);
    assert.deepEqual(audit.findings.map((f) => `${f.rule}@${f.range.start.line}`), ['imports/unused@2']);
    assert.deepEqual(audit.suppressed.map((f) => `${f.rule}@${f.range.start.line}`), ['imports/unused@1']);
    assert.equal(audit.suppressed[0].suppression.justification, 'kept for its side effects');
  });

  test('a rule switched off by the config makes its suppression unused; a failed agent does not', async () => {
    const config = defaultConfig();
    config.team.hygiene.rules['trailing-whitespace'] = false;
    const hygieneOff = createTeam(config).find((a) => a.id === 'hygiene')!;
    const threw: Agent = { ...complexityAgent, run: () => { throw new Error('boom'); } };
    const text = `// ${M}-next-line complexity, hygiene/trailing-whitespace\nexport const x = 1;   \n`;
    const audit = await auditText('a.ts', text, [threw, hygieneOff], signal, { unusedSuppressions: 'warning' });
    assert.deepEqual(audit.findings.map((f) => f.message), [
      "unused suppression of 'hygiene/trailing-whitespace': no such finding on line 2; remove it from the directive",
    ]);
    // With the rule on, the same directive is used.
    const on = await auditText('a.ts', text, [threw, hygieneAgent], signal, { unusedSuppressions: 'warning' });
    assert.deepEqual(on.findings, []);
    assert.deepEqual(on.suppressed.map((f) => f.rule), ['hygiene/trailing-whitespace']);
  });
});

describe('suppressions in hostile files', () => {
  test('a file of nothing but invalid directives gets capped findings, in bounded time, with ids cut short', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `f(); // ${M}-line nope-${i}`);
    lines.unshift(`g(); // ${M}-line ${'x'.repeat(5000)}`);
    const started = performance.now();
    const out = suppressFindings('a.ts', `${lines.join('\n')}\n`, [], ALL);
    assert.ok(performance.now() - started < 5000);
    assert.equal(out.findings.filter((f) => f.rule === 'maintenance/invalid-suppression').length, 1000);
    assert.equal(out.findings.filter((f) => f.rule === 'maintenance/findings-capped').length, 1);
    assert.ok(out.findings.every((f) => f.message.length < 300));
    assert.match(out.findings[0].message, /unknown rule 'x{79}…'$/);
  });
});
