import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { securityAgent } from '../../src/agents/security';
import { isSecretName } from '../../src/agents/security/secrets';
import {
  AWS_HINT, BEARER_HINT, CHILD_PROCESS_HINT, GITHUB_HINT, GITHUB_PAT_HINT, GOOGLE_HINT, hasUserInfoUrl, PRIVATE_KEY_HINT,
  SLACK_HINT, STRIPE_HINT, textHints, USER_INFO_URL_HINT,
} from '../../src/agents/security/textHints';
import type { Finding } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

/**
 * Issue 22's speed target: the security agent decides from the flat tree's kinds and from a few passes over the
 * text which nodes and scans to skip. These cases are the shapes where such shortcuts could skip too much.
 */

const run = (text: string, path = 'src/a.ts'): Finding[] =>
  securityAgent.run(makeInput(path, text), new AbortController().signal) as Finding[];
const rulesAt = (text: string): string[] => run(text).map((f) => `${f.range.start.line} ${f.rule}`);
// Assembled at run time so that this file never holds a whole token for scanners to flag.
const RANDOM = 'Q7xK2mP9vL4nR8sT1wY6zB3cD5fG0hJ2kM4pN6qW8eU1iO3aS5dF7gH9jK0lZ2xC4vB6nM8';

/** The hints as the agent first found them: one `includes` per hint string, and the user-information regex. */
const REFERENCE: ReadonlyArray<[number, readonly string[]]> = [
  [AWS_HINT, ['AKIA', 'ASIA']], [PRIVATE_KEY_HINT, ['PRIVATE KEY-----']], [GITHUB_HINT, ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']],
  [GITHUB_PAT_HINT, ['github_pat_']], [SLACK_HINT, ['xox']], [STRIPE_HINT, ['_live_']], [GOOGLE_HINT, ['AIza']],
  [BEARER_HINT, ['Bearer']], [CHILD_PROCESS_HINT, ['child_process']],
];
const USER_INFO_URL = /[a-z]:\/\/[^\s:@/'"`]*:[^\s:@/'"`]+@/;

function referenceHints(text: string): number {
  let hints = USER_INFO_URL.test(text) ? USER_INFO_URL_HINT : 0;
  for (const [hint, parts] of REFERENCE) if (parts.some((part) => text.includes(part))) hints |= hint;
  return hints;
}

/** A deterministic pseudo-random text of hint fragments, near misses and filler. */
function randomText(seed: number): string {
  const pieces = ['AKIA', 'ASIA', 'AIza', 'A', '_', 'gh', 'ghp_', 'ghx_', 'github_pat_', 'github', '_pat_', 'xox', 'xo',
    '_live_', 'live', 'child_process', 'child', '_process', 'PRIVATE KEY-----', 'KEY-----', 'Bearer', 'bearer',
    '://', 'p://', 'P://', 'a:b@', ':', '@', ' ', '\n', 'x', 'K', 'I', 'za', 'SIA', 'KIA'];
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: 1 + Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
}

describe('security agent: shortcuts that skip work, never findings', { timeout: 30_000 }, () => {
  it('finds in a few passes exactly the hints one search per hint string finds', () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const text = randomText(seed);
      assert.equal(textHints(text), referenceHints(text), JSON.stringify(text));
    }
  });

  it('finds a URL with user information as its regex does, at the text\'s edges too', () => {
    const cases = ['postgres://u:p@h', '://u:p@h', 'P://u:p@h', 'x://u:p@', 'x://u:p', 'x://u@h', 'a://:p@', 'a:// u:p@',
      'see http://example.com, then redis://:secret@cache', 'ftp://a/b:c@d'];
    for (const text of cases) assert.equal(hasUserInfoUrl(text), USER_INFO_URL.test(text), text);
  });

  it('still reads a name whose K is the Kelvin sign as secret (it lowercases to k)', () => {
    assert.ok(isSecretName('to\u212Aen'));
    assert.ok(isSecretName('api\u212Aey'));
    assert.ok(!isSecretName('label'));
  });

  it('reports secrets given to parameters with literal types, quoted class fields, JSX attributes', () => {
    const secret = RANDOM.slice(0, 24);
    const text = [
      `export function connect(token: 'a' | 'b' = '${secret}') {}`,
      `class A { 'password' = '${secret}'; '${secret}password'; }`,
      `const el = <Widget apiKey="${secret}" />;`,
      `config['clientSecret'] = '${secret}';`,
    ].join('\n');
    const found = (securityAgent.run(makeInput('src/a.tsx', text), new AbortController().signal) as Finding[])
      .map((f) => `${f.range.start.line} ${f.rule}`);
    assert.deepEqual(found, [1, 2, 3, 4].map((line) => `${line} security/hardcoded-secret`));
  });

  it('looks at calls and assignments whatever their callee\'s or target\'s shape', () => {
    const text = [
      'export function q(db, id) { db?.query(`SELECT * FROM t WHERE id = ${id}`); }',
      'export function e(s) { (0, eval)(s); window[\'eval\'](s); (eval)(s); }',
      "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';",
      'export function h(el, name) { el.innerHTML += `<b>${name}</b>`; }',
      'const sessionToken = Math.random().toString(36);',
    ].join('\n');
    assert.deepEqual(rulesAt(text), [
      '1 security/sql-injection', '2 security/eval', '2 security/eval', '2 security/eval', '3 security/tls-disabled',
      '4 security/unsafe-html', '5 security/weak-random',
    ]);
  });

  it('leaves eval calls alone in a file that declares its own eval, however it binds it', () => {
    for (const binding of ["import { eval } from './sandbox';", 'function eval(code) { return code; }', 'const eval = run;']) {
      assert.deepEqual(rulesAt(`${binding}\nexport function f(s) { eval(s); }`), [], binding);
    }
    assert.deepEqual(rulesAt('export function f(s) { eval(s); }'), ['1 security/eval']);
  });
});
