import type { AuditCommand } from './args';

/**
 * `npm start -- <dir> --format json > report.json` (issue 19, item 4): npm prints its `> maintenance-team start`
 * banner on the standard output it shares with the script, before the report, and the file is not JSON. The CLI
 * cannot take the banner back, but it can tell: npm names itself and its settings in the script's environment.
 */

/** The environment variables this looks at, as npm sets them for a script. */
type NpmEnv = Readonly<Record<string, string | undefined>>;

/**
 * The note to print on stderr when npm has (most likely) written its banner into the report that stdout carries,
 * else undefined: a report for a program (not the text one) on a redirected stdout, from a script npm runs that
 * runs this CLI itself (a test runner's script spawning it is left alone), without `--silent` or `--json` (which
 * keep the banner off stdout). Pure.
 */
export function npmBannerNote(command: AuditCommand, env: NpmEnv, stdoutIsTTY: boolean): string | undefined {
  if (command.format === 'text' || command.output !== undefined || command.dryRun || stdoutIsTTY) return undefined;
  if (!env.npm_config_user_agent?.startsWith('npm/') || env.npm_lifecycle_event === undefined) return undefined;
  if (env.npm_config_loglevel === 'silent' || env.npm_config_json === 'true') return undefined;
  const script = env.npm_lifecycle_script ?? '';
  if (!/\bcli\.js\b|\bmaintenance-team\b/.test(script)) return undefined;
  const run = env.npm_lifecycle_event === 'start' ? 'npm start --silent --' : `npm run --silent ${env.npm_lifecycle_event} --`;
  return `note: npm printed its "> ${env.npm_lifecycle_event}" banner on standard output before this report; `
    + `for a clean file, run \`${run} …\` or write the report with --output FILE`;
}
