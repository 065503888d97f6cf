import * as vscode from 'vscode';
import type { SharedCacheEndpoint } from '../core/cache/shared/sharedEndpoint';
import { editorSharedEndpoint, trustPolicy, type SharedCacheSettings, type TrustPolicy } from '../core/trust/workspaceTrust';
import { SETTINGS_SECTION } from './constants';
import type { Logger } from './logger';

/**
 * Forwards VS Code's Workspace Trust and the machine-scope `maintenanceTeam.sharedCache.*` settings to the core's
 * policy (src/core/trust/workspaceTrust.ts): in Restricted Mode the engine gets no shared cache and saves get no fix; once
 * the user trusts the workspace both apply from the next audit and save.
 */
export class WorkspaceTrustState implements vscode.Disposable {
  private endpoint: SharedCacheEndpoint | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly log: Logger) {
    this.endpoint = this.resolve();
    this.disposables = [
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.endpoint = this.resolve();
        log.info('workspace trusted: the shared cache (if configured) and fix on save are enabled');
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.sharedCache`)) this.endpoint = this.resolve();
      }),
    ];
  }

  /** What the workspace's trust allows now. */
  policy(): TrustPolicy {
    return trustPolicy(vscode.workspace.isTrusted);
  }

  /** The shared cache the engine may open now; undefined in Restricted Mode or when the user set none. */
  sharedCache(): SharedCacheEndpoint | undefined {
    return this.policy().sharedCache ? this.endpoint : undefined;
  }

  private resolve(): SharedCacheEndpoint | undefined {
    const policy = this.policy();
    if (!policy.sharedCache) {
      this.log.info('Restricted Mode: the team audits, but opens no shared cache and fixes nothing on save until the workspace is trusted');
    }
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const settings: SharedCacheSettings = {
      url: config.get<string>('sharedCache.url', ''),
      nodes: stringsOf(config.get<unknown>('sharedCache.nodes')),
      cluster: config.get<boolean>('sharedCache.cluster', false),
      passwordEnv: config.get<string>('sharedCache.passwordEnv', ''),
    };
    return editorSharedEndpoint(policy, settings, process.env, (message) => this.log.warn(message));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
