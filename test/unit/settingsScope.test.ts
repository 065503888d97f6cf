// Issue 19 #7: every contributed setting has the scope it is read at. A setting read per workspace folder must be
// `resource` (else VS Code warns "Accessing a window scoped configuration for a resource" and ignores folder values
// in multi-root workspaces); one only the user may choose is `machine`; the rest `window`, read without a resource.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
};
const settings = manifest.contributes.configuration.properties;
const scopeOf = (key: string) => settings[`maintenanceTeam.${key}`]?.scope;

describe('#7 settings scopes', () => {
  test('every contributed setting declares its scope; per-folder ones are resource, the shared cache machine', { timeout: 10_000 }, () => {
    for (const [key, setting] of Object.entries(settings)) {
      assert.ok(['application', 'machine', 'window', 'resource', 'machine-overridable', 'language-overridable'].includes(setting.scope ?? ''),
        `${key} has no scope`);
    }
    assert.equal(scopeOf('configPath'), 'resource');
    assert.equal(scopeOf('auditOnEditDelayMs'), 'resource');
    for (const key of Object.keys(settings).filter((k) => k.startsWith('maintenanceTeam.sharedCache.'))) {
      assert.equal(settings[key].scope, 'machine', key);
    }
  });

  test('a resource setting is never read without its resource, nor a window setting with one', { timeout: 10_000 }, () => {
    const dir = join(ROOT, 'src', 'vscode');
    const files = [join(ROOT, 'src', 'extension.ts'), ...readdirSync(dir).map((f) => join(dir, f))];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Every `getConfiguration(SETTINGS_SECTION[, resource])...get('key'` in one statement, and a `config` variable's.
      for (const m of text.matchAll(/getConfiguration\(SETTINGS_SECTION(, [^)]+)?\)(?:\s*\.get<[^>]+>\(|[^;]*?;[\s\S]*?)'([\w.]+)'/g)) {
        const key = m[2];
        if (scopeOf(key) === undefined) continue;
        const withResource = m[1] !== undefined;
        if (scopeOf(key) === 'resource') assert.ok(withResource, `${file}: '${key}' is read without its resource`);
        else assert.ok(!withResource, `${file}: window/machine setting '${key}' is read with a resource`);
      }
    }
  });
});
