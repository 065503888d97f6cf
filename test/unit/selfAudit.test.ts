// Dogfood (issue 21, item 6): the repository audits itself clean with its own maintenance-team.yaml, at the
// strictest gate (`--fail-on info`, unused suppressions reported). `.ci/run` runs the built CLI the same way after
// the tests; this catches a regression in `npm test` already, with the findings in the failure message.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { JsonReport } from '../../src/reports/reporter';
import { run } from './helpers/cli';
import { REPO_ROOT } from './helpers/corpus';

describe('the repository audits itself', () => {
  it('clean: exit 0, no finding (an unused suppression or a failed agent is one too)', { timeout: 60_000 }, async () => {
    const argv = ['audit', '.', '--fail-on', 'info', '--report-unused-disables', '--no-cache', '--format', 'json'];
    const { code, stdout, stderr } = await run(argv, REPO_ROOT);
    assert.ok(stdout.startsWith('{'), `no JSON report (exit ${code}): ${stderr}`);
    const report = JSON.parse(stdout) as JsonReport;
    const findings = report.files.flatMap((file) => file.findings.map((f) =>
      `${file.path}:${f.range.start.line}:${f.range.start.column} ${f.rule} ${f.message}`));
    assert.deepEqual(findings, [], `the self-audit reports ${findings.length} finding(s):\n${findings.join('\n')}`);
    assert.equal(report.summary.findings, 0);
    assert.ok(report.summary.files > 100, `only ${report.summary.files} files audited: the root is not the repository's`);
    assert.equal(code, 0, stderr);
  });
});
