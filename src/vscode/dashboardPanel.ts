import * as vscode from 'vscode';
import {
  DASHBOARD_VIEW_TYPE, isDashboardToHost, isPersistedState, type DashboardAction, type DashboardData,
  type DashboardToHost, type HostToDashboard,
} from '../shared/protocol';
import { createThrottle, type Throttle } from '../shared/throttle';
import { COMMANDS } from './constants';
import type { DashboardFeed } from './dashboardFeed';
import { dashboardHtml, dashboardOptions } from './dashboardHtml';
import type { EngineClient } from './engineClient';
import type { FindingStore } from './findingStore';
import type { Logger } from './logger';

/** At most 4 messages a second, whatever the audit's pace. */
export const UPDATE_INTERVAL_MS = 250;

/** What the internal `maintenanceTeam.dashboardState` command answers (integration tests read it). */
export interface DashboardTestState {
  readonly open: boolean;
  readonly ready: boolean;
  /** Data messages posted since the panel opened. */
  readonly posted: number;
  readonly lastPosted?: DashboardData;
  /** The last render the webview reported. */
  readonly rendered?: { readonly seq: number; readonly agentRows: number };
}

/** What the dashboard needs from the rest of the extension. */
export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineClient;
  readonly store: FindingStore;
  readonly feed: DashboardFeed;
  readonly log: Logger;
}

/**
 * The metrics dashboard: at most one panel, opened by the command or revived after a window reload. While the
 * webview is ready and visible, the feed's changes reach it throttled; a hidden panel drops its page (no
 * `retainContextWhenHidden`) and gets everything again when its page says `ready`.
 */
export class Dashboard implements vscode.Disposable {
  private panel: DashboardSession | undefined;

  constructor(private readonly deps: DashboardDeps) {}

  /** Shows the panel, creating it if needed. */
  open(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Maintenance metrics', vscode.ViewColumn.Active,
      dashboardOptions(this.deps.extensionUri));
    this.attach(panel);
  }

  /** Takes over a panel VS Code restored after a reload, with the state its page had saved. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    if (isPersistedState(state)) this.deps.feed.restore(state.data);
    panel.webview.options = dashboardOptions(this.deps.extensionUri);
    if (this.panel) {
      // Only one dashboard: a second restored panel (two windows' state merged) is closed.
      panel.dispose();
      this.panel.reveal();
      return;
    }
    this.attach(panel);
  }

  /** The test seam's answer. */
  testState(): DashboardTestState {
    return this.panel?.testState() ?? { open: false, ready: false, posted: 0 };
  }

  private attach(panel: vscode.WebviewPanel): void {
    const session = new DashboardSession(panel, this.deps, () => {
      if (this.panel === session) this.panel = undefined;
    });
    this.panel = session;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** One open dashboard panel: its page, its message traffic, its throttle. */
class DashboardSession implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly throttle: Throttle;
  private ready = false;
  private seq = 0;
  private lastPosted: DashboardData | undefined;
  private rendered: { seq: number; agentRows: number } | undefined;
  private disposed = false;

  constructor(private readonly panel: vscode.WebviewPanel, private readonly deps: DashboardDeps, onDispose: () => void) {
    this.throttle = createThrottle(() => this.post(), UPDATE_INTERVAL_MS);
    panel.webview.html = dashboardHtml(panel.webview, deps.extensionUri);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      deps.feed.onDidChange(() => this.throttle.request()),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  testState(): DashboardTestState {
    return { open: true, ready: this.ready, posted: this.seq, lastPosted: this.lastPosted, rendered: this.rendered };
  }

  private receive(message: unknown): void {
    if (!isDashboardToHost(message)) {
      this.deps.log.warn(`dashboard: unexpected message ${JSON.stringify(message)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: DashboardToHost): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.throttle.cancel();
        this.post();
        // The first look at a session with no audit yet asks the engine (which answers through the feed).
        if (!this.deps.feed.hasMetrics) this.run('read the metrics', () => this.deps.engine.metrics());
        return;
      case 'rendered':
        this.rendered = { seq: message.seq, agentRows: message.agentRows };
        this.deps.log.trace(`dashboard: rendered data ${message.seq} (${message.agentRows} agents)`);
        return;
      case 'openFile':
        this.run('open the file', () => this.openFile(message.uri));
        return;
      case 'action':
        this.run(message.action.kind, () => this.act(message.action));
    }
  }

  private post(): void {
    if (this.disposed || !this.ready || !this.panel.visible) return;
    const data = this.deps.feed.data();
    this.lastPosted = data;
    const message: HostToDashboard = { type: 'data', seq: ++this.seq, data };
    void this.panel.webview.postMessage(message);
  }

  private async act(action: DashboardAction): Promise<void> {
    switch (action.kind) {
      case 'runAudit': await vscode.commands.executeCommand(COMMANDS.runAudit); return;
      case 'clearCache': await vscode.commands.executeCommand(COMMANDS.clearCache); return;
      case 'exportMetrics': await vscode.commands.executeCommand(COMMANDS.exportMetrics); return;
      case 'openConfig': await vscode.commands.executeCommand(COMMANDS.createConfig); return;
      case 'resetBreakers':
        if (action.agent === undefined) {
          await vscode.commands.executeCommand(COMMANDS.resetBreakers);
        } else {
          await this.deps.engine.resetBreakers(action.agent);
          this.deps.log.info(`circuit breaker of ${action.agent} reset from the dashboard: the agent runs again`);
        }
    }
  }

  /** Opens a file the store has a result for, beside the dashboard (never an arbitrary URI from the page). */
  private async openFile(uri: string): Promise<void> {
    const target = vscode.Uri.parse(uri);
    if (!this.deps.store.has(target)) {
      this.deps.log.warn(`dashboard: no audit result for ${uri}; not opened`);
      return;
    }
    const beside = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    await vscode.window.showTextDocument(target, { viewColumn: beside, preview: true });
  }

  /** Runs a request of the page; a failure is logged and shown, never left floating. */
  private run(what: string, work: () => Promise<unknown>): void {
    work().catch((error: unknown) => {
      this.deps.log.error(`dashboard: could not ${what}`, error);
      void vscode.window.showErrorMessage(`Maintenance Team: could not ${what}: ${error instanceof Error ? error.message : error}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.throttle.cancel();
    this.subscriptions.forEach((s) => s.dispose());
    this.panel.dispose();
  }
}

/**
 * Registers the dashboard: "Maintenance: Open metrics dashboard", the serializer that revives the panel after a
 * window reload (package.json's `onWebviewPanel:` activation event), and the internal state command of the tests.
 */
export function registerDashboard(deps: DashboardDeps): vscode.Disposable {
  const dashboard = new Dashboard(deps);
  return vscode.Disposable.from(
    dashboard,
    vscode.commands.registerCommand(COMMANDS.openDashboard, () => dashboard.open()),
    vscode.commands.registerCommand(COMMANDS.dashboardState, () => dashboard.testState()),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => dashboard.revive(panel, state),
    }),
  );
}
