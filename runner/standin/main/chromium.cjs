'use strict';
// Starts Chromium for the stand-in: headless, a fresh profile folder named after our pid and a
// private CDP pipe (Playwright's connection reaches Chromium through it, see debug-endpoints.cjs).
// Chromium runs under a tiny `sh` reaper that deletes the profile once Chromium has exited, so the
// folder goes away also when our node process is killed (Chromium exits when its pipe closes).
const { spawn } = require('node:child_process');
const { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { CdpPipe } = require('./cdp.cjs');

const PROFILE_PREFIX = 'conform-standin-';

// Debian's /usr/bin/chromium is a shell script that checks the CPU and sources /etc/chromium.d
// before exec'ing the real binary; calling the binary directly saves that start-up time.
const DEBIAN_WRAPPERS = { '/usr/bin/chromium': '/usr/lib/chromium/chromium' };

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findChromium() {
  const candidates = [process.env.CONFORM_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const p of candidates) {
    if (!p || !isExecutable(p)) continue;
    const direct = DEBIAN_WRAPPERS[p];
    return direct && isExecutable(direct) ? direct : p;
  }
  throw new Error('No Chromium found for the Electron stand-in. Install one (`sudo apt-get install -y chromium` or `npx playwright install chromium`) or set CONFORM_CHROMIUM to a Chromium binary.');
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Profile folders left by stand-ins that were killed (their pid is gone) are removed here. What
 * cannot be removed (another user's folder in a shared /tmp) is skipped: it is not ours to clean,
 * and it must not stop this start.
 */
function removeStaleProfiles() {
  for (const base of new Set([tmpdir(), '/tmp'])) {
    let names = [];
    try { names = readdirSync(base); } catch { continue; }
    for (const name of names) {
      if (!name.startsWith(PROFILE_PREFIX)) continue;
      const pid = Number(name.slice(PROFILE_PREFIX.length).split('-')[0]);
      if (!Number.isInteger(pid) || pid <= 0 || pidAlive(pid)) continue;
      try { rmSync(join(base, name), { recursive: true, force: true }); } catch { /* not ours: skipped */ }
    }
  }
}

// Waits for Chromium, then removes the profile. Closing fds 3/4 in the reaper keeps the pipe's
// only other ends in node, so Chromium sees EOF when node dies.
const REAPER = [
  'chrome="$1"; dir="$2"; tmpd="$3"; shift 3',
  '"$chrome" "$@" &',
  'pid=$!',
  'exec 3<&- 4>&-',
  // The profile is thrown away, so there is nothing for Chromium to save: stop it at once.
  'trap \'kill -KILL $pid 2>/dev/null\' TERM INT HUP',
  'while kill -0 $pid 2>/dev/null; do wait $pid 2>/dev/null; done',
  'rm -rf "$dir" "$tmpd"',
].join('\n');

/**
 * @param {{ headful?: boolean, extraArgs?: string[] }} opts
 * @returns {{ cdp: CdpPipe, child: import('node:child_process').ChildProcess, profileDir: string, exited: Promise<void> }}
 */
function startChromium(opts) {
  removeStaleProfiles();
  const chrome = findChromium();
  const profileDir = mkdtempSync(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  const args = [
    opts.headful ? '' : '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-startup-window', // an initial about:blank would become Playwright's firstWindow()
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-breakpad',
    '--disable-extensions',
    '--disable-default-apps',
    '--disable-dev-shm-usage',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--disable-renderer-backgrounding',
    '--disable-ipc-flooding-protection',
    '--disable-hang-monitor',
    '--disable-field-trial-config',
    '--disable-features=Translate,MediaRouter,OptimizationHints,DestroyProfileOnBrowserClose',
    '--metrics-recording-only',
    '--password-store=basic',
    '--use-mock-keychain',
    process.env.CONFORM_STANDIN_CHROMIUM_LOGS ? '' : '--log-level=3', // Chromium's dbus/GPU noise only on request
    '--allow-file-access-from-files', // module scripts and CSS load from file:// as in Electron
    `--user-data-dir=${profileDir}`,
    // The only CDP connection: no --remote-debugging-port, so Chromium listens on no port (other
    // local users could attach to it). Playwright's connection is relayed onto this pipe.
    '--remote-debugging-pipe',
    ...(opts.extraArgs || []),
    // Extra Chromium switches for experiments and odd machines (space-separated).
    ...(process.env.CONFORM_STANDIN_CHROMIUM_ARGS || '').split(' ').filter(Boolean),
  ].filter(Boolean);
  // stderr is inherited: Playwright reads Chromium's "DevTools listening on ws://" line from it.
  // XDG dirs inside the profile: Chromium's crashpad database and caches then go away with it
  // instead of landing in the user's ~/.config/chromium.
  // TMPDIR too: Chromium's shared-memory files (org.chromium.Chromium.*, used with
  // --disable-dev-shm-usage) are otherwise left in /tmp when it is killed.
  const tmp = join(profileDir, 'tmp');
  mkdirSync(tmp);
  const env = { ...process.env, XDG_CONFIG_HOME: join(profileDir, 'xdg-config'), XDG_CACHE_HOME: join(profileDir, 'xdg-cache'), TMPDIR: tmp };
  // Chromium puts its singleton socket in $TMPDIR/.org.chromium.Chromium.XXXXXX/SingletonSocket and
  // dies ("Socket path too long") past the 107-byte limit of a unix socket path: under a long
  // TMPDIR it gets a short private folder in /tmp instead, removed with the profile.
  let chromeTmp = tmp;
  if (tmp.length + '/.org.chromium.Chromium.XXXXXX/SingletonSocket'.length > 107) {
    chromeTmp = mkdtempSync(join('/tmp', `${PROFILE_PREFIX}${process.pid}-`));
    env.TMPDIR = chromeTmp;
  }
  const child = spawn('/bin/sh', ['-c', REAPER, 'sh', chrome, profileDir, chromeTmp, ...args], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'],
    env,
  });
  const cdp = new CdpPipe(child.stdio[3], child.stdio[4]);
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  return { cdp, child, profileDir, tmpDir: chromeTmp, exited };
}

module.exports = { startChromium, removeStaleProfiles, PROFILE_PREFIX };
