// Launch failures explain themselves (test/runner/apps/startup): each phase is named with the exit
// code and the app's own output; a crash loop stops after 3 launches with every report written;
// `--out` is checked before anything launches. One launch per diagnosis (AppSession.start).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppSession, LaunchFailed } from '../../runner/run/session.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'conform.js');
const APP = join(root, 'test/runner/apps/startup');
const PACK = join(root, 'test/runner/packs/startup');
const tmp = mkdtempSync(join(tmpdir(), 'conform-launch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One launch of the fixture with a fault; the LaunchFailed it must end in. */
async function failedLaunch(fault: string | undefined, main = APP, launchTimeoutMs = 30_000): Promise<LaunchFailed> {
  let session: AppSession | undefined;
  try {
    session = await AppSession.start({ main, roots: ['window.api'], env: fault ? { STARTUP_FAULT: fault } : {}, launchTimeoutMs }, 1);
  } catch (err) {
    return err as LaunchFailed;
  } finally {
    await session?.close();
  }
  throw new Error(`the app launched although it should fail (${fault})`);
}

function conform(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 240_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('launch diagnostics', () => {
  it('main throws at startup: phase main-threw, with the error from the app', { timeout: 120_000 }, async () => {
    const err = await failedLaunch('throw', APP, 12_000);
    expect(err).toBeInstanceOf(LaunchFailed);
    expect(err.phase).toBe('main-threw');
    expect(err.output.join('\n')).toContain('startup: cannot read backend config /etc/startup-backend.json');
  });

  it('main has a syntax error: the SyntaxError and the line are shown', { timeout: 120_000 }, async () => {
    const err = await failedLaunch(undefined, join(APP, 'syntax.cjs'), 12_000);
    expect(err.phase).toBe('main-threw');
    expect(err.output.join('\n')).toMatch(/SyntaxError: Unexpected token ';'/);
  });

  it('process.exit(3) in main: main-exited with code 3, never a stack trace from Playwright', { timeout: 120_000 }, async () => {
    const err = await failedLaunch('exit3');
    expect(err.phase).toBe('main-exited');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('process.exit(3)');
    expect(err.output).toContain('startup: backend not found, exiting with 3');
  });

  it('no window: no-window within the launch timeout, with the app output', { timeout: 120_000 }, async () => {
    const err = await failedLaunch('no-window', APP, 6_000);
    expect(err.phase).toBe('no-window');
    expect(err.message).toMatch(/none within 6 s; raise it with --launch-timeout/);
    expect(err.output).toContain('startup: waiting for a tray click that never comes');
  });

  it("the page does not load: renderer-load with the URL and Chromium's net error", { timeout: 120_000 }, async () => {
    const err = await failedLaunch('bad-page', APP, 12_000);
    expect(err.phase).toBe('renderer-load');
    expect(err.message).toMatch(/page did not load \(ERR_[A-Z_]+ \(-\d+\) loading 'http:\/\/127\.0\.0\.1:9\/index\.html'\)/);
  });

  it('the preload throws: the window opens, and the session names the preload error', { timeout: 120_000 }, async () => {
    const session = await AppSession.start({ main: APP, roots: ['window.api'], env: { STARTUP_FAULT: 'preload-throw' } }, 1);
    try {
      expect(session.preloadError).toMatch(/^Unable to load preload script: .*preload-throws\.cjs Error: startup preload: cannot reach the backend socket/);
    } finally {
      await session.close();
    }
  });

  it('a window told to stay on about:blank is ready once that load finishes, not after the 5 s wait for a first page', { timeout: 120_000 }, async () => {
    const markFile = join(tmp, 'blank-mark');
    const session = await AppSession.start({ main: APP, roots: ['window.api'], env: { STARTUP_FAULT: 'blank', STARTUP_MARK: markFile } }, 1);
    const readyAt = Date.now();
    try {
      const requestedAt = Number(/blank-requested-at (\d+)/.exec(readFileSync(markFile, 'utf8'))?.[1]);
      expect(requestedAt).toBeGreaterThan(0);
      expect(session.page.url()).toBe('about:blank');
      expect(await session.page.evaluate(() => typeof (window as unknown as { api?: { ping?: unknown } }).api?.ping)).toBe('function');
      // Before the fix the session waited out 5 s after the window appeared (just before that request).
      expect(readyAt - requestedAt).toBeLessThan(4_000);
    } finally {
      await session.close();
    }
  });

  it('an app that needs a Node-24-only global (WebSocket) starts: main has the globals Electron ships', { timeout: 120_000 }, async () => {
    const session = await AppSession.start({ main: APP, roots: ['window.api'], env: { STARTUP_FAULT: 'node24' } }, 1);
    try {
      expect(await session.app.evaluate(() => typeof (globalThis as { startupSocketClass?: unknown }).startupSocketClass)).toBe('function');
    } finally {
      await session.close();
    }
  });

  it('without those globals the app error is named with its output', { timeout: 120_000 }, async () => {
    // CONFORM_NODE_FLAGS set empty: main on the plain host Node, as before the globals were given.
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'undefined') {
      console.log('skipped: the host Node has a global WebSocket without flags, so the fixture starts anyway');
      return;
    }
    let session: AppSession | undefined;
    const err = await AppSession.start({ main: APP, roots: ['window.api'], env: { STARTUP_FAULT: 'node24', CONFORM_NODE_FLAGS: '' }, launchTimeoutMs: 12_000 }, 1).then((s) => {
      session = s;
      return undefined;
    }, (e: unknown) => e as LaunchFailed);
    await session?.close();
    expect(err).toBeInstanceOf(LaunchFailed);
    expect(err!.phase).toBe('main-threw');
    expect(err!.output.join('\n')).toContain('ReferenceError: WebSocket is not defined');
  });
});

describe('conform run: crash loops and --out', () => {
  it('an app that quits at every start: 3 launches, then app.launch fails, the rest not run, reports written, exit 1', { timeout: 240_000 }, async () => {
    const out = join(tmp, 'crash-loop', 'reports');
    const r = await conform(['run', PACK, '--app', APP, '--reporter', 'list,json,junit', '--out', out], { STARTUP_FAULT: 'quit' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.match(/^launch \d: launch failed: main exited before opening a window, exit code 0$/gm)).toHaveLength(3);
    expect(r.stdout).toContain('  | startup: backend missing, quitting');
    const json = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8'));
    const launch = json.checks.find((c: { id: string }) => c.id === 'app.launch');
    expect(launch.status).toBe('failed');
    expect(launch.message).toMatch(/stopped relaunching after 3 failed launches in a row.*2 channel group\(s\) not run/);
    // Not run is never green: nothing about the app passed (only that the host was left alone),
    // the channel groups are skipped with the reason.
    expect(json.checks.filter((c: { status: string }) => c.status === 'passed').map((c: { id: string }) => c.id)).toEqual(['host.untouched']);
    expect(json.checks.filter((c: { channel: string; status: string }) => c.channel === 's:ping').every((c: { status: string; message: string }) => c.status === 'skipped' && /not run/.test(c.message))).toBe(true);
    expect(readFileSync(join(out, 'conform-junit.xml'), 'utf8')).toContain('app.launch');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--out on /proc or under a file: exit 2 before anything launches', { timeout: 120_000 }, async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    for (const out of ['/proc/conform-out', join(file, 'sub')]) {
      const r = await conform(['run', PACK, '--app', APP, '--reporter', 'json', '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^conform: --out \S+: .*(pseudo-filesystem|is a file)/);
      expect(r.stdout).toBe('');
      // The CLI's own start-up (tsx) dominates; the check itself is instant. No launch happened.
      expect(r.ms).toBeLessThan(20_000);
    }
  });
});
