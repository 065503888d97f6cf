/**
 * The engine's worker thread: walks, parses, audits and fixes off the extension host's thread.
 * It speaks src/shared/engineProtocol.ts and imports nothing from 'vscode'.
 */
import { parentPort } from 'node:worker_threads';
import { createDefaultAgents } from '../agents/registry';
import { fixFile } from '../agents/validator';
import { runAudit, type AuditTarget } from '../core/coordinator';
import { listFiles, toAuditTargets } from '../core/walker';
import type {
  AuditFilesRequest, AuditFolderRequest, FixTextRequest, HostToWorker, TextOverlay, WorkerToHost,
} from '../shared/engineProtocol';

const agents = createDefaultAgents();
const running = new Map<number, AbortController>();

function post(message: WorkerToHost): void {
  parentPort?.postMessage(message);
}

function targetsOf(root: string, paths: readonly string[], overlays: readonly TextOverlay[]): AuditTarget[] {
  const texts = new Map(overlays.map((o) => [o.path, o.text]));
  return toAuditTargets(root, paths).map((target) => ({ ...target, text: texts.get(target.path) }));
}

async function audit(request: AuditFolderRequest | AuditFilesRequest, signal: AbortSignal): Promise<void> {
  const paths = request.type === 'auditFolder' ? (await listFiles(request.root, { signal })).files : request.paths;
  const result = await runAudit(targetsOf(request.root, paths, request.overlays), {
    root: request.root,
    agents,
    signal,
    concurrency: request.type === 'auditFolder' ? request.concurrency : undefined,
    onFile: (file) => post({ type: 'file', id: request.id, result: file }),
    onSkip: (skipped) => post({ type: 'skip', id: request.id, skipped }),
    onProgress: (done, total) => post({ type: 'progress', id: request.id, done, total }),
  });
  post({ type: 'auditDone', id: request.id, result: { ...result, files: [] } });
}

async function fix(request: FixTextRequest, signal: AbortSignal): Promise<void> {
  const rules = request.rules && new Set(request.rules);
  const fixed = await fixFile(request.path, request.text, agents, signal, {
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
