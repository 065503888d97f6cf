import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { analyzeImportUsage } from '../../src/agents/imports/importUsage';
import { createDefaultAgents } from '../../src/agents/registry';
import { fixFile } from '../../src/fixes/validator';
import { auditText } from '../../src/core/run/execution';
import { createAgentInput } from '../../src/core/files/fileAudit';
import type { Finding } from '../../src/core/model';
import { envInteger, loadCorpus, type CorpusFile } from './helpers/corpus';
import { DEFECT_KINDS, plantDefects, type DefectKind, type Plantation } from './helpers/plant';
import { hashString, mulberry32 } from './helpers/random';
import { describeTokenDifference, scanTokens } from './helpers/tokens';

/**
 * Property: on real TypeScript files, planting fixable defects at random and running the real fixer gives back
 * the file the fixer makes of the original, token for token (comments included), with no planted defect left,
 * no new syntax error, and a result that a second run leaves alone.
 *
 * Replay or widen a run: FIX_PROPERTY_SEED=<n> picks other defects (and another sample), FIX_PROPERTY_FILES=<n>
 * samples that many files of node_modules/zod/src besides the repository's own src (it holds some 330: 400
 * takes them all; a wide run takes about a minute per seed).
 */
const SEED = envInteger('FIX_PROPERTY_SEED', 0x5eed);
const SAMPLE_SIZE = envInteger('FIX_PROPERTY_FILES', 4);
const signal = new AbortController().signal;
const agents = createDefaultAgents();
/** The agents whose rules are planted: enough to look for leftovers, and cheaper than the whole team. */
const checkers = agents.filter((agent) => agent.id === 'hygiene' || agent.id === 'imports');

const PLANTED_RULES = new Set([
  'hygiene/trailing-whitespace', 'hygiene/mixed-indentation', 'hygiene/consecutive-blank-lines',
  'hygiene/final-newline', 'imports/unused', 'imports/duplicate',
]);

test('fixing planted defects in real files restores the fixed original, safely and idempotently', async (t) => {
  const started = performance.now();
  const corpus = loadCorpus({ own: ['src'], sampled: ['node_modules/zod/src'], sampleSize: SAMPLE_SIZE, seed: SEED });
  const planted = new Map<DefectKind, number>(DEFECT_KINDS.map((kind) => [kind, 0]));
  const failures: string[] = [];
  const redrawn: string[] = [];
  for (const file of corpus) {
    const plantation = plantJudged(file, redrawn);
    for (const defect of plantation.defects) planted.set(defect.kind, planted.get(defect.kind)! + 1);
    const problems = await checkFile(file, plantation);
    if (problems.length > 0) failures.push(describeFailure(file, plantation, problems));
  }
  const total = [...planted.values()].reduce((a, b) => a + b, 0);
  t.diagnostic(`seed ${SEED}, ${corpus.length} files, ${total} defects planted `
    + `(${[...planted].map(([kind, n]) => `${kind} ${n}`).join(', ')}), ${failures.length} files failed, `
    + `${Math.round(performance.now() - started)} ms; `
    + `redrawn (a planted name judged not unused): ${redrawn.join(', ') || 'none'}`);
  assert.deepEqual(failures, [], `FIX_PROPERTY_SEED=${SEED}: ${failures.length} of ${corpus.length} files failed\n`
    + failures.slice(0, 10).join('\n'));
  for (const [kind, n] of planted) assert.ok(n > 0, `no '${kind}' defect could be planted in the corpus`);
});

/**
 * Plants defects in `file`, drawing again (up to three times, then without import names) when the imports agent
 * does not judge a planted name unused: it keeps doubtful imports on purpose (a JSDoc-like comment in a string
 * can mention anything), and that is a matter of recall, measured elsewhere, not of the fixer's correctness.
 */
function plantJudged(file: CorpusFile, redrawn: string[]): Plantation {
  const random = mulberry32(SEED ^ hashString(file.path));
  for (let attempt = 0; ; attempt++) {
    const plantation = plantDefects(file.path, file.text, random, attempt < 3 ? undefined : ['unused-import', 'unused-binding']);
    const names = plantation.defects.flatMap((d) => (d.kind === 'duplicate-import' || !d.name ? [] : [d.name]));
    if (names.length === 0) return plantation;
    const sourceFile = createAgentInput(file.path, plantation.text).ast()!;
    const verdicts = analyzeImportUsage(sourceFile, { isJavaScript: false });
    const doubtful = names.filter((name) => !verdicts.some((v) => v.binding.name === name && v.usage === 'unused'));
    if (doubtful.length === 0) return plantation;
    redrawn.push(`${file.path} (${doubtful.join(', ')})`);
  }
}

/** The parser's syntax errors, counted as the agents see them (not through the validator under test). */
function syntaxErrorCount(path: string, text: string): number {
  return createAgentInput(path, text).syntaxErrors().length;
}

/** Every property on one file; the problems found, none when it holds. */
async function checkFile(file: CorpusFile, plantation: Plantation): Promise<string[]> {
  const { path, text: original } = file;
  const problems: string[] = [];
  const plantedErrors = syntaxErrorCount(path, plantation.text);
  if (plantedErrors !== syntaxErrorCount(path, original)) {
    return ['planting changed the number of syntax errors (a bug of the planter, not of the fixer)'];
  }
  const reference = await fixFile(path, original, agents, signal);
  const fixed = await fixFile(path, plantation.text, agents, signal);
  if (syntaxErrorCount(path, fixed.text) > plantedErrors) {
    problems.push('the fixed text has more syntax errors than the planted one');
  }
  for (const { name, kind } of plantation.defects) {
    if (name && kind !== 'duplicate-import' && fixed.text.includes(name)) problems.push(`planted '${name}' is still there`);
  }
  problems.push(...await leftoverFindings(path, fixed.text, reference.text));
  if (fixed.text !== reference.text) problems.push(...compareWithReference(path, reference.text, fixed.text, plantation));
  if (fixed.dropped > reference.dropped) problems.push(`${fixed.dropped - reference.dropped} fix(es) dropped by the validator`);
  if ((await fixFile(path, fixed.text, agents, signal)).changed) problems.push('fixing the fixed text changes it again');
  if (reference.text !== original) problems.push(...await pristineTokenProblems(path, original, reference.text));
  return problems;
}

/** Token and layout differences between the fixed original and the fixed planted text. */
function compareWithReference(path: string, reference: string, fixed: string, plantation: Plantation): string[] {
  const problems: string[] = [];
  const tokens = describeTokenDifference(scanTokens(path, reference), reference, scanTokens(path, fixed), fixed);
  if (tokens) problems.push(`tokens differ from the fixed original's: ${tokens}`);
  if (plantation.exactLayout) {
    const layout = describeLayoutDifference(reference, fixed);
    if (layout) problems.push(`text differs from the fixed original's beyond blank lines and indentation: ${layout}`);
  }
  return problems;
}

/**
 * Findings of the planted rules left after the fix that fixing the original does not leave too. Compared by
 * rule and message, since positions move; what the original keeps (an unfixable finding) is not the plant's.
 */
async function leftoverFindings(path: string, fixed: string, reference: string): Promise<string[]> {
  const remaining = (findings: readonly Finding[]) => findings.filter((f) => PLANTED_RULES.has(f.rule));
  const expected = new Map<string, number>();
  for (const f of remaining((await auditText(path, reference, checkers, signal)).findings)) {
    expected.set(keyOf(f), (expected.get(keyOf(f)) ?? 0) + 1);
  }
  const problems: string[] = [];
  for (const f of remaining((await auditText(path, fixed, checkers, signal)).findings)) {
    const left = expected.get(keyOf(f)) ?? 0;
    if (left > 0) expected.set(keyOf(f), left - 1);
    else problems.push(`left after fixing: ${f.rule} at ${f.range.start.line}:${f.range.start.column} (${f.message})`);
  }
  return problems;
}

function keyOf(finding: Finding): string {
  return `${finding.rule}\u0000${finding.message}`;
}

/**
 * On the original alone, layout fixes must keep every token: only import fixes may change them, so a difference
 * with no fixable import finding in the original is a layout fix that touched code.
 */
async function pristineTokenProblems(path: string, original: string, reference: string): Promise<string[]> {
  const difference = describeTokenDifference(scanTokens(path, original), original, scanTokens(path, reference), reference);
  if (!difference) return [];
  const { findings } = await auditText(path, original, checkers, signal);
  if (findings.some((f) => f.fix && f.rule.startsWith('imports/'))) return [];
  return [`fixing the original (no import fix) changed its tokens: ${difference}`];
}

/**
 * Compares two texts line by line, line breaks included, ignoring indentation and blank lines between content
 * (the planted runs are cut to two, not to what the original had); blank lines at the end still count.
 */
function describeLayoutDifference(expected: string, actual: string): string | undefined {
  const a = layoutLines(expected);
  const b = layoutLines(actual);
  const at = a.findIndex((line, i) => line !== b[i]);
  if (at === -1 && a.length === b.length) return undefined;
  const index = at === -1 ? a.length : at;
  return `at content line ${index + 1}: expected ${JSON.stringify(a[index])}, got ${JSON.stringify(b[index])}`;
}

function layoutLines(text: string): string[] {
  const lines = text.split(/(?<=\n|\r(?!\n))/).map((line) => line.replace(/^[ \t]+/, ''));
  let tail = lines.length;
  while (tail > 0 && lines[tail - 1].trim() === '') tail--;
  return [...lines.slice(0, tail).filter((line) => line.trim() !== ''), ...lines.slice(tail)];
}

function describeFailure(file: CorpusFile, plantation: Plantation, problems: readonly string[]): string {
  const defects = plantation.defects.map((d) => `${d.kind}@${d.line}${d.name ? ` (${d.name})` : ''}`).join(', ');
  return `${file.path} [planted: ${defects}]\n  - ${problems.join('\n  - ')}`;
}
