#!/usr/bin/env node
// Installs what is missing before `npm start` / `npm test`: npm dependencies (when node_modules
// is absent or older than package-lock.json), Debian's Chromium (when no browser is found), and
// what Tauri runs need (WebKitWebDriver, Xvfb, WebKit2GTK for Python: optional, one line if absent).
// Plain Node with no dependencies, because it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`setup: ${msg}\n`);

function run(cmd, args, env = {}) {
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

function depsAreCurrent() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs - 1000;
}

function chromiumPath() {
  for (const p of [process.env.CONFORM_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

// Tauri runs (runner/tauri) and their test double (examples/tauri-double).
const TAURI_PACKAGES = ['webkit2gtk-driver', 'gir1.2-webkit2-4.1', 'python3-gi', 'xvfb'];
function tauriToolsMissing() {
  const onPath = (name) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, name)));
  const missing = [];
  if (!process.env.CONFORM_WEBKIT_DRIVER && !onPath('WebKitWebDriver')) missing.push('WebKitWebDriver');
  if (!onPath('Xvfb')) missing.push('Xvfb');
  const gi = spawnSync('/usr/bin/python3', ['-c', "import gi; gi.require_version('WebKit2', '4.1')"], { stdio: 'ignore' });
  if (gi.status !== 0) missing.push('WebKit2GTK 4.1 for /usr/bin/python3');
  return missing;
}

function setUpTauri(isRoot) {
  if (tauriToolsMissing().length === 0) return;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    say(`installing what Tauri runs need (${TAURI_PACKAGES.join(' ')}) ...`);
    try {
      const lock = ['-o', 'DPkg::Lock::Timeout=900'];
      try {
        run('apt-get', [...lock, 'install', '-y', '-qq', ...TAURI_PACKAGES], { DEBIAN_FRONTEND: 'noninteractive' });
      } catch {
        run('apt-get', ['update', '-qq']);
        run('apt-get', [...lock, 'install', '-y', '-qq', ...TAURI_PACKAGES], { DEBIAN_FRONTEND: 'noninteractive' });
      }
    } catch {
      // Reported below in one line: the rest of Conform works without them.
    }
  }
  const missing = tauriToolsMissing();
  if (missing.length) say(`no Tauri runs here: ${missing.join(', ')} missing (Debian: sudo apt-get install -y ${TAURI_PACKAGES.join(' ')}); everything else works.`);
}

try {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!depsAreCurrent()) {
    say('installing npm dependencies (npm ci) ...');
    // The Electron binary cannot be downloaded here; its types are all we need from the package.
    run('npm', ['ci', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  }
  if (!chromiumPath()) {
    if (isRoot && existsSync('/usr/bin/apt-get')) {
      say('installing Debian chromium (apt-get) ...');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    } else {
      say('no Chromium found. Install one (Debian: `sudo apt-get install -y chromium`) or point CONFORM_CHROMIUM at a Chromium binary, then run again.');
      process.exit(2);
    }
  }
  setUpTauri(isRoot);
} catch (err) {
  say(`set-up failed: ${err.message.split('\n')[0]}. Fix the cause above and run the command again.`);
  process.exit(2);
}
