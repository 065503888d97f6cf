import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { securityAgent } from '../../src/agents/security';
import type { Finding } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

/** Issue 22: Stripe live keys, Google API keys in URLs, bearer JWTs, passwords in connection URLs. */

// Assembled at run time so that this file never holds a whole token for scanners to flag.
const RANDOM = 'Q7xK2mP9vL4nR8sT1wY6zB3cD5fG0hJ2kM4pN6qW8eU1iO3aS5dF7gH9jK0lZ2xC4vB6nM8';
const STRIPE = ['sk', '_live_', RANDOM.slice(0, 24)].join('');
const GOOGLE = ['AI', 'za', RANDOM.slice(0, 35)].join('');
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT = [b64({ alg: 'HS256', typ: 'JWT' }), b64({ sub: 'u-81624', scope: 'admin', iat: 1733300000 }), RANDOM.slice(0, 43)].join('.');
const JWT_IO = [b64({ alg: 'HS256', typ: 'JWT' }), b64({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }), RANDOM.slice(0, 43)].join('.');
const PASSWORD = RANDOM.slice(5, 21);

const secrets = (text: string, path = 'src/a.ts'): Finding[] =>
  (securityAgent.run(makeInput(path, text), new AbortController().signal) as Finding[])
    .filter((f) => f.rule === 'security/hardcoded-secret');
/** The text each finding covers. */
const covered = (text: string, found: Finding[]): string[] => found.map((f) => {
  const line = text.split('\n')[f.range.start.line - 1];
  return line.slice(f.range.start.column - 1, f.range.end.column - 1);
});

describe('security/hardcoded-secret: issue 22 formats', { timeout: 30_000 }, () => {
  it('reports a Stripe live key, a Google key in a URL, a bearer JWT and a connection URL password', () => {
    const text = [
      `const stripe = new Stripe('${STRIPE}');`,
      `const url = 'https://maps.googleapis.com/maps/api/js?key=${GOOGLE}&callback=init';`,
      `fetch(api, { headers: { Authorization: 'Bearer ${JWT}' } });`,
      `const db = new Pool({ connectionString: 'postgres://app:${PASSWORD}@db.internal:5432/prod' });`,
      `# MONGO_URL=mongodb+srv://svc:${PASSWORD}@cluster0.example.net/app`,
    ].join('\n');
    const found = secrets(text);
    assert.deepEqual(found.map((f) => f.range.start.line), [1, 2, 3, 4, 5]);
    assert.deepEqual(covered(text, found), [STRIPE, GOOGLE, JWT, PASSWORD, PASSWORD]);
    assert.deepEqual(found.map((f) => f.message), [
      'Hard-coded Stripe live key (sk_l…)', 'Hard-coded Google API key (AIza…)', 'Hard-coded bearer token (JWT) (eyJh…)',
      'Hard-coded password in a connection URL', 'Hard-coded password in a connection URL',
    ]);
    for (const finding of found) assert.ok(!finding.message.includes(PASSWORD) && !finding.message.includes(RANDOM.slice(0, 12)));
    assert.equal(secrets(`REDIS_URL=redis://:${PASSWORD}@cache:6379\n`, '.env').length, 1);
  });

  it('is silent on placeholders, documentation values and variables', () => {
    const text = [
      "const stripe = new Stripe('sk_live_xxxxxxxxxxxxxxxxxxxxxxxx');",
      `const test = new Stripe('${['sk', '_test_', RANDOM.slice(0, 24)].join('')}');`,
      "const url = 'https://maps.googleapis.com/maps/api/js?key=<your-api-key>';",
      `const h = { Authorization: 'Bearer ${JWT_IO}' };`,
      "const h2 = { Authorization: 'Bearer <your-token>' };",
      'const h3 = { Authorization: `Bearer ${token}` };',
      "const a = 'postgres://postgres:postgres@localhost:5432/dev';",
      "const b = 'postgres://user:changeme@localhost/db';",
      'const c = `postgres://${user}:${process.env.DB_PASSWORD}@${host}/db`;',
      "const d = 'mysql://root:%s@%s/db';",
      "const e = 'mongodb://<user>:<password>@host/db';",
      "const f = 'postgres://user:password@host/db';",
      "const g = 'https://user:x@example.com/';",
    ].join('\n');
    assert.deepEqual(secrets(text), []);
    // Test files are left out by the configuration (global.tests), not by the agent: see overrides.test.ts.
    assert.equal(secrets(`const key = '${STRIPE}';\n`, 'test/payments.test.ts').length, 1);
  });

  it('stays linear on hostile lines made of the new shapes\' prefixes', { timeout: 30_000 }, () => {
    const n = 200_000;
    const lines = [
      'Bearer '.repeat(n), `Bearer eyJ${'a'.repeat(n * 5)}`, `Bearer eyJ${'a.eyJ'.repeat(n)}`, 'postgres://'.repeat(n),
      `postgres://${'a'.repeat(n * 5)}`, `postgres://a:${'b'.repeat(n * 5)}`, 'postgres://a:b'.repeat(n),
      'AIza'.repeat(n), 'sk_live_'.repeat(n), `sk_live_${'a'.repeat(n * 5)}!`,
    ];
    const started = performance.now();
    for (const line of lines) assert.deepEqual(secrets(`${line}\n`, 'notes.txt'), []);
    // Quadratic matching of one of these lines takes minutes; linear matching takes well under a second each.
    assert.ok(performance.now() - started < 15_000);
  });
});
