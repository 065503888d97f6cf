// The result cache in the real extension host: a second audit of an unchanged workspace is served from the
// cache with identical diagnostics; "Clear cache" makes the next audit compute everything again.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { SOURCE } from './helpers';

interface AuditSummary {
  readonly files: number;
  readonly cacheHits: number;
  readonly cacheLookups: number;
  readonly cancelled: boolean;
}

/** Every diagnostic of the extension, as comparable text. */
function allDiagnostics(): string[] {
  return vscode.languages.getDiagnostics()
    .flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === SOURCE).map((d) =>
      `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line}:${d.range.start.character} ${String(typeof d.code === 'object' ? d.code.value : d.code)} ${d.message}`))
    .sort();
}

async function audit(): Promise<AuditSummary> {
  const summary = await vscode.commands.executeCommand<AuditSummary | undefined>('maintenanceTeam.runAudit');
  assert.ok(summary && !summary.cancelled, 'the audit ran to the end');
  return summary;
}

suite('The result cache', () => {
  test('a second audit of an unchanged workspace is served from the cache, with identical diagnostics', async () => {
    await audit();
    const before = allDiagnostics();
    const warm = await audit();
    assert.ok(warm.cacheLookups > 0);
    assert.strictEqual(warm.cacheHits, warm.cacheLookups, `every result from the cache (${warm.cacheHits}/${warm.cacheLookups})`);
    assert.deepStrictEqual(allDiagnostics(), before);
    assert.ok(before.length > 0, 'the fixture workspace has findings to compare');
  });

  test('"Clear cache" makes the next audit compute every result again, with the same diagnostics', async () => {
    const before = allDiagnostics();
    await vscode.commands.executeCommand('maintenanceTeam.clearCache');
    const cold = await audit();
    assert.strictEqual(cold.cacheHits, 0);
    assert.ok(cold.cacheLookups > 0);
    assert.deepStrictEqual(allDiagnostics(), before);
  });
});
