// Helpers for the in-host integration tests. They talk to the extension only through the `vscode` API,
// never through src/, so the tests exercise exactly what a user gets.
import * as assert from 'assert';
import * as vscode from 'vscode';

/** `diagnostic.source` of everything the extension reports. */
export const SOURCE = 'maintenance-team';
/** Upper bound for polling: the first code-action request waits seconds for tsserver to warm up; below mocha's 60 s. */
export const WAIT_TIMEOUT_MS = 45_000;
const POLL_INTERVAL_MS = 100;

/**
 * Polls `probe` until it returns a value other than undefined/false, or fails with `what` after `timeoutMs`.
 * Diagnostics are published asynchronously after audits and saves, so tests wait for a state instead of sleeping.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;   // e.g. a file not audited yet; keep polling, report it if time runs out
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` + (lastError ? `; last error: ${String(lastError)}` : ''));
    }
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

/** URI of a file in the (temp copy of the) fixture workspace opened by the runner. */
export function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner must open the fixture workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

/** `diagnostic.code` may be a plain value or `{ value, target }` (a link to the rule's docs); accept both. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** The extension's diagnostics on `uri` (other providers, e.g. the built-in TypeScript one, are ignored). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** Waits for one of the extension's diagnostics with rule id `rule` on `uri`. */
export function waitForDiagnostic(uri: vscode.Uri, rule: string): Promise<vscode.Diagnostic> {
  return waitFor(`a '${rule}' diagnostic on ${uri.path}`, () => ourDiagnostics(uri).find((d) => codeOf(d) === rule));
}

/** Waits until no diagnostic with rule id `rule` (or, without `rule`, none of the extension's) remains on `uri`. */
export function waitForNoDiagnostic(uri: vscode.Uri, rule?: string): Promise<true> {
  return waitFor(`no ${rule ? `'${rule}'` : SOURCE} diagnostic on ${uri.path}`, () => {
    const left = ourDiagnostics(uri).filter((d) => rule === undefined || codeOf(d) === rule);
    return left.length === 0;
  });
}

/** The file's text as saved on disk (what the user's build and git see). */
export async function diskText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/**
 * Asks every code-action provider for actions of `kind` on `range`, as the lightbulb / Ctrl+. would.
 * The last argument resolves lazily computed edits (`resolveCodeAction`), so `edit` is filled either way.
 */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  // The workbench answers only for a loaded text model ("Illegal argument" otherwise), as the lightbulb needs an open file.
  await vscode.workspace.openTextDocument(uri);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider', uri, range, kind.value, 10);
  // Providers may return bare Commands; only CodeActions (they have a `title` and no `command` string) carry a kind and an edit.
  return (actions ?? []).filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

/**
 * Polls `codeActions` until one satisfies `pick`. Polling is needed, not just politeness: the workbench cancels a
 * code-action request (and answers []) when any provider registers meanwhile, which is exactly what happens when
 * the first .ts file opened activates the built-in TypeScript extension.
 */
export async function waitForCodeAction(uri: vscode.Uri, range: vscode.Range, kind: vscode.CodeActionKind,
  what: string, pick: (a: vscode.CodeAction) => boolean): Promise<vscode.CodeAction> {
  let seen: string[] = [];
  try {
    return await waitFor(what, async () => {
      const actions = await codeActions(uri, range, kind);
      seen = actions.map((a) => a.title);
      return actions.find(pick);
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last actions offered: ${JSON.stringify(seen)}`);
  }
}

/** Applies a code action the way the editor does (edit first, then its command) and saves the file. */
export async function applyAndSave(uri: vscode.Uri, action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit || action.command, `action "${action.title}" has neither an edit nor a command`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit failed for "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) assert.ok(await doc.save(), `saving ${uri.path} failed`);
}
