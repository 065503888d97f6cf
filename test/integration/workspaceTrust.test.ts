// Issue 18, item 1 in the real extension host: neither the repository's maintenance-team.yaml nor the workspace's
// own settings can point the engine at a host; the user's settings can. A loopback listener stands for the host; it must see nothing until the user sets the URL.
// (The runner disables Workspace Trust, so the window is trusted: Restricted Mode is covered by the unit tests of
// src/core/trust/workspaceTrust.ts.)
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { fixtureUri, waitFor } from './helpers';

const CONFIG_SOURCE = 'maintenance-team-config';

interface Listener { server: net.Server; port: number; connections: number }

async function listen(): Promise<Listener> {
  const listener: Listener = { server: net.createServer(), port: 0, connections: 0 };
  listener.server.on('connection', (socket) => {
    listener.connections++;
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.server.listen(0, '127.0.0.1', resolve));
  listener.port = (listener.server.address() as net.AddressInfo).port;
  return listener;
}

/** Connects once and waits until the listener counted it: every connection made before it was counted first. */
async function probe(listener: Listener): Promise<void> {
  const before = listener.connections;
  const socket = net.connect(listener.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await waitFor('the probe connection', () => listener.connections > before);
  socket.destroy();
}

suite('Trust boundary: the shared cache', () => {
  const settingsUri = () => fixtureUri('.vscode/settings.json');
  const configUri = () => fixtureUri('maintenance-team.yaml');
  let listener: Listener;

  suiteSetup(async () => {
    listener = await listen();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('maintenanceTeam').update('sharedCache.url', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.delete(settingsUri()).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(configUri()).then(undefined, () => undefined);
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
  });

  test('the repository\'s maintenance-team.yaml and workspace settings naming a host are not applied: the audit connects nowhere', async () => {
    const url = `redis://x@127.0.0.1:${listener.port}`;
    const yaml = `marker: 1\nglobal:\n  cache:\n    shared:\n      url: ${url}\n      passwordEnv: PATH\n`;
    await vscode.workspace.fs.writeFile(configUri(), Buffer.from(yaml));
    const problems = () => vscode.languages.getDiagnostics(configUri()).filter((d) => d.source === CONFIG_SOURCE).map((d) => d.message);
    // The configuration was read (its unknown key is flagged) before the audit runs.
    await waitFor('the configuration to be applied', () => problems().some((m) => m.includes("'marker'")));
    const changed = new Promise<void>((resolve) => {
      const subscription = vscode.workspace.onDidChangeConfiguration(() => (subscription.dispose(), resolve()));
    });
    await vscode.workspace.fs.writeFile(settingsUri(), Buffer.from(JSON.stringify({ 'maintenanceTeam.sharedCache.url': url })));
    await Promise.race([changed, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
    await probe(listener);
    assert.strictEqual(listener.connections, 1, 'only the probe connected');
    assert.ok(problems().some((m) => m.startsWith('global.cache.shared.url:')), 'the url key is flagged on the file');
    assert.strictEqual(vscode.workspace.getConfiguration('maintenanceTeam').get('sharedCache.url'), '');
  });

  test('the user\'s (machine-scope) setting is applied: the next audit connects (the listener test can fail)', async () => {
    const before = listener.connections;
    await vscode.workspace.getConfiguration('maintenanceTeam')
      .update('sharedCache.url', `redis://127.0.0.1:${listener.port}`, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
    await waitFor('a connection from the engine', () => listener.connections > before);
  });
});
