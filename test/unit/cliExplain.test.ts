// `maintenance-team explain <rule>` (issue 21, item 4): a rule's page as terminal text, an agent's rules, and an
// unknown id refused with the closest ids; offline, from the docs/rules/ shipped beside dist/cli.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULES_BY_AGENT } from '../../src/core/config/rules';
import { describeRule } from '../../src/reports/ruleCatalogue';
import { renderPage } from '../../src/cli/explain';
import { run, tree } from './helpers/cli';

const cwd = tree();

describe('maintenance-team explain', () => {
  it('prints a rule\'s page as terminal text, exit 0', async () => {
    const { code, stdout, stderr } = await run(['explain', 'imports/unused'], cwd);
    assert.equal(code, 0, stderr);
    assert.ok(stdout.startsWith('imports/unused\n==============\n'), stdout.slice(0, 80));
    for (const section of ['What it finds', 'Code it flags', 'How to suppress it']) {
      assert.ok(stdout.includes(`${section}\n${'-'.repeat(section.length)}\n`), section);
    }
    // Code blocks indented, markers and fences gone, links reduced to their text.
    assert.ok(stdout.includes("\n    import { readFile, writeFile } from 'node:fs/promises';\n"));
    assert.ok(!stdout.includes('```') && !stdout.includes('<!--') && !stdout.includes('](../'), stdout);
  });

  it('lists an agent\'s rules with their one-line descriptions (and `structure`, `maintenance` prefixes)', async () => {
    const { code, stdout } = await run(['explain', 'complexity'], cwd);
    assert.equal(code, 0);
    for (const rule of RULES_BY_AGENT.complexity) {
      assert.match(stdout, new RegExp(`^${rule} +${describeRule(rule)!.short.replace(/[`()]/g, '.')}$`, 'm'));
    }
    assert.match((await run(['explain', 'structure'], cwd)).stdout, /^syntax\/error +The file does not parse$/m);
    assert.match((await run(['explain', 'maintenance'], cwd)).stdout, /^maintenance\/agent-failed +/m);
  });

  it('refuses an unknown id with exit 2 and the closest ids', async () => {
    const typo = await run(['explain', 'imports/unsued'], cwd);
    assert.equal(typo.code, 2);
    assert.equal(typo.stdout, '');
    assert.match(typo.stderr, /unknown rule 'imports\/unsued'; did you mean imports\/unused/);
    const bare = await run(['explain', 'cyclomatic'], cwd);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /did you mean complexity\/cyclomatic/);
    const nothing = await run(['explain', 'zzzzzzzzzzzzzz'], cwd);
    assert.equal(nothing.code, 2);
    assert.doesNotMatch(nothing.stderr, /did you mean/);
  });

  it('escapes control characters of the id it quotes back', async () => {
    const { code, stderr } = await run(['explain', 'x\u001b[2Jy'], cwd);
    assert.equal(code, 2);
    assert.ok(!stderr.includes('\u001b'), JSON.stringify(stderr));
  });

  it('takes one rule and none of the audit\'s options (usage errors, exit 2)', async () => {
    assert.match((await run(['explain'], cwd)).stderr, /explain needs a <rule>/);
    assert.match((await run(['explain', 'a', 'b'], cwd)).stderr, /unexpected argument 'b'/);
    const flagged = await run(['explain', 'imports/unused', '--format', 'json'], cwd);
    assert.equal(flagged.code, 2);
    assert.match(flagged.stderr, /--format does not go with explain/);
  });

  it('is in the help', async () => {
    assert.match((await run(['--help'], cwd)).stdout, /maintenance-team explain <rule>/);
  });

  it('renderPage: headings underlined, code indented, web links keep their address', () => {
    const text = renderPage('# a/b\n\n<!-- example: x -->\n```ts\nx;\n```\n\nSee [c](../c.md) and [d](https://d.example).\n');
    assert.equal(text, 'a/b\n===\n\n    x;\n\nSee c and d (https://d.example).\n');
  });

  it('dist/cli.js finds the pages beside it, offline (needs `npm run build`)', { timeout: 30_000 }, () => {
    const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
    const result = spawnSync(process.execPath, [cli, 'explain', 'security/eval'], { cwd, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.startsWith('security/eval\n'), result.stdout.slice(0, 80));
  });
});
