/**
 * Messages between the extension host and the engine worker thread (src/worker/engineWorker.ts).
 * The heavy work (walking, parsing, fixing) runs in the worker so the shared extension host stays
 * responsive. Every request carries an `id`; the worker answers with messages carrying the same id.
 */
import type { SharedCacheEndpoint } from '../core/cache/shared/sharedEndpoint';
import type { TeamConfig } from '../core/config/schema';
import type { Alert } from '../core/metrics/alerts';
import type { MetricsSnapshot } from '../core/metrics/snapshot';
import type { AuditResult, FileResult, Finding, Range, SkippedFile } from '../core/model';
import type { SaveGuard } from '../fixes/savePolicy';
export type { SaveGuard } from '../fixes/savePolicy';

/** A file the editor holds with unsaved changes: audited from this text instead of the disk. */
export interface TextOverlay {
  /** POSIX path relative to the folder root. */
  readonly path: string;
  readonly text: string;
}

/** Host → worker: audit every file under `root` (walk honouring .gitignore). */
export interface AuditFolderRequest {
  readonly type: 'auditFolder';
  readonly id: number;
  readonly root: string;
  readonly overlays: readonly TextOverlay[];
  /** The folder's configuration (maintenance-team.yaml, validated by the host). */
  readonly config: TeamConfig;
  /** The persistent result cache's folder (the extension's workspace storage); none = memory only. */
  readonly cacheDir?: string;
  /** The user's shared cache (machine-scope settings or environment), absent in Restricted Mode: no tier then. */
  readonly sharedCache?: SharedCacheEndpoint;  /** Apply the folder's `maintenance-team-baseline.json` (the `maintenanceTeam.baseline` setting is not `off`). */
  readonly baseline?: boolean;
}

/** Host → worker: audit the given files of `root` (an edited document, a file changed on disk). */
export interface AuditFilesRequest {
  readonly type: 'auditFiles';
  readonly id: number;
  readonly root: string;
  /** Paths relative to `root`; an overlay's text is used instead of the disk for its path. */
  readonly paths: readonly string[];
  readonly overlays: readonly TextOverlay[];
  /** The folder's configuration; paths its globs exclude are answered with a `skip` (`excluded`). */
  readonly config: TeamConfig;
  readonly cacheDir?: string;
  readonly sharedCache?: SharedCacheEndpoint;
  readonly baseline?: boolean;
}

/** Host → worker: compute the validated fixed text of one file (fix-all, fix all of a rule). */
export interface FixTextRequest {
  readonly type: 'fixText';
  readonly id: number;
  readonly path: string;
  readonly text: string;
  /** Only fixes of these rules; all rules when absent. */
  readonly rules?: readonly string[];
  /** The configuration of the file's folder: disabled rules offer no fix. */
  readonly config: TeamConfig;
  /** Present when fixing on save: only the fixes the on-save policy allows (src/fixes/savePolicy.ts), in one pass. */
  readonly onSave?: SaveGuard;
}

/** One file of a `fixFiles` request. */
export interface FixTarget {
  /** POSIX path relative to the request's `root`. */
  readonly path: string;
  /** Hash of the audited text: a file whose text hashes otherwise changed since its audit and is left alone. */
  readonly contentHash: string;
  /** The editor's text of an open document with unsaved changes; the file on disk otherwise. */
  readonly text?: string;
}

/**
 * Host → worker: the validated fixes of many files (workspace fix-all), answered file by file with `fileFixed`,
 * then `fixFilesDone`. Nothing is written: the host applies the hunks as one workspace edit.
 */
export interface FixFilesRequest {
  readonly type: 'fixFiles';
  readonly id: number;
  readonly root: string;
  readonly files: readonly FixTarget[];
  readonly config: TeamConfig;
}

/** Host → worker: forget every cached result, in memory and in `cacheDir`. Answered with `cleared`. */
export interface ClearCacheRequest {
  readonly type: 'clearCache';
  readonly id: number;
  readonly cacheDir?: string;
}

/** Host → worker: close one agent's circuit breaker, or every breaker without `agent`. Answered with `ack`. */
export interface ResetBreakersRequest {
  readonly type: 'resetBreakers';
  readonly id: number;
  readonly agent?: string;
}

/** Host → worker: the session's metrics now. Answered with `metrics` carrying the same id. */
export interface GetMetricsRequest {
  readonly type: 'getMetrics';
  readonly id: number;
}

/** Host → worker: stop the request `id` as soon as possible (it then answers `done` with `cancelled`). */
export interface CancelRequest {
  readonly type: 'cancel';
  readonly id: number;
}

/** Everything the host sends. */
export type HostToWorker =
  | AuditFolderRequest | AuditFilesRequest | FixTextRequest | FixFilesRequest | ClearCacheRequest | ResetBreakersRequest
  | GetMetricsRequest | CancelRequest;

/** Worker → host: one file finished (streamed while an audit runs). */
export interface FileMessage {
  readonly type: 'file';
  readonly id: number;
  readonly result: FileResult;
}

/** Worker → host: a file left out, with why. */
export interface SkipMessage {
  readonly type: 'skip';
  readonly id: number;
  readonly skipped: SkippedFile;
}

/** Worker → host: `done` of `total` files finished. */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly id: number;
  readonly done: number;
  readonly total: number;
}

/** Worker → host: an audit ended (`files` is empty: they were streamed as `file` messages). */
export interface AuditDoneMessage {
  readonly type: 'auditDone';
  readonly id: number;
  readonly result: AuditResult;
}

/** Worker → host: the answer to `fixText`. */
export interface FixedMessage {
  readonly type: 'fixed';
  readonly id: number;
  readonly text: string;
  readonly applied: number;
  readonly dropped: number;
}

/** One replaced run of lines of a fixed file: offsets and range in the text that was fixed. */
export interface FixHunk {
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  readonly newText: string;
}

/**
 * Worker → host: one file of a `fixFiles` request. `changed` = its text no longer hashes as audited (left alone);
 * `failed` = it could not be read or fixed (`message` says why); `unchanged` = no fix survived validation.
 */
export interface FileFixedMessage {
  readonly type: 'fileFixed';
  readonly id: number;
  readonly path: string;
  readonly outcome: 'fixed' | 'unchanged' | 'changed' | 'failed';
  readonly hunks: readonly FixHunk[];
  /** With `fixed`: the fixable findings of the audited text, with their fixes (the preview's labels). */
  readonly findings?: readonly Finding[];
  readonly applied: number;
  readonly dropped: number;
  readonly message?: string;
}

/** Worker → host: every file of a `fixFiles` request was answered (or it was cancelled). */
export interface FixFilesDoneMessage {
  readonly type: 'fixFilesDone';
  readonly id: number;
  readonly cancelled: boolean;
}

/** Worker → host: the cache was cleared. */
export interface ClearedMessage {
  readonly type: 'cleared';
  readonly id: number;
}

/** Worker → host: request `id` is done and has nothing to say. */
export interface AckMessage {
  readonly type: 'ack';
  readonly id: number;
}

/**
 * Worker → host: the session's metrics, after every audit (no id) or as the answer to `getMetrics` (its id),
 * with the alerts raised and cleared since the previous message.
 */
export interface MetricsMessage {
  readonly type: 'metrics';
  readonly id?: number;
  readonly snapshot: MetricsSnapshot;
  readonly raised: readonly Alert[];
  readonly cleared: readonly Alert[];
}

/** Worker → host: something for the log channel, outside any request (a discarded cache store). */
export interface LogMessage {
  readonly type: 'log';
  readonly level: 'info' | 'warn';
  readonly message: string;
}

/** Worker → host: request `id` failed. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly id: number;
  readonly message: string;
  readonly stack?: string;
}

/** Everything the worker sends. */
export type WorkerToHost =
  | FileMessage | SkipMessage | ProgressMessage | AuditDoneMessage | FixedMessage | FileFixedMessage | FixFilesDoneMessage
  | ClearedMessage | ErrorMessage | LogMessage | AckMessage | MetricsMessage;
