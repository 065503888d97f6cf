import * as vscode from 'vscode';
import { BoundedReadError, MAX_MANIFEST_BYTES, readBoundedText } from '../core/files/boundedRead';
import type { ConfigProblem } from '../core/config/load';
import { parseConfig } from '../core/config/load';
import { defaultConfig, type TeamConfig } from '../core/config/schema';
import { countOf } from '../core/wording';
import { CONFIG_DIAGNOSTIC_SOURCE, SETTINGS_SECTION } from './constants';
import type { Logger } from './logger';

const DEFAULT_CONFIG_PATH = 'maintenance-team.yaml';
/** Delay after the last keystroke in the YAML file before its problems are shown again. */
const VALIDATE_DELAY_MS = 250;

interface FolderConfig {
  readonly uri: vscode.Uri;
  config: TeamConfig;
  /** Text last applied (the file on disk, or its saved document), to ignore saves that change nothing. */
  appliedText: string | undefined;
}

/**
 * The team's configuration per workspace folder: reads `maintenance-team.yaml` (or the file named by the
 * `maintenanceTeam.configPath` setting), shows its problems as diagnostics in that file while it is being
 * edited, and applies it when it is saved or changed on disk, firing `onDidChange` so the findings are
 * recomputed without a reload. An invalid value never stops the team: its default stands in.
 */
export class ConfigService implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection(CONFIG_DIAGNOSTIC_SOURCE);
  /** By folder fsPath, the key the engine's requests carry. */
  private readonly folders = new Map<string, FolderConfig>();
  private readonly changed = new vscode.EventEmitter<vscode.WorkspaceFolder>();
  /** Fires when a folder's applied configuration changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.diagnostics, this.changed];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private watchers: vscode.Disposable[] = [];

  constructor(private readonly log: Logger) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.isConfigFile(e.document.uri)) this.scheduleValidation(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.isConfigFile(d.uri)) void this.reload(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.configPath`)) void this.reloadAll();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reloadAll()),
    );
  }

  /** Reads every folder's configuration (on activation). */
  async initialize(): Promise<void> {
    await this.reloadAll();
  }

  /** The configuration of the workspace folder at `root` (its fsPath); defaults when it has none. */
  configFor(root: string): TeamConfig {
    return this.folders.get(root)?.config ?? defaultConfig();
  }

  /** Where the configuration of `folder` lives (whether or not the file exists). */
  configUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    const setting = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>('configPath') || DEFAULT_CONFIG_PATH;
    return vscode.Uri.joinPath(folder.uri, setting);
  }

  private isConfigFile(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder !== undefined && this.configUri(folder).toString() === uri.toString();
  }

  private async reloadAll(): Promise<void> {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = this.configUri(folder);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, vscode.workspace.asRelativePath(uri, false)));
      const onDisk = () => void this.reload(uri);
      this.watchers.push(watcher, watcher.onDidCreate(onDisk), watcher.onDidChange(onDisk), watcher.onDidDelete(onDisk));
      await this.reload(uri);
    }
  }

  /** Re-reads one folder's configuration from disk and applies it if it changed. */
  async reload(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    const { text, refused } = await readText(uri);
    const known = this.folders.get(folder.uri.fsPath);
    if (known && known.appliedText === text && known.uri.toString() === uri.toString() && !refused) return;
    const { config, problems } = text === undefined
      ? { config: defaultConfig(), problems: refused ? [refusal(refused)] : [] }
      : parseConfig(text);
    this.show(uri, problems);
    this.folders.set(folder.uri.fsPath, { uri, config, appliedText: text });
    if (known) {
      this.log.info(`configuration of ${folder.name} ${text === undefined ? 'removed: defaults apply' : 'applied'}`
        + `${problems.length > 0 ? ` (${countOf(problems.length, 'problem')}, see ${vscode.workspace.asRelativePath(uri)})` : ''}`);
      this.changed.fire(folder);
    }
  }

  private scheduleValidation(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!document.isClosed) this.show(document.uri, parseConfig(document.getText()).problems);
    }, VALIDATE_DELAY_MS));
  }

  private show(uri: vscode.Uri, problems: readonly ConfigProblem[]): void {
    this.diagnostics.set(uri, problems.map((problem) => {
      const { start, end } = problem.range;
      const range = new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1);
      const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
      diagnostic.source = CONFIG_DIAGNOSTIC_SOURCE;
      return diagnostic;
    }));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
  }
}

/**
 * The configuration's text, undefined when there is none or it cannot be read, then with the reason when it was
 * refused. A file on disk goes through the engine's bounded reader: a FIFO or a huge file under the name never
 * blocks or fills the extension host.
 */
async function readText(uri: vscode.Uri): Promise<{ text?: string; refused?: string }> {
  try {
    if (uri.scheme === 'file') return { text: await readBoundedText(uri.fsPath) };
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_MANIFEST_BYTES) return { refused: `over the ${MAX_MANIFEST_BYTES / 1024} KB limit` };
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (error) {
    return error instanceof BoundedReadError ? { refused: error.reason } : {};
  }
}

/** The one problem shown on a configuration file that was not read. */
function refusal(reason: string): ConfigProblem {
  const here = { line: 1, column: 1 };
  return { severity: 'error', message: `cannot read the configuration: ${reason}`, range: { start: here, end: here } };
}
