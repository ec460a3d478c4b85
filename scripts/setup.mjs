#!/usr/bin/env node
// Installs what is missing before `npm start` / `npm test`: npm dependencies (when node_modules
// is absent or older than package-lock.json) and Debian's Chromium (when no browser is found).
// Plain Node with no dependencies, because it runs before anything is installed.
import { execFileSync } from 'node:child_process';
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

try {
  if (!depsAreCurrent()) {
    say('installing npm dependencies (npm ci) ...');
    // The Electron binary cannot be downloaded here; its types are all we need from the package.
    run('npm', ['ci', '--no-audit', '--no-fund'], { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  }
  if (!chromiumPath()) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot && existsSync('/usr/bin/apt-get')) {
      say('installing Debian chromium (apt-get) ...');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    } else {
      say('no Chromium found. Install one (Debian: `sudo apt-get install -y chromium`) or point CONFORM_CHROMIUM at a Chromium binary, then run again.');
      process.exit(2);
    }
  }
} catch (err) {
  say(`set-up failed: ${err.message.split('\n')[0]}. Fix the cause above and run the command again.`);
  process.exit(2);
}
