// The VS Code test host as the integration and UI tiers start it (scripts/vscode-server.js), checked where the
// issue met it: its output. Issue 19 #6: code-server's default extension gallery (open-vsx.org) made the workbench
// query it at start, and print a `getaddrinfo ENOTFOUND open-vsx.org` stack on a machine without internet.
// Run: node --test test/ui/testHost.test.mjs   (code-server installed as for `npm test`)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import server from '../../scripts/vscode-server.js';

/** The workbench configuration the server gives the web client (a JSON attribute of its page). */
function workbenchConfiguration(html) {
  const m = /<meta id="vscode-workbench-web-configuration" data-settings="([^"]*)"/.exec(html);
  assert.ok(m, 'the workbench page carries its configuration');
  const entities = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#39;': "'" };
  return JSON.parse(m[1].replace(/&(quot|amp|lt|gt|#39);/g, (e) => entities[e]));
}

test('#6 the test host has no extension gallery, so the workbench never reaches for open-vsx.org', { timeout: 90_000 }, async () => {
  const host = await server.startServer();
  try {
    const response = await fetch(`${host.baseUrl}/`, { signal: AbortSignal.timeout(30_000) });
    const config = workbenchConfiguration(await response.text());
    const gallery = config.productConfiguration?.extensionsGallery;
    assert.equal(gallery?.serviceUrl, undefined, `gallery: ${JSON.stringify(gallery)}`);
    assert.doesNotMatch(JSON.stringify(gallery ?? {}), /open-vsx/);
  } finally {
    await host.stop();
  }
});
