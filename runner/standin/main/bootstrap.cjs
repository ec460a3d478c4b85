'use strict';
// Entry point of the stand-in's node process (the launcher `runner/standin/electron` execs node on
// this file). Parses Electron's command line, makes `electron` resolve to the stand-in for CJS,
// ESM and Playwright's inspector evaluations, starts Chromium, loads `-r` modules, then the app.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const launcher = process.env.CONFORM_STANDIN_LAUNCHER || path.join(__dirname, '..', 'electron');
const lifeline = require('./lifeline.cjs');
lifeline.teeOutput(process.env.CONFORM_OUTPUT_LOG);
const rawArgs = process.argv.slice(2);

function parseArgs(args) {
  const out = { switches: new Map(), requires: [], main: undefined, appArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (out.main !== undefined) { out.appArgs.push(a); continue; }
    if (a === '-r' || a === '--require') { out.requires.push(args[++i]); continue; }
    if (a.startsWith('--require=')) { out.requires.push(a.slice('--require='.length)); continue; }
    if (a.startsWith('-')) {
      const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
      if (m) out.switches.set(m[1], m[2] ?? '');
      continue;
    }
    out.main = a;
  }
  return out;
}

const parsed = parseArgs(rawArgs);
const underPlaywright = parsed.switches.has('inspect') && parsed.switches.has('remote-debugging-port');
const remotePort = parsed.switches.get('remote-debugging-port');

// Under Playwright, `__playwright_run` exists from the first line on, so Playwright can never call
// it before it is defined. The runtime holds `ready` until it ran.
let markAttached = () => {};
let attachedNow = !underPlaywright;
const playwrightAttached = new Promise((resolve) => { markAttached = resolve; });
let exitOnAttach = null;
let endpointsOpened = false;
if (underPlaywright) {
  globalThis.__playwright_run = async () => {
    attachedNow = true;
    // The app failed before Playwright attached: exit inside this evaluation, so the launch fails.
    if (exitOnAttach !== null) exitNow(exitOnAttach);
    markAttached();
  };
} else {
  markAttached();
}

// Chromium's start-up is the longest part of a launch: begin it before anything else.
const chromium = parsed.main ? require('./chromium.cjs').startChromium({
  headful: process.env.CONFORM_STANDIN_HEADFUL === '1',
}) : undefined;

// Conform died (even by SIGKILL): Chromium, the app's children and we go, never lingering as orphans.
lifeline.watchParent(process.env.CONFORM_PARENT_PID, process.env.CONFORM_RUN_DIR);
if (underPlaywright && chromium) lifeline.holdEarlyExit(() => attachedNow, (code) => exitWhenAttached(code));

// ---- `electron` resolves to the stand-in everywhere (Module._resolveFilename covers require(),
// createRequire() and the inspector's command-line `require`; the ESM hook covers import).
const electronPath = path.join(__dirname, 'electron.cjs');
const ELECTRON_SPECIFIERS = new Set(['electron', 'electron/main', 'electron/common']);
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (ELECTRON_SPECIFIERS.has(request)) return electronPath;
  return originalResolve.call(this, request, ...rest);
};
Module.register(pathToFileURL(path.join(__dirname, 'esm-hooks.mjs')).href);

const STARTUP_FAILED = Symbol('stand-in start-up failed');

/**
 * Ends a start-up that cannot go on. Under Playwright the process must not die before Playwright
 * has read both listening lines and connected: its launcher leaves waiters on our stderr that
 * reject unhandled when we exit earlier (playwright-core's electron `waitForLine`). So the message
 * is printed, the inspector opened, Chromium left running until Playwright calls
 * `__playwright_run`, and the exit happens inside that call: Playwright sees a normal failed launch.
 */
function fail(message) {
  process.stderr.write(`${message}\n`);
  if (!underPlaywright || !chromium) {
    if (chromium) chromium.child.kill('SIGTERM'); // its reaper stops Chromium and removes the profile
    process.exit(1);
  }
  exitWhenAttached(1);
  throw STARTUP_FAILED;
}

function exitWhenAttached(code) {
  if (attachedNow) exitNow(code);
  exitOnAttach = code;
  // Chromium dying before Playwright attached closes the DevTools relay: Playwright's connection
  // then fails at once and it kills us.
  openEndpoints(parsed.switches);
  // Playwright gave up (or never came): do not linger.
  setTimeout(() => exitNow(code), 60_000);
}

/**
 * Stops Chromium and exits. Playwright answers a failed launch by SIGKILLing our whole process
 * group, which can take Chromium's reaper down before it removed the profile: a detached janitor
 * (own process group) removes it once no Chromium of this profile is left.
 */
function exitNow(code) {
  if (chromium) {
    require('node:child_process').spawn(process.execPath, ['-e', PROFILE_JANITOR, chromium.profileDir, chromium.tmpDir], { detached: true, stdio: 'ignore' }).unref();
    try { chromium.child.kill('SIGTERM'); } catch { /* already gone */ }
  }
  process.exit(code);
}

const PROFILE_JANITOR = `
const fs = require('fs');
const dir = process.argv[1];
const needle = '--user-data-dir=' + dir;
const alive = () => fs.readdirSync('/proc').some((p) => { try { return /^\\d+$/.test(p) && fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').split('\\0').includes(needle); } catch { return false; } });
const until = Date.now() + 10000;
(function poll() {
  if (alive() && Date.now() < until) return setTimeout(poll, 50);
  for (const d of process.argv.slice(1)) fs.rmSync(d, { recursive: true, force: true });
})();
`;

// ---- the app: a file, or a folder whose package.json names the main script (as `electron .`)
function findApp(mainArg) {
  if (!mainArg) fail('Error launching app: the Electron stand-in needs the path of an app (a main script or a folder with a package.json), e.g. `electron main.js`.');
  const abs = path.resolve(mainArg);
  let mainFile;
  let appPath;
  let pkg;
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
    appPath = abs;
    const pkgFile = path.join(abs, 'package.json');
    if (fs.existsSync(pkgFile)) pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    const entry = path.join(abs, (pkg && pkg.main) || 'index.js');
    try {
      mainFile = require.resolve(entry);
    } catch {
      fail(`Error launching app\nUnable to find Electron app at ${abs}\n\nCannot find module '${entry}'`);
    }
  } else {
    if (!fs.existsSync(abs)) fail(`Error launching app\nUnable to find Electron app at ${abs}\n\nCannot find module '${abs}'`);
    mainFile = abs;
    appPath = path.dirname(abs);
    // name/version come from the nearest package.json, so getVersion() is the app's semver.
    for (let d = appPath; ; d = path.dirname(d)) {
      const f = path.join(d, 'package.json');
      if (fs.existsSync(f)) { try { pkg = JSON.parse(fs.readFileSync(f, 'utf8')); } catch { /* unreadable: defaults */ } break; }
      if (path.dirname(d) === d) break;
    }
  }
  const runtime = require('./runtime.cjs');
  return {
    mainFile,
    appInfo: {
      appPath,
      name: (pkg && (pkg.productName || pkg.name)) || 'Electron',
      version: (pkg && pkg.version) || runtime.STANDIN_ELECTRON_VERSION,
    },
  };
}

let found;
try {
  try {
    found = findApp(parsed.main);
  } catch (err) {
    if (err === STARTUP_FAILED) throw err;
    fail(`Error launching app\n${(err && err.message) || err}`); // e.g. an unreadable package.json
  }
} catch (err) {
  if (err === STARTUP_FAILED) return; // exits once Playwright attached (see fail)
  throw err;
}
const { mainFile, appInfo } = found;
const runtime = require('./runtime.cjs');

// Electron's process: argv as the binary received it, plus the fields apps look at.
process.argv = [process.execPath, ...rawArgs];
process.type = 'browser';
process.defaultApp = true;
process.versions.electron = runtime.STANDIN_ELECTRON_VERSION;
process.versions.standin = '1';

runtime.start({ launcher, switches: parsed.switches, underPlaywright, chromium, appInfo, attached: playwrightAttached });
openEndpoints(parsed.switches);

/**
 * `--inspect[=[host:]port]`, `--inspect-port` and `--remote-debugging-port`: opened only now that
 * the runtime is complete, as token-guarded loopback endpoints (debug-endpoints.cjs), never as
 * Node's or Chromium's own open ports. `--inspect-brk` is taken as `--inspect` (nothing to break in).
 */
function openEndpoints(switches) {
  if (endpointsOpened) return;
  endpointsOpened = true;
  const flag = ['inspect', 'inspect-brk'].find((f) => switches.has(f));
  let inspectPort;
  if (flag) {
    const spec = switches.get(flag) || switches.get('inspect-port') || '9229';
    const m = /^(?:(.*):)?(\d+)$/.exec(spec);
    // A bad value cannot go through fail(): Playwright never passes one, and fail() opens the inspector.
    if (!m) { process.stderr.write(`Error launching app: cannot parse --${flag}=${spec} (expected [host:]port)\n`); process.exit(1); }
    inspectPort = m[2];
  }
  const devtoolsPort = remotePort === undefined ? undefined : (remotePort || '0');
  require('./debug-endpoints.cjs').openDebugEndpoints({ inspectPort, devtoolsPort, cdp: chromium && chromium.cdp }).catch((err) => {
    process.stderr.write(`Error launching app: cannot open the debug endpoint on 127.0.0.1:${inspectPort || devtoolsPort}: ${err.message}\n`);
    process.exit(1);
  });
}

// Electron shows uncaught main-process errors in a dialog and keeps running; print them instead.
process.on('uncaughtException', (error) => {
  if (error === lifeline.EXIT_HELD || process.listenerCount('uncaughtException') > 1) return;
  const stack = error && error.stack ? error.stack : String(error);
  runtime.electronModule.__standin.sideEffects.dialogs.push({ type: 'error', options: { title: 'A JavaScript error occurred in the main process', content: `Uncaught Exception:\n${stack}` } });
  process.stderr.write(`A JavaScript error occurred in the main process\nUncaught Exception:\n${stack}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => runtime.electronModule.app.quit());

async function loadApp() {
  const cwdRequire = Module.createRequire(path.join(process.cwd(), 'noop.js'));
  for (const r of parsed.requires) {
    let resolved;
    try {
      resolved = cwdRequire.resolve(r);
    } catch (err) {
      fail(`Error launching app: cannot find the -r module '${r}': ${err.message.split('\n')[0]}`);
    }
    try {
      require(resolved);
    } catch (err) {
      if (err && err.code === 'ERR_REQUIRE_ESM') await import(pathToFileURL(resolved).href);
      else throw err;
    }
  }
  try {
    if (/\.mjs$/.test(mainFile) || (!/\.cjs$/.test(mainFile) && isModuleTyped(mainFile))) {
      await import(pathToFileURL(mainFile).href);
    } else {
      Module._load(mainFile, null, true);
    }
  } catch (err) {
    if (err === lifeline.EXIT_HELD) throw err;
    console.error('App threw an error during load');
    console.error((err && err.stack) || err);
    throw err;
  }
}

function isModuleTyped(file) {
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    const f = path.join(d, 'package.json');
    if (fs.existsSync(f)) {
      try { return JSON.parse(fs.readFileSync(f, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (path.dirname(d) === d) return false;
  }
}

loadApp().catch((err) => { if (err !== STARTUP_FAILED && err !== lifeline.EXIT_HELD) process.emit('uncaughtException', err); });
