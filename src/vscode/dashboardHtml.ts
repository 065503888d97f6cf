import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The only folders the dashboard may load from: the bundle (script, chart CSS) and the static assets. */
export function dashboardResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The webview options of a new or revived dashboard panel. */
export function dashboardOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: dashboardResourceRoots(extensionUri) };
}

/**
 * The dashboard's page: a strict Content-Security-Policy (nothing by default; styles and images from the
 * extension's own folders; only the script carrying this page's nonce), so nothing is fetched at run time and no
 * injected markup can run. The page itself is an empty shell: src/webview/ builds it.
 */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (path: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, path)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('dist/webview.css')}">
  <link rel="stylesheet" href="${asset('media/dashboard.css')}">
  <title>Maintenance Team metrics</title>
</head>
<body>
  <main id="dashboard" aria-busy="true"><p>Loading the metrics…</p></main>
  <script nonce="${nonce}" src="${asset('dist/webview.js')}"></script>
</body>
</html>`;
}
