import { spawn, type ChildProcess } from 'node:child_process';

/** A server process a test started, and how to stop it. */
export interface Daemon {
  readonly child: ChildProcess;
  /** What it printed, for assertion messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Starts `command args` and waits (up to `timeoutMs`) until GET `readyUrl` answers 200. */
export async function startDaemon(command: string, args: readonly string[], readyUrl: string, timeoutMs = 20_000): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const daemon: Daemon = {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(force);
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(readyUrl).then((res) => res.ok, () => false);
    if (ok) return daemon;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await daemon.stop();
  throw new Error(`${command} did not become ready at ${readyUrl}:\n${output}`);
}
