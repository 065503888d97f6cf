import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { securityAgent } from '../../src/agents/security';
import { isSecretName, shannonEntropy } from '../../src/agents/security/secrets';
import type { Finding } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

// Secrets are assembled at run time so that this file never holds a whole token for scanners to flag.
const RANDOM = 'Q7xK2mP9vL4nR8sT1wY6zB3cD5fG0hJ2kM4pN6qW8eU1iO3aS5dF7gH9jK0lZ2xC4vB6nM8';
const GITHUB = ['gh', 'p_', RANDOM.slice(0, 36)].join('');
const GITHUB_PAT = ['github', '_pat_', RANDOM.slice(0, 41), RANDOM.slice(0, 41).toLowerCase()].join('');
const AWS = ['AK', 'IA', 'Q7XK2MP9VL4NR8ST'].join('');
const SLACK = ['xo', 'xb-', '1234567890-', RANDOM.slice(0, 24)].join('');
const PRIVATE_KEY = ['-----BEGIN RSA ', 'PRIVATE KEY-----\n', 'MIIEow', RANDOM, '\n-----END RSA ', 'PRIVATE KEY-----'].join('');
const SECRET = RANDOM.slice(4, 28);

const run = (path: string, text: string, agent = securityAgent): Finding[] =>
  agent.run(makeInput(path, text), new AbortController().signal) as Finding[];
const rules = (path: string, text: string, rule: string): Finding[] => run(path, text).filter((f) => f.rule === rule);
const secrets = (path: string, text: string) => rules(path, text, 'security/hardcoded-secret');
const evals = (text: string) => rules('src/a.ts', text, 'security/eval');
const injections = (text: string) => rules('src/a.ts', text, 'security/command-injection');

describe('security/hardcoded-secret: token shapes', () => {
  it('reports AWS, GitHub, Slack tokens and private keys in any language, over the token', () => {
    for (const [token, kind] of [[GITHUB, 'GitHub token'], [GITHUB_PAT, 'GitHub token'], [AWS, 'AWS access key id'],
      [SLACK, 'Slack token'], [PRIVATE_KEY, 'private key']]) {
      for (const path of ['src/a.ts', 'tool.py', 'config/app.yaml', 'notes.md']) {
        const text = `x = "${token}"\n`;
        const found = secrets(path, text);
        assert.equal(found.length, 1, `${kind} in ${path}`);
        assert.match(found[0].message, new RegExp(kind));
        assert.equal(found[0].severity, 'error');
        assert.deepEqual(found[0].range.start, { line: 1, column: 6 });
      }
    }
  });

  it('reports a token in a comment, whatever the name it is given', () => {
    assert.equal(secrets('src/a.ts', `// curl -H "Authorization: ${GITHUB}"\nconst url = 1;\n`).length, 1);
    assert.equal(secrets('src/a.ts', `const value = '${AWS}';\n`).length, 1);
  });

  it('skips documented example keys and fillers', () => {
    assert.deepEqual(secrets('src/a.ts', `const k = '${['AKIA', 'IOSFODNN7EXAMPLE'].join('')}';\n`), []);
    assert.deepEqual(secrets('src/a.ts', `const t = '${['ghp', '_', 'x'.repeat(36)].join('')}';\n`), []);
    const doc = ['/** key: "-----BEGIN ', 'PRIVATE KEY-----\\n...\\n-----END ', 'PRIVATE KEY-----" */\n'].join('');
    assert.deepEqual(secrets('src/a.ts', doc), []);
    assert.deepEqual(secrets('src/a.ts', `// header only: -----BEGIN ${'PRIVATE'} KEY-----\n`), []);
  });

  it('reports a token once even when assigned to a secret name', () => {
    const found = secrets('src/a.ts', `const githubToken = '${GITHUB}';\n`);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /GitHub token \(ghp_…\)/);
  });
});

describe('security/hardcoded-secret: secrets assigned by name', () => {
  it('reports high-entropy values in declarations, properties, assignments and JSX attributes', () => {
    const text = [
      `const password = '${SECRET}';`,
      `const config = { apiKey: "${SECRET}", 'client_secret': \`${SECRET}\` };`,
      `settings.accessKey = '${SECRET}';`,
      `class Db { private authToken = '${SECRET}'; }`,
      `function connect(dbPassword = '${SECRET}') { return dbPassword; }`,
    ].join('\n');
    const found = secrets('src/a.ts', text);
    assert.deepEqual(found.map((f) => f.range.start.line), [1, 2, 2, 3, 4, 5]);
    assert.deepEqual(found[0].range, { start: { line: 1, column: 19 }, end: { line: 1, column: 19 + SECRET.length } });
    assert.match(found[0].message, /'password'/);
    assert.equal(secrets('src/a.tsx', `const x = <Client apiKey="${SECRET}" />;\n`).length, 1);
  });

  it('reports Python assignments, dict keys and keyword arguments, and config lines', () => {
    const py = `API_KEY = "${SECRET}"\ncfg = {"password": '${SECRET}'}\nconnect(secret="${SECRET}")\n`;
    assert.deepEqual(secrets('app/settings.py', py).map((f) => f.range.start.line), [1, 2, 3]);
    const yaml = `db:\n  password: ${SECRET}\n  token: "${SECRET}"\n`;
    assert.deepEqual(secrets('deploy/app.yaml', yaml).map((f) => f.range.start), [{ line: 2, column: 13 }, { line: 3, column: 11 }]);
    assert.equal(secrets('.env', `export AUTH_TOKEN=${SECRET} # prod\n`).length, 1);
  });

  it('skips placeholders, environment lookups, low entropy and short values', () => {
    const text = [
      "const password = 'changeme';",
      "const apiKey = 'xxxxxxxxxxxxxxxxxxxxxxxx';",
      "const token = '<your-token-goes-here>';",
      'const secret = `${process.env.SECRET_VALUE_FROM_ENV}`;',
      'const authToken = process.env.AUTH_TOKEN;',
      `const apiKey2 = 'example-${SECRET}';`,
      `const password2 = 'dummy${SECRET}';`,
      `const token2 = 'test_${SECRET}';`,
      `const token3 = 'fake${SECRET}';`,
      `const token4 = 'sample${SECRET}';`,
      "const password3 = 'aaaaaaaaaaaaaaaaaaaaaaaa';",
      "const password4 = 'passwordpassword';",
      "const token5 = 'Q7xK2mP9';",
      "const passwordPrompt = 'Please enter your password now';",
      "const tokenUrl = 'https://auth.example.org/oauth2/v1/token';",
      `const author = '${SECRET}';`,
      `const tokenizer = '${SECRET}';`,
      `const color = '${SECRET}';`,
      "const tokenKey = 'auth.login.passwordResetToken';",
      "const authEvent = 'userPasswordChangedEvent';",
      "const secretHeader = 'X-Internal-Secret-Header';",
      "const tokenError = '意外的标记。应为构造函数、方法、访问器或属性。';",
      "const unexpectedToken = '予期しないトークンです。コンストラクター';",
    ].join('\n');
    assert.deepEqual(secrets('src/a.ts', text), []);
    const py = 'token = os.environ["GITHUB_TOKEN_FOR_DEPLOY"]\npassword = "${DB_PASSWORD_FROM_VAULT}"\n';
    assert.deepEqual(secrets('app/settings.py', py), []);
    assert.deepEqual(secrets('.env', 'API_KEY=${API_KEY_FROM_CI_SECRETS}\nPASSWORD=changeme\n'), []);
  });

  it('reports secrets whatever the path: test files are the configuration\'s business (global.tests)', () => {
    const text = `const password = '${SECRET}';\nconst t = '${GITHUB}';\n`;
    for (const path of ['test/a.ts', 'src/a.spec.ts', 'pkg/fixtures/x.py', 'src/contest.ts']) {
      assert.equal(secrets(path, text).length, 2, path);
    }
  });

  it('never repeats a secret in a message', () => {
    const text = [GITHUB, GITHUB_PAT, AWS, SLACK, PRIVATE_KEY].map((t, i) => `const v${i} = \`${t}\`;`).join('\n')
      + `\nconst password = '${SECRET}';\nconst o = { apiKey: '${SECRET}' };\n`;
    const found = secrets('src/a.ts', text);
    assert.equal(found.length, 7);
    for (const finding of found) {
      for (const secret of [GITHUB, GITHUB_PAT, AWS, SLACK, PRIVATE_KEY, SECRET]) {
        assert.ok(!finding.message.includes(secret.slice(4, 12)), finding.message);
      }
    }
  });

  it('recognises secret names by their words', () => {
    for (const name of ['password', 'API_KEY', 'APIKey', 'clientSecret', 'db-password', 'authToken', 'passwd', 'credentials']) {
      assert.ok(isSecretName(name), name);
    }
    for (const name of ['author', 'tokenizer', 'keyboard', 'passwordLabel', 'tokenUrl', 'monkey', 'secretName']) {
      assert.ok(!isSecretName(name), name);
    }
    assert.ok(shannonEntropy(SECRET) >= 3.5 && shannonEntropy('aaaa') === 0);
  });
});

describe('security/eval', () => {
  it('reports eval, new Function, Function and string timers', () => {
    const text = [
      'eval(code);',
      "const f = new Function('a', 'return a');",
      "const g = Function('return this')();",
      "setTimeout('tick()', 10);",
      'setInterval(`run(${n})`, 10);',
      "window.setTimeout('a' + b, 1);",
      "globalThis.setInterval(\"x\", 1);",
      'window.eval(code);',
    ].join('\n');
    const found = evals(text);
    assert.deepEqual(found.map((f) => f.range.start.line), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(found[0].range, { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } });
    assert.deepEqual(found[1].range, { start: { line: 2, column: 11 }, end: { line: 2, column: 23 } });
    assert.equal(found[3].range.start.column, 12);
  });

  it('skips eval methods, function timers and a locally declared eval', () => {
    const text = [
      'obj.eval(code);',
      'interpreter.eval("1 + 1");',
      'setTimeout(() => tick(), 10);',
      'setTimeout(tick, 10);',
      'timers.setTimeout("not the global", 1);',
      'const fn = new Map();',
    ].join('\n');
    assert.deepEqual(evals(text), []);
    assert.deepEqual(evals('function eval(x: string) { return x; }\neval("a");\n'), []);
    assert.deepEqual(run('a.py', 'eval(code)\n'), []);
  });
});

describe('security/command-injection', () => {
  it('reports exec/execSync with built commands, however child_process is bound', () => {
    const cases = [
      "import { exec } from 'child_process';\nexec(`ls ${dir}`);",
      "import { execSync as run } from 'node:child_process';\nrun('rm -rf ' + dir);",
      "import * as cp from 'child_process';\ncp.exec(`git ${args}`);",
      "import cp from 'child_process';\ncp.execSync('git ' + args.join(' '));",
      "const cp = require('child_process');\ncp.exec(\"ls \" + (dir));",
      "const { exec: sh } = require('node:child_process');\nsh(`x ${y}`, cb);",
      "import cp = require('child_process');\ncp.exec(`${cmd}`);",
      "require('child_process').execSync(`ls ${dir}`);",
      "function later() { run(`ls ${d}`); }\nconst { execSync: run } = require('child_process');",
    ];
    for (const text of cases) {
      const found = injections(text);
      assert.equal(found.length, 1, text);
      assert.match(found[0].message, /execFile\(\) or spawn\(\)/);
    }
    const [finding] = injections("import { exec } from 'child_process';\nexec(`ls ${dir}`, cb);");
    assert.deepEqual(finding.range, { start: { line: 2, column: 6 }, end: { line: 2, column: 17 } });
    assert.match(finding.message, /template literal passed to exec\(\)/);
  });

  it('skips literal commands, execFile/spawn, and exec that is not child_process', () => {
    const text = [
      "import { exec, execFile, spawn } from 'child_process';",
      "exec('ls -la');",
      'exec(`ls -la`);',
      "exec('ls ' + '-la');",
      'execFile("git", ["log", ref]);',
      'spawn("git", [`${ref}`]);',
      "execFile(`git`, [ref]);",
      'db.exec(`DELETE FROM t WHERE id = ${id}`);',
      'regex.exec(`${text}`);',
    ].join('\n');
    assert.deepEqual(injections(text), []);
    assert.deepEqual(injections('import { exec } from "./shell";\nexec(`ls ${dir}`);\n'), []);
    assert.deepEqual(injections('const cp = require("./cp");\ncp.exec(`ls ${dir}`);\n'), []);
  });
});

describe('securityAgent', () => {
  it('has the fixed id and version, applies to every language, and is clean on clean code', () => {
    assert.equal(securityAgent.id, 'security');
    assert.equal(securityAgent.version, '3');
    assert.ok(securityAgent.appliesTo('script') && securityAgent.appliesTo('python') && securityAgent.appliesTo('text'));
    assert.deepEqual(run('src/a.ts', 'export const answer = 42;\n'), []);
  });

  it('stops when the signal is already aborted', () => {
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => securityAgent.run(makeInput('a.ts', 'x'), controller.signal));
  });
});
