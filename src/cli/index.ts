import { main } from './main';

/**
 * Bin entry of `maintenance-team` (bundled to dist/cli.js, whose shebang esbuild adds). The first Ctrl-C
 * cancels the audit cleanly (exit 130, partial work discarded, no half-written file); the handler is
 * `once`, so a second Ctrl-C falls back to Node's default and kills the process at once.
 */
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  signal: controller.signal,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main() does not throw; this is the last guard so a bug still exits with a code and a message.
    process.stderr.write(`maintenance-team: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
