// The metrics dashboard in the real extension host: the command opens the webview panel, its page runs under the
// CSP and says `ready`, and an audit's metrics snapshots reach it (throttled) and are rendered. The page's DOM and
// buttons are checked in headless chromium by test/ui/dashboard.test.js.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor } from './helpers';

const OPEN_DASHBOARD = 'maintenanceTeam.openDashboard';
/** Internal command (not in package.json): what the panel last posted and what its page reported rendering. */
const DASHBOARD_STATE = 'maintenanceTeam.dashboardState';
/** The host posts at most every 250 ms. */
const UPDATE_INTERVAL_MS = 250;

/** The parts of the dashboard's data these tests read (src/shared/protocol.ts has the whole). */
interface PostedData {
  readonly audit: { readonly kind: string };
  readonly counts: Record<'error' | 'warning' | 'info' | 'hint', number>;
  readonly filesAudited: number;
  readonly score: number;
  readonly worstFiles: readonly { readonly uri: string; readonly label: string; readonly score: number }[];
  readonly snapshot?: {
    readonly global: { readonly executions: number };
    readonly agents: Record<string, { readonly executions: number; readonly breaker?: { readonly state: string } }>;
  };
  readonly history: readonly unknown[];
}

interface DashboardState {
  readonly open: boolean;
  readonly ready: boolean;
  readonly posted: number;
  readonly lastPosted?: PostedData;
  readonly rendered?: { readonly seq: number; readonly agentRows: number };
}

function dashboardState(): Thenable<DashboardState> {
  return vscode.commands.executeCommand<DashboardState>(DASHBOARD_STATE);
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('maintenanceTeam.dashboard'));
}

suite('The metrics dashboard', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'maintenance-team');
    assert.ok(ext, 'the extension under development is not loaded');
    await ext.activate();
  });

  suiteTeardown(async () => {
    await vscode.window.tabGroups.close(dashboardTabs());
  });

  test('"Maintenance: Open metrics dashboard" opens one panel whose page says ready and renders', async () => {
    await vscode.commands.executeCommand(OPEN_DASHBOARD);
    const state = await waitFor('the dashboard page to say ready and render', async () => {
      const s = await dashboardState();
      return s.ready && s.rendered ? s : undefined;
    });
    assert.ok(state.open);
    assert.ok(state.posted >= 1);
    await vscode.commands.executeCommand(OPEN_DASHBOARD);
    assert.strictEqual(dashboardTabs().length, 1, 'a second open reveals the same panel');
  });

  test('an audit\'s snapshots reach the page, throttled, with files, findings, scores and every agent', async () => {
    const before = (await dashboardState()).posted;
    const started = Date.now();
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
    const state = await waitFor('the audit\'s last snapshot rendered', async () => {
      const s = await dashboardState();
      const data = s.lastPosted;
      const ran = data?.snapshot && Object.values(data.snapshot.agents).some((a) => a.executions > 0);
      // A post newer than the audit's start: updates are throttled, so the last one may land after the command ends,
      // and until then the page still shows the previous audit, which would satisfy every other condition here.
      return ran && s.posted > before && data.audit.kind === 'done' && s.rendered?.seq === s.posted ? s : undefined;
    });
    const elapsedMs = Date.now() - started;
    const data = state.lastPosted!;
    const agents = Object.keys(data.snapshot!.agents);
    for (const agent of ['structure', 'hygiene', 'imports', 'complexity']) assert.ok(agents.includes(agent), `${agent} in ${agents}`);
    assert.strictEqual(state.rendered!.agentRows, agents.length, 'one rendered row per agent');
    // The fault-injection agents the runner may add (MAINTENANCE_TEAM_TEST_AGENTS) are another test's business.
    const team = Object.entries(data.snapshot!.agents).filter(([id]) => !id.startsWith('faulty:'));
    assert.deepStrictEqual(team.filter(([, a]) => a.breaker?.state !== 'closed').map(([id]) => id), [], 'every team breaker closed');
    assert.ok(data.filesAudited >= 5, `files audited: ${data.filesAudited}`);
    assert.ok(data.counts.error >= 1, 'the syntax error of src/broken.ts is counted');
    assert.ok(data.score > 0 && data.score < 100, `workspace score ${data.score}`);
    assert.ok(data.worstFiles.some((f) => f.label === 'src/broken.ts'), `worst files: ${data.worstFiles.map((f) => f.label)}`);
    assert.ok(data.history.length >= 1, 'the cache chart has history');
    const posted = state.posted - before;
    assert.ok(posted >= 1, 'the audit was posted');
    assert.ok(posted <= Math.ceil(elapsedMs / UPDATE_INTERVAL_MS) + 2, `${posted} messages in ${elapsedMs} ms: not throttled`);
  });

  test('closing the panel stops the traffic; the command opens a new one', async () => {
    await vscode.window.tabGroups.close(dashboardTabs());
    await waitFor('the panel to close', async () => !(await dashboardState()).open);
    await vscode.commands.executeCommand(OPEN_DASHBOARD);
    await waitFor('the new panel to say ready', async () => (await dashboardState()).ready);
  });
});
