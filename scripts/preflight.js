// The decision behind `npm test`'s first step: given what the machine has (probed by the caller, so a unit test can
// describe any machine), what to install, or what to tell the person to run. No I/O here: scripts/test-all.js probes,
// runs the plan and prints what this module returns.
'use strict';

/**
 * The Debian packages the test tiers use. `when`: `always` (the integration and UI tiers cannot run without it),
 * `build` (only to build the VS Code test host, code-server, once), `optional` (some tests skip without it, saying why).
 */
const REQUIREMENTS = [
  { pkg: 'chromium', when: 'always', why: 'hosts the VS Code web workbench', probe: (p, o) => p.hasFile(o.chromiumPath) },
  { pkg: 'ripgrep', when: 'always', why: "VS Code's search, which code-server would download from GitHub", probe: (p) => p.hasCommand('rg') },
  { pkg: 'pkg-config', when: 'build', why: "builds code-server's native modules", probe: (p) => p.hasCommand('pkg-config') },
  { pkg: 'libkrb5-dev', when: 'build', why: "code-server's kerberos module", probe: (p) => p.hasFile('/usr/include/gssapi/gssapi.h') },
  { pkg: 'g++', when: 'build', why: 'node-gyp', probe: (p) => p.hasCommand('g++') },
  { pkg: 'make', when: 'build', why: 'node-gyp', probe: (p) => p.hasCommand('make') },
  { pkg: 'python3', when: 'build', why: 'node-gyp', probe: (p) => p.hasCommand('python3') },
  { pkg: 'patch', when: 'optional', why: 'the test of --dry-run patches', probe: (p) => p.hasCommand('patch') },
  // redis-cli, which the cluster test also needs, comes with redis-server.
  { pkg: 'redis-server', when: 'optional', why: 'the shared-cache tests', probe: (p) => p.hasCommand('redis-server') },
  { pkg: 'prometheus', when: 'optional', why: 'the promtool checks of the metrics and alert rules', probe: (p) => p.hasCommand('promtool') },
  { pkg: 'prometheus-pushgateway', when: 'optional', why: 'the test against a real Pushgateway',
    probe: (p) => p.hasCommand('prometheus-pushgateway') },
  { pkg: 'prometheus-alertmanager', when: 'optional', why: 'the amtool check of the Alertmanager example', probe: (p) => p.hasCommand('amtool') },
];

/**
 * The requirements this machine lacks. `probe` answers `hasCommand(name)` (on PATH, executable) and
 * `hasFile(path)`; build requirements count only while the VS Code test host is not installed yet.
 * @returns {{ pkg: string, why: string, optional: boolean }[]}
 */
function findMissing(probe, { chromiumPath, codeServerInstalled }) {
  return REQUIREMENTS
    .filter((r) => !(r.when === 'build' && codeServerInstalled))
    .filter((r) => !r.probe(probe, { chromiumPath }))
    .map((r) => ({ pkg: r.pkg, why: r.why, optional: r.when === 'optional' }));
}

/**
 * The `apt-get install` calls for `packages`: the required ones together, then each optional one alone. apt-get
 * installs nothing when one name is unknown to this system's sources, so an optional package that a distribution
 * lacks (or that fails to install) must not take the required ones, or the other optional ones, down with it.
 * @returns {string[][]}
 */
function installBatches(packages) {
  const optional = new Set(REQUIREMENTS.filter((r) => r.when === 'optional').map((r) => r.pkg));
  const required = packages.filter((pkg) => !optional.has(pkg));
  return [...(required.length > 0 ? [required] : []), ...packages.filter((pkg) => optional.has(pkg)).map((pkg) => [pkg])];
}

/** The one command that installs `packages` on Debian or Ubuntu, with `sudo` when not run as root. */
function aptCommand(packages, { root }) {
  const su = root ? '' : 'sudo ';
  return `${su}apt-get update && ${su}DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(' ')}`;
}

/**
 * What `npm test` does before any test: install the missing packages when it can (root, and apt-get is there), or
 * stop at once with the exact command; then install the VS Code test host if it is not there yet.
 * Facts: `dependencies` (node_modules is installed), `missing` (from findMissing), `root`, `apt`,
 * `codeServerInstalled`, `codeServerCommand` (the command that installs it by hand), `aptTried` (apt-get install
 * has already run: what is still missing cannot come from it), `nodeVersion` (`process.version`) and `hostNodeMajor` (the
 * Node major the test host's code-server requires).
 * @returns {{ install: string[], installCodeServer: boolean, error: string | null, notes: string[] }}
 */
function planPreflight({ dependencies, missing, root, apt, codeServerInstalled, codeServerCommand, aptTried = false, nodeVersion, hostNodeMajor }) {
  const plan = { install: [], installCodeServer: false, error: null, notes: [] };
  if (!dependencies) {
    plan.error = 'the npm dependencies are not installed. Run first:\n  npm ci';
    return plan;
  }
  if (nodeVersion && hostNodeMajor && Number(nodeVersion.replace(/^v/, '').split('.')[0]) !== hostNodeMajor) {
    plan.error = `the VS Code test host (code-server) runs on Node ${hostNodeMajor}, and this is Node ${nodeVersion}. ` +
      `Switch to Node ${hostNodeMajor} (for example: nvm install ${hostNodeMajor} && nvm use ${hostNodeMajor}), then run npm test again.\n` +
      'Only the unit tests run on any Node: npm run test:unit';
    return plan;
  }
  const required = missing.filter((m) => !m.optional);
  if (missing.length > 0 && root && apt && !aptTried) {
    plan.install = missing.map((m) => m.pkg);
  } else if (required.length > 0) {
    plan.error = cannotInstall(required, missing, { root, apt, codeServerInstalled, codeServerCommand, aptTried });
    return plan;
  } else {
    for (const m of missing) {
      plan.notes.push(`${m.pkg} is not installed: ${m.why} will be skipped (to run them: ${aptCommand([m.pkg], { root })})`);
    }
  }
  plan.installCodeServer = !codeServerInstalled;
  return plan;
}

/** The message when required packages are missing and this process cannot install them. */
function cannotInstall(required, missing, { root, apt, codeServerInstalled, codeServerCommand, aptTried }) {
  const list = required.map((m) => `${m.pkg} (${m.why})`).join(', ');
  const all = missing.map((m) => m.pkg);
  const lines = [`missing system packages: ${list}.`];
  if (aptTried) {
    lines.push('apt-get install ran but did not provide them (see its output above); check the package sources, then run:',
      `  ${aptCommand(all, { root })}`);
  } else if (apt) {
    lines.push(`Install them${root ? '' : ' (npm test installs them itself only when run as root)'}, then run npm test again:`,
      `  ${aptCommand(all, { root })}`);
  } else {
    lines.push(`There is no apt-get here: install the equivalents of the Debian packages ${all.join(' ')} with this`,
      "system's package manager, then run npm test again.");
  }
  if (!codeServerInstalled) lines.push(`npm test then installs the VS Code test host (about 2 min, once): ${codeServerCommand}`);
  lines.push('Only the unit tests need none of this: npm run test:unit');
  return lines.join('\n');
}

module.exports = { REQUIREMENTS, findMissing, aptCommand, installBatches, planPreflight };
