// Runtime choice and app start-up: the one place that decides whether an Electron app runs on
// real Electron or on the stand-in (runner/standin), and the one function every part of Conform
// uses to start an app (`launchApp`), so temp folders and processes are always cleaned up.
import { _electron, chromium, type ElectronApplication } from 'playwright-core';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../cli/errors.ts';
import { chooseNode, hostNodeFlags, type NodeChoice } from './standin/node-choice.ts';

export type RuntimeKind = 'electron' | 'standin';

export interface RuntimeChoice {
  kind: RuntimeKind;
  /** What to hand to Playwright's `_electron.launch({ executablePath })`. */
  executablePath: string;
  /** The Chromium the stand-in drives (stand-in only). */
  chromiumPath?: string;
  /** One sentence saying why this runtime was chosen, for logs and reports. */
  reason: string;
  /** Which Node runs the app's main (stand-in, when the app is known): runner/standin/node-choice.ts. */
  node?: NodeChoice;
}

export interface ResolveRuntimeOptions {
  /** A path to an Electron binary: forces real Electron (like `--electron <path>`). */
  electron?: string;
  /** Where to look for `node_modules/electron` first (the app's folder); default: cwd. */
  appDir?: string;
  /** The app's main script or folder: on the stand-in, its declared Electron picks main's Node. */
  app?: string;
  /** A node binary or version for main (like `--node`); default: CONFORM_NODE, else the app's Electron's. */
  node?: string;
}

const conformRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const standinExecutable = join(conformRoot, 'runner', 'standin', 'electron');

export function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Electron binary installed by the `electron` npm package, found without loading the package:
 * its index.js downloads the binary when missing, which must never happen here.
 */
export function findInstalledElectron(startDir: string): string | undefined {
  const dirs: string[] = [];
  for (let d = resolve(startDir); ; d = dirname(d)) {
    dirs.push(d);
    if (dirname(d) === d) break;
  }
  dirs.push(conformRoot);
  for (const d of dirs) {
    const pkg = join(d, 'node_modules', 'electron');
    const pathTxt = join(pkg, 'path.txt');
    if (!existsSync(pathTxt)) continue;
    const rel = readFileSync(pathTxt, 'utf8').trim();
    const bin = join(pkg, 'dist', rel);
    if (rel && isExecutable(bin)) return bin;
  }
  return undefined;
}

/** Chromium for the stand-in: CONFORM_CHROMIUM, else Debian's, else Playwright's own download. */
export function findChromium(): { path: string; reason: string } {
  const fromEnv = process.env.CONFORM_CHROMIUM;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new UsageError(`CONFORM_CHROMIUM points at ${fromEnv}, which is not an executable file. Point it at a Chromium binary or unset it to use /usr/bin/chromium.`);
    }
    return { path: fromEnv, reason: 'CONFORM_CHROMIUM' };
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (isExecutable(p)) return { path: p, reason: p };
  }
  try {
    const pw = chromium.executablePath();
    if (pw && isExecutable(pw)) return { path: pw, reason: "Playwright's Chromium" };
  } catch {
    // Playwright throws when it has no browser registered for this platform: fall through.
  }
  throw new UsageError('No Chromium found for the Electron stand-in (no Electron binary either). Install one with `sudo apt-get install -y chromium` (Debian/Ubuntu) or `npx playwright install chromium`, or set CONFORM_CHROMIUM to a Chromium binary; or set CONFORM_ELECTRON / --electron to an Electron binary.');
}

export function resolveRuntime(opts: ResolveRuntimeOptions = {}): RuntimeChoice {
  const forced = opts.electron ?? process.env.CONFORM_ELECTRON;
  if (forced) {
    const source = opts.electron ? '--electron' : 'CONFORM_ELECTRON';
    if (!isExecutable(forced)) {
      throw new UsageError(`${source} points at ${forced}, which is not an executable file. Give the path of an Electron binary (for example node_modules/electron/dist/electron).`);
    }
    return { kind: 'electron', executablePath: resolve(forced), reason: `real Electron forced by ${source} (${forced})` };
  }
  if (process.env.CONFORM_RUNTIME !== 'standin') {
    const installed = findInstalledElectron(opts.appDir ?? process.cwd());
    if (installed) return { kind: 'electron', executablePath: installed, reason: `real Electron found at ${installed}` };
  }
  const chrome = findChromium();
  return {
    kind: 'standin',
    node: opts.app ? chooseNode({ node: opts.node, app: opts.app }) : undefined,
    executablePath: standinExecutable,
    chromiumPath: chrome.path,
    reason: process.env.CONFORM_RUNTIME === 'standin'
      ? `Electron stand-in forced by CONFORM_RUNTIME=standin, Chromium from ${chrome.reason}`
      : `Electron stand-in (no Electron binary installed), Chromium from ${chrome.reason}`,
  };
}

export interface LaunchAppOptions {
  /** The app's main script, or its folder (with a package.json `main`). */
  main: string;
  /** Extra arguments after the main script (the app sees them in process.argv). */
  args?: string[];
  /** Modules loaded before the main script (`-r <module>`), e.g. the instrumentation hook. */
  require?: string[];
  /** Extra environment for the app (merged over process.env). */
  env?: Record<string, string>;
  /** Working folder of the app; default: this process's. */
  cwd?: string;
  /** Force an Electron binary (like --electron / CONFORM_ELECTRON). */
  electron?: string;
  /** Launch timeout; default 30 s. */
  timeoutMs?: number;
  /** Node for main on the stand-in, a binary or a version (like `--node`); default: CONFORM_NODE, else the one the app's Electron ships. */
  node?: string;
  /**
   * The whole run's folder: this launch's folder goes inside it, and the stand-in removes it if
   * Conform dies. Default: a launch folder of its own in the temp dir.
   */
  runDir?: string;
}

export interface LaunchedApp {
  app: ElectronApplication;
  runtime: RuntimeChoice;
  /** The app's own folder for this launch: its HOME, XDG_* dirs, TMPDIR and userData are inside. */
  tempDir: string;
  /** Closes the app (quit, then kill of its process group if it hangs) and removes temp folders. Idempotent. */
  close(): Promise<void>;
  /** The app's stderr since launch (last 64 KiB), for diagnosing failures. */
  stderr(): string;
  /** The app's last `max` lines of stdout and stderr, start-up included where the runtime keeps it (the stand-in does). */
  output(max?: number): string[];
}

/** The app could not be started: its own output and how its process ended, when known. */
export class AppStartError extends Error {
  constructor(
    /** Why the launch failed, Playwright's first line (e.g. a timeout). */
    readonly reason: string,
    prefix: string,
    readonly output: string[],
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    // One line for callers that only print the message: the reason and what the app said.
    super(`${prefix}: ${reason}${output.length ? ` (app said: ${output.join(' ').slice(-600)})` : ''}`);
    this.name = 'AppStartError';
  }
}

/** Lines of the app's output worth showing (the debugger's own chatter removed). */
export const OUTPUT_LINES = 40;
/** Lines the inspector and Chromium print on every launch: not the app's own output. */
export const DEBUGGER_CHATTER = /^(Debugger listening|DevTools listening|For help, see|Debugger attached|Debugger ending|Waiting for the debugger)/;
function lastLines(text: string, max: number): string[] {
  return text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() && !DEBUGGER_CHATTER.test(l)).slice(-max);
}

/** The app's output and exit from Playwright's launch log (`[pid=N][err] ...`, `<process did exit: exitCode=3, signal=null>`). */
function fromLaunchLog(message: string): { output: string[]; exitCode: number | null; signal: string | null } {
  const clean = message.replace(/\u001b\[[0-9;]*m/g, '');
  const lines = clean.split('\n').map((l) => /\[pid=\d+\]\[(?:err|out)\] ?(.*)$/.exec(l)?.[1] ?? null).filter((l): l is string => l !== null);
  const exit = /exitCode=(-?\d+|null), signal=(\w+)/.exec(clean);
  return {
    output: lastLines(lines.join('\n'), OUTPUT_LINES),
    exitCode: exit && exit[1] !== 'null' ? Number(exit[1]) : null,
    signal: exit && exit[2] !== 'null' ? exit[2]! : null,
  };
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Folders each launch's app gets inside its own folder, in place of the host's. */
function hostSafeEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {
    HOME: join(dir, 'home'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
    TMPDIR: join(dir, 'tmp'),
  };
  env.TMP = env.TEMP = env.TMPDIR!;
  for (const d of new Set(Object.values(env))) mkdirSync(d, { recursive: true });
  return env;
}

const APP_DIR_PREFIX = 'conform-app-';
/** The stand-in's output log stops at this size (runner/standin/main/lifeline.cjs). */
const OUTPUT_LOG_CAP = 256 * 1024;

/** Folders of launches whose Conform process died without cleaning up (SIGKILL): removed at the next launch. */
function removeStaleAppDirs(): void {
  let names: string[] = [];
  try { names = readdirSync(tmpdir()); } catch { return; }
  for (const name of names) {
    const m = /^conform-(?:app|run)-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      // Another user's folder (a test run as nobody) may not be ours to remove: skip it.
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') try { rmSync(join(tmpdir(), name), { recursive: true, force: true }); } catch { /* not ours */ }
    }
  }
}

/**
 * Playwright's launcher leaves a promise that rejects unhandled ("Process failed to launch!") when
 * the app exits before it attached: during a launch that one is expected and swallowed (the launch
 * itself fails with the reason), any other is left to crash the process as usual.
 */
async function withLaunchGuard<T>(p: () => Promise<T>): Promise<T> {
  const onRejection = (reason: unknown) => {
    if (reason instanceof Error && reason.message === 'Process failed to launch!') return;
    process.nextTick(() => { throw reason; });
  };
  process.on('unhandledRejection', onRejection);
  try {
    return await p();
  } finally {
    // Its stray rejection may come a tick after the launch settled.
    setImmediate(() => process.removeListener('unhandledRejection', onRejection));
  }
}

/** Temp folders of apps still running, removed on exit of this process even if close() never ran. */
const liveTempDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of liveTempDirs) rmSync(d, { recursive: true, force: true });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The stand-in names its Chromium profile after its pid; remove it when the app is gone. */
function removeStandinProfiles(pid: number | undefined): void {
  if (!pid) return;
  const prefix = `conform-standin-${pid}-`;
  // Chromium's own temp folder goes to /tmp when TMPDIR is too long for its socket path.
  for (const base of new Set([tmpdir(), '/tmp'])) {
    for (const name of readdirSync(base)) {
      if (name.startsWith(prefix)) rmSync(join(base, name), { recursive: true, force: true });
    }
  }
}

/**
 * True when no live process of the launcher's process group (node, Chromium, its reaper) is left.
 * Zombies do not count: they are dead, only waiting for an init that may reap them seconds later.
 */
function groupGone(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    try { process.kill(-pgid, 0); return false; } catch { return true; }
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${e}/stat`, 'utf8'); } catch { continue; }
    // Fields after the parenthesised command: state ppid pgrp ...
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') return false;
  }
  return true;
}

/**
 * Printed once per process before the first real-Electron launch: Playwright starts Electron with
 * `--inspect=0 --remote-debugging-port=0` and offers no way to guard them (the stand-in does, see
 * runner/security/README.md).
 */
export const REAL_ELECTRON_DEBUG_WARNING =
  'conform: warning: on real Electron, Playwright opens an unauthenticated Node inspector and a Chromium DevTools port on 127.0.0.1 while the app runs; any local user can attach to them (run code as you, read what the app holds). Run on a machine no other user shares, or use the stand-in (CONFORM_RUNTIME=standin), which guards both.';
let warnedRealElectron = false;
/** Node-choice warnings already printed in this process (a relaunch repeats none). */
const warnedNode = new Set<string>();

export async function launchApp(opts: LaunchAppOptions): Promise<LaunchedApp> {
  const main = resolve(opts.main);
  const runtime = resolveRuntime({ electron: opts.electron, appDir: dirname(main), app: main, node: opts.node ?? opts.env?.CONFORM_NODE });
  if (runtime.kind === 'electron' && !warnedRealElectron) {
    warnedRealElectron = true;
    process.stderr.write(`${REAL_ELECTRON_DEBUG_WARNING}\n`);
  }
  const nodeWarning = runtime.node?.warning;
  if (nodeWarning && !warnedNode.has(nodeWarning)) {
    warnedNode.add(nodeWarning);
    process.stderr.write(`conform: warning: ${nodeWarning}\n`);
  }
  removeStaleAppDirs();
  const tempDir = mkdtempSync(join(opts.runDir ?? tmpdir(), `${APP_DIR_PREFIX}${process.pid}-`));
  liveTempDirs.add(tempDir);
  installExitHook();
  const outputLog = join(tempDir, 'output.log');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // The app's HOME, XDG dirs and TMPDIR are its own folder's: what it writes there never reaches the host.
  Object.assign(env, hostSafeEnv(tempDir), { CONFORM_PARENT_PID: String(process.pid), CONFORM_RUN_DIR: opts.runDir ?? tempDir, CONFORM_OUTPUT_LOG: outputLog }, opts.env ?? {});
  if (runtime.chromiumPath) env.CONFORM_CHROMIUM = runtime.chromiumPath;
  // The stand-in says it is the Electron the app declares (process.versions.electron), as its Node is.
  if (runtime.node?.electron && !env.CONFORM_ELECTRON_VERSION) env.CONFORM_ELECTRON_VERSION = runtime.node.electron;
  if (runtime.node?.path) env.CONFORM_NODE = runtime.node.path;
  else delete env.CONFORM_NODE; // a version given there was resolved: the host's Node runs main
  // On the host's Node, main gets the globals Electron's own Node has (a chosen node: as it is).
  if (runtime.kind === 'standin' && !env.CONFORM_NODE && env.CONFORM_NODE_FLAGS === undefined) env.CONFORM_NODE_FLAGS = hostNodeFlags().join(' ');
  const requireArgs = (opts.require ?? []).flatMap((m) => ['-r', resolve(m)]);
  const args = [...requireArgs, main, ...(opts.args ?? [])];
  let app: ElectronApplication;
  try {
    // cwd too: a relative path the app is given (or builds) resolves inside its own folder.
    app = await withLaunchGuard(() => _electron.launch({ executablePath: runtime.executablePath, args, env, cwd: opts.cwd ?? env.HOME, timeout: opts.timeoutMs ?? 30_000 }));
  } catch (err) {
    const log = fromLaunchLog((err as Error).message);
    const kept = readTail(outputLog);
    liveTempDirs.delete(tempDir);
    rmSync(tempDir, { recursive: true, force: true });
    throw new AppStartError((err as Error).message.split('\n')[0]!, `could not start ${main} on ${runtime.reason}`,
      kept ? lastLines(kept, OUTPUT_LINES) : log.output, log.exitCode, log.signal);
  }
  // Kept now: once Playwright saw the app exit, app.process() throws.
  let proc: ReturnType<ElectronApplication['process']>;
  try {
    proc = app.process();
  } catch {
    // The app quit (or died) right as the launch completed: Playwright has already let go of it.
    const kept = readTail(outputLog);
    liveTempDirs.delete(tempDir);
    rmSync(tempDir, { recursive: true, force: true });
    throw new AppStartError('the app exited during start-up', `could not start ${main} on ${runtime.reason}`, lastLines(kept, OUTPUT_LINES), null, null);
  }
  const pid = proc.pid;
  let stderrTail = '';
  let outputTail = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + String(d)).slice(-65_536);
    outputTail = (outputTail + String(d)).slice(-65_536);
  });
  proc.stdout?.on('data', (d: Buffer) => { outputTail = (outputTail + String(d)).slice(-65_536); });
  // The stand-in keeps its output from the first line on (Playwright consumed the start-up part).
  // Past its cap the file stops growing; then the live tail since launch is the recent part.
  const output = (max = OUTPUT_LINES) => {
    const kept = readTail(outputLog);
    return lastLines(kept && kept.length < OUTPUT_LOG_CAP ? kept : outputTail, max);
  };
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const quit = app.close().then(() => true, () => false);
      // An app that already exited (quit by itself, crashed) is done: Playwright's close() of it may never settle.
      const exited = new Promise<boolean>((r) => {
        if (proc.exitCode !== null || proc.signalCode !== null) r(true);
        else proc.once('exit', () => r(true));
      });
      const inTime = await Promise.race([quit, exited, new Promise<boolean>((r) => setTimeout(() => r(false), 10_000).unref())]);
      // Whatever is left in the launcher's process group once the app has quit (Chromium helpers
      // still exiting, child processes the app started) goes now: nothing outlives close().
      killGroup(pid);
      if (!inTime) await Promise.race([quit, exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
      const deadline = Date.now() + 3_000;
      while (pid && !groupGone(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (runtime.kind === 'standin') removeStandinProfiles(pid);
      liveTempDirs.delete(tempDir);
      rmSync(tempDir, { recursive: true, force: true });
    })();
    return closing;
  };
  return { app, runtime, tempDir, close, stderr: () => stderrTail, output };
}
