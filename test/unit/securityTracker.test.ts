import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { securityAgent } from '../../src/agents/security';
import type { Finding } from '../../src/core/model';
import { makeInput } from './helpers/agentInput';

/** Issue 22: the rules that follow values (command built first and run second, indirect eval) and the new sinks. */

const run = (text: string, path = 'src/a.ts'): Finding[] =>
  securityAgent.run(makeInput(path, text), new AbortController().signal) as Finding[];
const of = (rule: string, text: string, path?: string): Finding[] => run(text, path).filter((f) => f.rule === `security/${rule}`);
const lines = (found: Finding[]): number[] => found.map((f) => f.range.start.line);

describe('security/command-injection follows the command into variables', { timeout: 30_000 }, () => {
  it('reports a command built first and run second (Theia remote-wsl-connection.ts)', () => {
    const text = [
      "import { exec } from 'child_process';",
      'class WslConnection {',
      '  run(cmd: string) {',
      '    const fullCommand = `wsl -d ${this.distribution} ${cmd}`;',
      '    exec(fullCommand, { encoding: "utf8" });',
      '  }',
      '}',
    ].join('\n');
    const found = of('command-injection', text);
    assert.deepEqual(lines(found), [5]);
    assert.match(found[0].message, /template literal \(in 'fullCommand'\) passed to exec\(\)/);
    assert.equal(found[0].severity, 'error');
  });

  it('follows single-assignment lets, concatenations, joins and request data', () => {
    const text = [
      "const cp = require('child_process');",
      "function a(dir) { let c = 'ls ' + dir; cp.exec(c); }",
      "function b(args) { const parts = ['git', ...args]; const line = parts.join(' '); cp.execSync(line); }",
      'function c(req) { cp.exec(req.query.cmd); }',
    ].join('\n');
    assert.deepEqual(lines(of('command-injection', text)), [2, 3, 4]);
  });

  it('is silent on constants, however written, on reassigned lets and on opaque values', () => {
    const text = [
      "import { exec, execSync } from 'child_process';",
      "exec(`ls ${'constant'}`);",
      "const flags = '-la'; exec(`ls ${flags}`);",
      "const parts = ['git', 'status']; execSync(parts.join(' '));",
      'execSync(`taskkill /pid ${child.pid} /T /F`);',
      "function f(x) { let c = 'ls'; c = x; exec(c); }",
      'function g(command) { exec(command); }',
      "exec(`echo ${escape(value)}`);",
    ].join('\n');
    assert.deepEqual(of('command-injection', text), []);
  });
});

describe('security/eval: indirect forms and strings in variables', { timeout: 30_000 }, () => {
  it('reports (0, eval)(s), window[\'eval\'](s) and setTimeout(s, 1) with s a string', () => {
    const text = [
      'function f(s: string) { (0, eval)(s); }',
      "function g(s: string) { window['eval'](s); }",
      'const s = `tick(${n})`;',
      'setTimeout(s, 1);',
      "globalThis['setInterval']('poll()', 5);",
    ].join('\n');
    assert.deepEqual(lines(of('eval', text)), [1, 2, 4, 5]);
  });

  it('is an error with computed code, a warning with constant code, silent on function timers', () => {
    const found = of('eval', "eval(code);\nnew Function('url', 'return import(url)');\n");
    assert.deepEqual(found.map((f) => f.severity), ['error', 'warning']);
    const text = 'const tick = () => 1;\nsetTimeout(tick, 1);\nconst t = tick;\nsetInterval(t, 5);\n(0, other)(s);\n';
    assert.deepEqual(of('eval', text), []);
  });
});

describe('security/sql-injection', { timeout: 30_000 }, () => {
  it('reports queries built from values, an error when the value is a request\'s or an exported caller\'s', () => {
    const text = [
      'function a(id) { return db.query(`SELECT * FROM users WHERE id = ${id}`); }',
      "app.get('/u', (req, res) => pool.query('DELETE FROM t WHERE name = \\'' + req.params.name + '\\''));",
      'export function c(table: string) { const sql = `select count(*) from ${table}`; return knex.raw(sql); }',
    ].join('\n');
    const found = of('sql-injection', text);
    assert.deepEqual(lines(found), [1, 2, 3]);
    assert.deepEqual(found.map((f) => f.severity), ['warning', 'error', 'error']);
    assert.match(found[0].message, /query parameters/);
  });

  it('is silent on placeholders, constants, and text that is not SQL', () => {
    const text = [
      "db.query('SELECT * FROM users WHERE id = $1', [id]);",
      "db.query(`SELECT * FROM ${'users'}`);",
      'db.query(sql`SELECT * FROM users WHERE id = ${id}`);',
      'cache.get(`user:${id}`);',
      'regex.exec(`${text}`);',
      'map.run(`update the ${thing}`);',
    ].join('\n');
    assert.deepEqual(of('sql-injection', text), []);
  });
});

describe('security/path-traversal', { timeout: 30_000 }, () => {
  it('reports request and message data reaching an fs path', () => {
    const text = [
      "import * as fs from 'fs';",
      "import { readFile } from 'fs/promises';",
      "app.get('/f', (req, res) => fs.readFile(path.join(root, req.params.name), cb));",
      "app.get('/g', async (req, res) => res.send(await readFile(req.query.file)));",
      "window.addEventListener('message', (event) => fs.writeFileSync(event.data.path, 'x'));",
      "app.get('/h', (req, res) => res.sendFile(req.params[0]));",
    ].join('\n');
    const found = of('path-traversal', text);
    assert.deepEqual(lines(found), [3, 4, 5, 6]);
    assert.ok(found.every((f) => f.severity === 'error'));
  });

  it('is silent on checked paths, local values and constants', () => {
    const text = [
      "import * as fs from 'fs';",
      'function serve(req) {',
      '  const file = path.resolve(root, req.params.name);',
      "  if (!file.startsWith(root + path.sep)) throw new Error('outside');",
      '  return fs.readFileSync(file);',
      '}',
      'export function load(file: string) { return fs.readFileSync(file); }',
      'fs.readFileSync(process.argv[2]);',
      "fs.readFileSync(path.join(__dirname, 'a.json'));",
      'fs.readFileSync(path.basename(req.query.f));',
    ].join('\n');
    assert.deepEqual(of('path-traversal', text), []);
  });
});

describe('security/unsafe-html', { timeout: 30_000 }, () => {
  it('reports HTML built from values and untrusted values', () => {
    const text = [
      'el.innerHTML = `<b>${name}</b>`;',
      "el.outerHTML = '<div>' + label + '</div>';",
      "el.insertAdjacentHTML('beforeend', location.hash);",
      'document.write(`<p>${document.URL}</p>`);',
      'const x = <div dangerouslySetInnerHTML={{ __html: `<i>${text}</i>` }} />;',
    ].join('\n');
    const found = of('unsafe-html', text, 'src/a.tsx');
    assert.deepEqual(lines(found), [1, 2, 3, 4, 5]);
    assert.deepEqual(found.map((f) => f.severity), ['warning', 'warning', 'error', 'error', 'warning']);
  });

  it('is silent on constants, sanitised values and opaque values', () => {
    const text = [
      "el.innerHTML = '';",
      "el.innerHTML = `<b>${'x'}</b>`;",
      'el.innerHTML = DOMPurify.sanitize(`<b>${name}</b>`);',
      'el.innerHTML = `<b>${escapeHtml(name)}</b>`;',
      'el.innerHTML = rendered;',
      'el.textContent = `<b>${name}</b>`;',
      'const x = <div dangerouslySetInnerHTML={{ __html: markdown.render(src) }} />;',
    ].join('\n');
    assert.deepEqual(of('unsafe-html', text, 'src/a.tsx'), []);
  });
});

describe('security/shell-true', { timeout: 30_000 }, () => {
  it('reports spawn/execFile with a shell option and values', () => {
    const text = [
      "import { spawn, execFile } from 'child_process';",
      'function a(command, args) { spawn(command, args, { shell: true }); }',
      "export function b(file) { execFile('git', ['log', file], { shell: process.platform === 'win32' }); }",
    ].join('\n');
    const found = of('shell-true', text);
    assert.deepEqual(lines(found), [2, 3]);
    assert.deepEqual(found.map((f) => f.severity), ['warning', 'error']);
  });

  it('is silent without the shell option, with shell: false, and with constant commands', () => {
    const text = [
      "import { spawn, execFile } from 'child_process';",
      'spawn(command, args);',
      'spawn(command, args, { shell: false });',
      "spawn('npm', ['install'], { shell: true });",
      "other.spawn(command, args, { shell: true });",
    ].join('\n');
    assert.deepEqual(of('shell-true', text), []);
  });
});

describe('security/tls-disabled', { timeout: 30_000 }, () => {
  it('reports rejectUnauthorized: false and NODE_TLS_REJECT_UNAUTHORIZED = \'0\'', () => {
    const text = [
      'https.request({ host, rejectUnauthorized: false });',
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';",
      "spawn('node', [], { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });",
      'agent.options.rejectUnauthorized = false;',
    ].join('\n');
    const found = of('tls-disabled', text);
    assert.deepEqual(lines(found), [1, 2, 3, 4, 5]);
    assert.ok(found.every((f) => f.severity === 'warning'));
  });

  it('is silent when the checks stay on or follow a setting', () => {
    const text = "https.request({ rejectUnauthorized: true });\nconst o = { rejectUnauthorized: strictSSL };\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';\n";
    assert.deepEqual(of('tls-disabled', text), []);
  });
});

describe('security/weak-random', { timeout: 30_000 }, () => {
  it('reports Math.random() making a token, password, nonce or key', () => {
    const text = [
      'const token = Math.random().toString(36).slice(2);',
      'const session = { csrfToken: Math.random() };',
      'function generatePassword() { return Math.random().toString(36); }',
      'const makeNonce = () => String(Math.random());',
      'user.apiKey = Math.floor(Math.random() * 1e16).toString(16);',
    ].join('\n');
    assert.deepEqual(lines(of('weak-random', text)), [1, 2, 3, 4, 5]);
  });

  it('is silent on ids, keys of lists, jitter and handles', () => {
    const text = [
      'const id = Math.random().toString(36);',
      'const key = Math.random();',
      'const delay = base * Math.random();',
      'const session = Math.random();',
      'const tokenCount = items.length;',
    ].join('\n');
    assert.deepEqual(of('weak-random', text), []);
  });
});
