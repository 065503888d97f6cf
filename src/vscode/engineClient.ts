import { Worker } from 'node:worker_threads';
import type { SharedCacheEndpoint } from '../core/cache/shared/sharedEndpoint';
import type { TeamConfig } from '../core/config/schema';
import type { AuditResult, FileResult, SkippedFile } from '../core/model';
import type {
  AuditFilesRequest, AuditFolderRequest, FileFixedMessage, FixTarget, FixedMessage, HostToWorker, MetricsMessage,
  SaveGuard, TextOverlay, WorkerToHost,
} from '../shared/engineProtocol';
import type { Logger } from './logger';

/** Callbacks of a running audit. */
export interface AuditListener {
  onFile?(result: FileResult): void;
  onSkip?(skipped: SkippedFile): void;
  onProgress?(done: number, total: number): void;
}

/** Callbacks of any request: an audit's, and a `fixFiles` request's answer per file. */
interface RequestListener extends AuditListener {
  onFixed?(message: FileFixedMessage): void;
}

interface Pending {
  resolve(message: WorkerToHost): void;
  reject(error: Error): void;
  listener?: RequestListener;
}

/** What an audit request asks the worker. */
export type AuditRequest =
  | { readonly kind: 'folder'; readonly root: string; readonly overlays: readonly TextOverlay[] }
  | { readonly kind: 'files'; readonly root: string; readonly paths: readonly string[]; readonly overlays: readonly TextOverlay[] };

/** What the engine client asks the editor for, per workspace folder (its fsPath), each time it makes a request. */
export interface EngineSettings {
  /** The configuration of a workspace folder, sent with every request. */
  readonly configFor: (root: string) => TeamConfig;
  /** Where the worker keeps its persistent result cache; none: memory only. */
  readonly cacheDir?: string;
  /** The user's shared cache as Workspace Trust allows it now; none (the default) in Restricted Mode. */
  readonly sharedCache?: () => SharedCacheEndpoint | undefined;
  /** Whether audits of the folder at `root` apply its baseline (the `maintenanceTeam.baseline` setting); default no. */
  readonly useBaseline?: (root: string) => boolean;
}

/**
 * The extension host's handle on the engine worker thread. Starts the worker on first use, routes
 * its messages to the request that caused them, and restarts it if it dies (failing what was pending).
 */
export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly metricsListeners: ((message: MetricsMessage) => void)[] = [];

  /** `workerPath`: the worker's bundle (dist/worker.js); `settings`: what each request carries from the editor. */
  constructor(
    private readonly workerPath: string, private readonly log: Logger, private readonly settings: EngineSettings,
  ) {}

  /** Audits a folder or some files; resolves with the summary once every file was streamed to `listener`. */
  async audit(request: AuditRequest, listener: AuditListener, signal?: AbortSignal): Promise<AuditResult> {
    const id = this.nextId++;
    const common = {
      id, root: request.root, overlays: request.overlays, config: this.settings.configFor(request.root),
      cacheDir: this.settings.cacheDir, sharedCache: this.settings.sharedCache?.(),
      baseline: this.settings.useBaseline?.(request.root) ?? false,
    };
    const message: AuditFolderRequest | AuditFilesRequest = request.kind === 'folder'
      ? { type: 'auditFolder', ...common }
      : { type: 'auditFiles', paths: request.paths, ...common };
    const reply = await this.request(message, signal, listener);
    if (reply.type !== 'auditDone') throw new Error(`unexpected reply ${reply.type}`);
    return reply.result;
  }

  /**
   * The validated fixed text of one file of the folder `root`, restricted to `rules` when given, and to what the
   * save policy allows with `onSave`.
   */
  async fixText(
    root: string, path: string, text: string,
    options: { readonly rules?: readonly string[]; readonly onSave?: SaveGuard; readonly signal?: AbortSignal } = {},
  ): Promise<FixedMessage> {
    const config = this.settings.configFor(root);
    const { rules, onSave, signal } = options;
    const reply = await this.request({ type: 'fixText', id: this.nextId++, path, text, rules, config, onSave }, signal);
    if (reply.type !== 'fixed') throw new Error(`unexpected reply ${reply.type}`);
    return reply;
  }

  /** The validated fixes of some files of the folder `root`, streamed to `onFile`; resolves when all were answered. */
  async fixFiles(
    root: string, files: readonly FixTarget[], onFile: (message: FileFixedMessage) => void, signal?: AbortSignal,
  ): Promise<{ cancelled: boolean }> {
    const config = this.settings.configFor(root);
    const reply = await this.request({ type: 'fixFiles', id: this.nextId++, root, files, config }, signal, { onFixed: onFile });
    if (reply.type !== 'fixFilesDone') throw new Error(`unexpected reply ${reply.type}`);
    return { cancelled: reply.cancelled };
  }

  /** Called with the session's metrics after every audit, and with the alerts raised and cleared. */
  onMetrics(listener: (message: MetricsMessage) => void): { dispose(): void } {
    this.metricsListeners.push(listener);
    return { dispose: () => this.metricsListeners.splice(this.metricsListeners.indexOf(listener), 1) };
  }

  /** The session's metrics now (breakers and alerts included). */
  async metrics(): Promise<MetricsMessage> {
    const reply = await this.request({ type: 'getMetrics', id: this.nextId++ });
    if (reply.type !== 'metrics') throw new Error(`unexpected reply ${reply.type}`);
    return reply;
  }

  /** Closes one agent's circuit breaker, or every breaker without `agent`. */
  async resetBreakers(agent?: string): Promise<void> {
    const reply = await this.request({ type: 'resetBreakers', id: this.nextId++, agent });
    if (reply.type !== 'ack') throw new Error(`unexpected reply ${reply.type}`);
  }

  /** Forgets every cached result, in memory and on disk. */
  async clearCache(): Promise<void> {
    const reply = await this.request({ type: 'clearCache', id: this.nextId++, cacheDir: this.settings.cacheDir });
    if (reply.type !== 'cleared') throw new Error(`unexpected reply ${reply.type}`);
  }

  /** Stops the worker; pending requests fail. */
  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.failAll(new Error('engine stopped'));
  }

  private request(message: Exclude<HostToWorker, { type: 'cancel' }>, signal?: AbortSignal, listener?: RequestListener): Promise<WorkerToHost> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const worker = this.ensureWorker();
      const onAbort = () => worker.postMessage({ type: 'cancel', id: message.id } satisfies HostToWorker);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(message.id, {
        resolve: (m) => { done(); resolve(m); },
        reject: (e) => { done(); reject(e); },
        listener,
      });
      worker.postMessage(message);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (message: WorkerToHost) => this.dispatch(message));
    worker.on('error', (error) => this.log.error('engine worker failed', error));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log.warn(`engine worker exited with code ${code}; it restarts on the next request`);
      this.failAll(new Error(`engine worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private dispatch(message: WorkerToHost): void {
    if (message.type === 'log') {
      if (message.level === 'warn') this.log.warn(message.message);
      else this.log.info(message.message);
      return;
    }
    if (message.type === 'metrics') for (const listener of this.metricsListeners) listener(message);
    if (message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'file': pending.listener?.onFile?.(message.result); return;
      case 'skip': pending.listener?.onSkip?.(message.skipped); return;
      case 'progress': pending.listener?.onProgress?.(message.done, message.total); return;
      case 'fileFixed': pending.listener?.onFixed?.(message); return;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(Object.assign(new Error(message.message), { stack: message.stack }));
        return;
      default:
        this.pending.delete(message.id);
        pending.resolve(message);
    }
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
