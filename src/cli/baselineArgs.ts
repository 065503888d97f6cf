/** The baseline's flags of `audit` (issue 21): `--baseline FILE`, `--baseline-write [FILE]`, `--baseline-prune`, `--no-baseline`. */

/**
 * What to do with the baseline: `apply` a named file (an error when it cannot be used), `write` today's findings,
 * `prune` the baseline in use of what no longer matches, or leave it `off` (report everything). A `file` is as
 * typed, resolved against the working directory; without one, `maintenance-team-baseline.json` at the audit root.
 */
export type BaselineRequest =
  | { readonly action: 'apply'; readonly file: string }
  | { readonly action: 'write' | 'prune'; readonly file?: string }
  | { readonly action: 'off' };

/** The baseline's flags as the parser read them. */
export interface BaselineFlags {
  readonly noBaseline: boolean;
  readonly baselinePrune: boolean;
  /** `--baseline-write` without a file (true) or with one; undefined when not given. */
  readonly baselineWrite?: true | string;
  /** `--baseline FILE`. */
  readonly file?: string;
  readonly dryRun: boolean;
}

/** The flags as one request; nothing when none was given (the default file applies when present). */
export function baselineRequestOf(flags: BaselineFlags): { readonly baseline?: BaselineRequest } {
  const { file } = flags;
  if (flags.noBaseline) return { baseline: { action: 'off' } };
  if (flags.baselineWrite !== undefined) {
    return { baseline: { action: 'write', ...(flags.baselineWrite === true ? {} : { file: flags.baselineWrite }) } };
  }
  if (flags.baselinePrune) return { baseline: { action: 'prune', ...(file !== undefined ? { file } : {}) } };
  return file !== undefined ? { baseline: { action: 'apply', file } } : {};
}

/** Why the flags contradict each other (one line for a usage error), or undefined. */
export function baselineConflictOf(flags: BaselineFlags): string | undefined {
  const given = [
    flags.noBaseline && '--no-baseline', flags.baselineWrite !== undefined && '--baseline-write',
    flags.baselinePrune && '--baseline-prune', flags.file !== undefined && '--baseline',
  ].filter((flag): flag is string => flag !== false);
  if (flags.noBaseline && given.length > 1) return `--no-baseline and ${given[1]} exclude each other`;
  if (flags.baselineWrite !== undefined && given.length > 1) {
    return `--baseline-write and ${given.find((f) => f !== '--baseline-write')} exclude each other`;
  }
  if (flags.baselineWrite !== undefined && flags.dryRun) return '--baseline-write and --dry-run exclude each other';
  return undefined;
}
