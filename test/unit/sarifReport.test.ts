import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { formatReport } from '../../src/reports/reportFormat';
import { ENGINE_RULES, RULE_DESCRIPTIONS, type RuleId } from '../../src/reports/ruleCatalogue';
import { toSarifReport } from '../../src/reports/sarifReport';
import { RULES_BY_AGENT } from '../../src/core/config/rules';
import { applyEdits } from '../../src/core/text';
import { REPOSITORY_URL, TOOL_NAME, TOOL_VERSION } from '../../src/core/version';
import { auditFolder, auditResult, fileResult, finding, REPORT_FIXTURE } from './helpers/auditResults';

/** The OASIS SARIF 2.1.0 schema, vendored from @microsoft/jest-sarif (test/fixtures/schemas/README.md). */
const schema = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
// The schema's language pattern is not valid with the u flag (a stray `]`); Ajv compiles patterns without it here.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function assertValid(log: unknown): void {
  const valid = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
}

function results(log: Log): Result[] {
  return log.runs[0].results ?? [];
}

const TEXT = 'import x from "y";  \nlet a = 1;\n';

/** A result that uses every part of the format: fixes, failures, skipped files, an unknown rule, odd paths. */
function richResult() {
  return auditResult({
    files: [
      fileResult('src/a b#c.ts', [
        finding('hygiene/trailing-whitespace', 'info', 1, 19, { length: 2, message: 'Trailing whitespace', fix: { start: 18, end: 20, newText: '' } }),
        finding('imports/unused', 'warning', 1, 8, { message: "'x' is imported but never used", fix: { start: 0, end: 21, newText: '' } }),
        finding('security/eval', 'error', 2, 1),
        finding('newagent/rule', 'hint', 2, 5),
      ], TEXT),
      { ...fileResult('broken.ts', []), failures: [{ agent: 'complexity', message: 'boom', kind: 'threw' }, { agent: 'imports', message: 'circuit open, retry in 5 s', kind: 'circuit-open' }] },
      fileResult('clean.md', []),
    ],
    skipped: [{ path: 'logo.png', reason: 'binary' }],
    agents: { complexity: { runs: 3, failures: 1, state: 'open' } },
  });
}

describe('toSarifReport: the schema', () => {
  it('validates against the SARIF 2.1.0 JSON schema (rich synthetic result, with and without source texts)', () => {
    assertValid(toSarifReport(richResult()));
    assertValid(toSarifReport(richResult(), { sourceText: () => TEXT }));
    assertValid(toSarifReport({ ...richResult(), cancelled: true }));
    assertValid(toSarifReport(auditResult()));
  });

  it('validates on a real audit of the report fixture, through formatReport', async () => {
    const text = formatReport(await auditFolder(REPORT_FIXTURE), 'sarif');
    const log = JSON.parse(text) as Log;
    assertValid(log);
    assert.ok(results(log).length >= 6, 'the fixture has findings of several rules');
  });

  it('is caught by the validator when broken (the test can fail)', () => {
    const log = toSarifReport(richResult());
    const broken = { ...log, runs: [{ ...log.runs[0], results: [{ ...results(log)[0], level: 'fatal' }] }] };
    assert.equal(validate(broken), false);
  });
});

describe('toSarifReport: rules', () => {
  it('lists every rule of the catalogue, with descriptions, help and default level, in a stable order', () => {
    const rules = toSarifReport(auditResult()).runs[0].tool.driver.rules ?? [];
    assert.deepEqual(rules.map((r) => r.id), [...Object.values(RULES_BY_AGENT).flat(), ...ENGINE_RULES]);
    for (const rule of rules) {
      const description = RULE_DESCRIPTIONS[rule.id as RuleId];
      assert.equal(rule.shortDescription?.text, description.short);
      assert.equal(rule.fullDescription?.text, description.full);
      assert.ok(rule.help?.text && rule.help.markdown?.includes(description.help), rule.id);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration?.level ?? ''), rule.id);
    }
    const byId = new Map(rules.map((r) => [r.id, r]));
    assert.equal(byId.get('hygiene/trailing-whitespace')?.defaultConfiguration?.level, 'note');
    assert.equal(byId.get('security/eval')?.defaultConfiguration?.level, 'error');
    assert.deepEqual(byId.get('security/eval')?.properties?.tags, ['security', 'external/cwe/cwe-95']);
  });

  it('links every catalogue rule to its page at this version\'s tag (helpUri), and no page for a rule outside it', () => {
    const rules = toSarifReport(richResult()).runs[0].tool.driver.rules ?? [];
    for (const rule of rules.filter((r) => r.id !== 'newagent/rule')) {
      assert.equal(rule.helpUri, `${REPOSITORY_URL}/blob/v${TOOL_VERSION}/docs/rules/${rule.id}.md`);
    }
    assert.equal(rules.find((r) => r.id === 'imports/unused')?.helpUri,
      `https://github.com/maintenance-team/maintenance-team/blob/v${TOOL_VERSION}/docs/rules/imports/unused.md`);
    assert.equal(rules.find((r) => r.id === 'newagent/rule')?.helpUri, undefined);
  });

  it('names the tool, and appends a rule outside the catalogue so every ruleIndex resolves', () => {
    const log = toSarifReport(richResult());
    const { driver } = log.runs[0].tool;
    assert.equal(log.version, '2.1.0');
    assert.equal(driver.name, TOOL_NAME);
    assert.equal(driver.version, TOOL_VERSION);
    const rules = driver.rules ?? [];
    assert.equal(rules.at(-1)?.id, 'newagent/rule');
    for (const result of results(log)) assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
  });
});

describe('toSarifReport: results', () => {
  it('maps severities, locations (relative, percent-encoded, %SRCROOT%) and 1-based regions', () => {
    const log = toSarifReport(richResult());
    const [trailing, unused, evalCall, hint] = results(log);
    assert.deepEqual([trailing.level, unused.level, evalCall.level, hint.level], ['note', 'warning', 'error', 'note']);
    assert.deepEqual(unused.message, { text: "'x' is imported but never used" });
    assert.deepEqual(unused.locations?.[0].physicalLocation, {
      artifactLocation: { uri: 'src/a%20b%23c.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 9 },
    });
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///abs/ws/' } });
    assert.equal(log.runs[0].columnKind, 'utf16CodeUnits');
  });

  it('gives fixes as line/column replacements when the audited text is known, else as offsets', () => {
    const withText = results(toSarifReport(richResult(), { sourceText: () => TEXT }));
    assert.deepEqual(withText[0].fixes, [{
      description: { text: 'Fix hygiene/trailing-whitespace' },
      artifactChanges: [{
        artifactLocation: { uri: 'src/a%20b%23c.ts', uriBaseId: '%SRCROOT%' },
        replacements: [{ deletedRegion: { startLine: 1, startColumn: 19, endLine: 1, endColumn: 21 }, insertedContent: { text: '' } }],
      }],
    }]);
    // The whole first line, its newline included, ends at the start of line 2.
    assert.deepEqual(withText[1].fixes?.[0].artifactChanges[0].replacements?.[0].deletedRegion,
      { startLine: 1, startColumn: 1, endLine: 2, endColumn: 1 });
    const offsets = results(toSarifReport(richResult()));
    assert.deepEqual(offsets[0].fixes?.[0].artifactChanges[0].replacements?.[0].deletedRegion, { charOffset: 18, charLength: 2 });
    const stale = results(toSarifReport(richResult(), { sourceText: () => `${TEXT}// edited\n` }));
    assert.deepEqual(stale[0].fixes?.[0].artifactChanges[0].replacements?.[0].deletedRegion, { charOffset: 18, charLength: 2 },
      'a text that is not the audited one is not used');
    assert.equal(withText[2].fixes, undefined, 'no fixes on a finding without one');
  });

  it('offsets of the fix replay the edit on the audited text', () => {
    const replacement = results(toSarifReport(richResult()))[0].fixes?.[0].artifactChanges[0].replacements?.[0];
    const start = replacement?.deletedRegion.charOffset ?? -1;
    const end = start + (replacement?.deletedRegion.charLength ?? 0);
    assert.equal(applyEdits(TEXT, [{ start, end, newText: replacement?.insertedContent?.text ?? '' }]), 'import x from "y";\nlet a = 1;\n');
  });

  it('fingerprints survive a line inserted above and tell identical findings apart', () => {
    const twice = (shift: number) => auditResult({
      files: [fileResult('a.ts', [
        finding('hygiene/trailing-whitespace', 'info', 1 + shift, 3, { message: 'Trailing whitespace' }),
        finding('hygiene/trailing-whitespace', 'info', 4 + shift, 3, { message: 'Trailing whitespace' }),
      ])],
    });
    const prints = (shift: number) => results(toSarifReport(twice(shift))).map((r) => r.partialFingerprints?.['maintenanceTeam/v1']);
    assert.deepEqual(prints(0), prints(5));
    const [first, second] = prints(0);
    assert.notEqual(first, second);
    assert.match(first ?? '', /^[0-9a-f]{32}:1$/);
    const other = results(toSarifReport(auditResult({ files: [fileResult('b.ts', [...twice(0).files[0].findings])] })));
    assert.notEqual(other[0].partialFingerprints?.['maintenanceTeam/v1'], first, 'the path is part of it');
  });
});

describe('toSarifReport: the invocation', () => {
  it('reports agent failures and skipped files as notifications, and success only when nothing failed', () => {
    const [invocation] = toSarifReport(richResult()).runs[0].invocations ?? [];
    assert.equal(invocation.executionSuccessful, false);
    const notes = invocation.toolExecutionNotifications ?? [];
    assert.deepEqual(notes.map((n) => [n.level, n.descriptor?.id, n.locations?.[0].physicalLocation?.artifactLocation?.uri]), [
      ['error', 'agent-failure', 'broken.ts'], ['warning', 'agent-skipped', 'broken.ts'], ['note', 'file-skipped', 'logo.png'],
    ]);
    assert.equal(notes[0].message.text, "agent 'complexity' failed: boom");
    const clean = toSarifReport(auditResult({ files: [fileResult('a.ts', [])] })).runs[0].invocations?.[0];
    assert.equal(clean?.executionSuccessful, true);
    assert.equal(toSarifReport(auditResult({ cancelled: true })).runs[0].invocations?.[0].executionSuccessful, false);
  });
});
