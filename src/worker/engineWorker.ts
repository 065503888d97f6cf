/**
 * The engine's worker thread: walks, parses, audits and fixes off the extension host's thread.
 * It speaks src/shared/engineProtocol.ts and imports nothing from 'vscode'.
 */
import { parentPort } from 'node:worker_threads';
import type { Agent } from '../agents/agent';
import { createTeam } from '../agents/registry';
import { fixFile } from '../agents/validator';
import { runSettingsOf } from '../core/config/configFile';
import type { TeamConfig } from '../core/config/schema';
import { runAudit, type AuditTarget } from '../core/coordinator';
import { listFiles, toAuditTargets } from '../core/walker';
import type {
  AuditFilesRequest, AuditFolderRequest, FixTextRequest, HostToWorker, TextOverlay, WorkerToHost,
} from '../shared/engineProtocol';

const running = new Map<number, AbortController>();
/** Teams built for the configurations seen lately (one per workspace folder, usually). */
const teams = new Map<string, Agent[]>();
const TEAMS_KEPT = 8;

function teamFor(config: TeamConfig): Agent[] {
  const key = JSON.stringify(config.team);
  let team = teams.get(key);
  if (!team) {
    team = createTeam(config);
    if (teams.size >= TEAMS_KEPT) teams.delete(teams.keys().next().value!);
    teams.set(key, team);
  }
  return team;
}

function post(message: WorkerToHost): void {
  parentPort?.postMessage(message);
}

function targetsOf(root: string, paths: readonly string[], overlays: readonly TextOverlay[]): AuditTarget[] {
  const texts = new Map(overlays.map((o) => [o.path, o.text]));
  return toAuditTargets(root, paths).map((target) => ({ ...target, text: texts.get(target.path) }));
}

async function audit(request: AuditFolderRequest | AuditFilesRequest, signal: AbortSignal): Promise<void> {
  const settings = runSettingsOf(request.config);
  const { filter } = settings;
  let paths: readonly string[];
  if (request.type === 'auditFolder') {
    paths = (await listFiles(request.root, { signal, skipDir: (rel) => filter.excludesDir(rel) })).files
      .filter((path) => filter.includes(path));
  } else {
    // A file asked for by name that the globs exclude loses its diagnostics, as if it were not there.
    for (const path of request.paths.filter((p) => !filter.includes(p))) {
      post({ type: 'skip', id: request.id, skipped: { path, reason: 'excluded' } });
    }
    paths = request.paths.filter((path) => filter.includes(path));
  }
  const result = await runAudit(targetsOf(request.root, paths, request.overlays), {
    root: request.root,
    agents: teamFor(request.config),
    signal,
    concurrency: settings.concurrency,
    limits: settings.limits,
    onFile: (file) => post({ type: 'file', id: request.id, result: file }),
    onSkip: (skipped) => post({ type: 'skip', id: request.id, skipped }),
    onProgress: (done, total) => post({ type: 'progress', id: request.id, done, total }),
  });
  post({ type: 'auditDone', id: request.id, result: { ...result, files: [] } });
}

async function fix(request: FixTextRequest, signal: AbortSignal): Promise<void> {
  const rules = request.rules && new Set(request.rules);
  const fixed = await fixFile(request.path, request.text, teamFor(request.config), signal, {
    accept: rules ? (finding) => rules.has(finding.rule) : undefined,
  });
  post({ type: 'fixed', id: request.id, text: fixed.text, applied: fixed.applied, dropped: fixed.dropped });
}

async function handle(message: HostToWorker): Promise<void> {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    if (message.type === 'fixText') await fix(message, controller.signal);
    else await audit(message, controller.signal);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', id: message.id, message: e.message, stack: e.stack });
  } finally {
    running.delete(message.id);
  }
}

parentPort?.on('message', (message: HostToWorker) => void handle(message));
