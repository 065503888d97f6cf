import * as vscode from 'vscode';

/** The extension's one logger, over a `LogOutputChannel` (levels set by the user in the channel's menu). */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  /** For what the user must see; logs the error's stack when there is one. */
  error(message: string, error?: unknown): void;
  show(): void;
}

/** Creates the logger; the channel is disposed with `subscriptions`. */
export function createLogger(subscriptions: vscode.Disposable[]): Logger {
  const channel = vscode.window.createOutputChannel('Maintenance Team', { log: true });
  subscriptions.push(channel);
  return {
    trace: (message) => channel.trace(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message, error) => {
      if (error instanceof Error) channel.error(`${message}: ${error.stack ?? error.message}`);
      else if (error !== undefined) channel.error(`${message}: ${String(error)}`);
      else channel.error(message);
    },
    show: () => channel.show(true),
  };
}
