// `conform run` end to end on the reference apps (Playwright `_electron.launch`; the stand-in here,
// real Electron when CONFORM_ELECTRON is set): the clean apps pass with zero failures, a fault is
// reported on its channel, and the CLI's exit codes and Ctrl-C behave as documented.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runConformance } from '../../runner/run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'conform.js');
const APPS = ['script-manager', 'ollama-chat', 'cosmosh-lite'].filter((a) => existsSync(join(root, 'examples', a, 'package.json')));
const tmp = mkdtempSync(join(tmpdir(), 'conform-run-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('conform run on the clean reference apps', () => {
  for (const app of APPS) {
    it(`${app}: no error finding, nothing blocked, every skip with a reason`, { timeout: 180_000 }, async () => {
      const { report } = await runConformance({ pack: app, app: join(root, 'examples', app), seed: 1 });
      const failed = report.checks.filter((c) => (c.status === 'failed' && c.severity === 'error') || c.status === 'blocked');
      expect(failed.map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
      expect([report.summary.errors, report.summary.blocked]).toEqual([0, 0]);
      expect(report.summary.passed).toBeGreaterThan(100);
      for (const c of report.checks.filter((x) => x.status === 'skipped')) expect(c.message.length).toBeGreaterThan(5);
      // every callable channel of the pack was driven: a params or return check exists for it
      expect(report.checks.some((c) => c.id === 'bridge.exists')).toBe(true);
    });
  }
});

describe('conform run finds faults', () => {
  it('reports a wrong return type on its channel (sm-list-returns-map)', { timeout: 120_000 }, async () => {
    const { report } = await runConformance({
      pack: 'script-manager', app: join(root, 'examples', 'script-manager'), only: ['scripts:list'], env: { CONFORM_FAULTS: 'sm-list-returns-map' },
    });
    const failed = report.checks.filter((c) => c.status === 'failed' && c.severity === 'error');
    expect(failed.map((c) => [c.id, c.channel])).toEqual([['returns.schema', 'scripts:list']]);
    expect(failed[0]!.message).toContain('must be array');
  });

  it('the same seed gives the same checks and inputs', { timeout: 120_000 }, async () => {
    const once = () => runConformance({ pack: 'script-manager', app: join(root, 'examples', 'script-manager'), seed: 5, grep: 'settings:update' });
    const [a, b] = [await once(), await once()];
    const inputs = (r: typeof a) => r.observations.groups.flatMap((g) => g.calls.map((c) => JSON.stringify(c.args)));
    expect(inputs(a)).toEqual(inputs(b));
    expect(a.report.checks.map((c) => [c.id, c.channel, c.status])).toEqual(b.report.checks.map((c) => [c.id, c.channel, c.status]));
  });
});

describe('conform run CLI', () => {
  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };

  it('exits 2 with one paragraph for usage errors', () => {
    const bad = run(['script-manager', '--app', 'examples/script-manager', '--reporter', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^conform: unknown reporter xml; use one or more of list, json, junit, md, html, ctrf\n$/);
    const noPack = run(['no-such-pack', '--app', 'examples/script-manager']);
    expect(noPack.code).toBe(2);
    expect(noPack.err).not.toMatch(/\n\s+at /);
    const noApp = run(['script-manager', '--app', 'examples/nope']);
    expect(noApp.code).toBe(2);
    expect(noApp.err).toContain('examples/nope');
  });

  it('--fail-on: a violated assumption passes the default gate and fails --fail-on warning; every report format is written', { timeout: 180_000 }, () => {
    // script-manager's bridge paths are the pack's mapping (assumed), so a renamed method is a warning.
    const exec = (out: string, extra: string[]) => {
      try {
        execFileSync(process.execPath, [cli, 'run', 'script-manager', '--app', 'examples/script-manager', '--grep', 'process:snapshots',
          '--reporter', 'list,json,junit,md,html', '--out', out, ...extra], { cwd: root, encoding: 'utf8', env: { ...process.env, CONFORM_FAULTS: 'sm-bridge-snapshots-renamed' } });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(exec(join(tmp, 'default'), [])).toBe(0);
    const out = join(tmp, 'fault');
    expect(exec(out, ['--fail-on', 'warning'])).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8'));
    expect(json.checks.find((c: { id: string; status: string }) => c.id === 'bridge.exists' && c.status === 'failed')).toMatchObject({ severity: 'warning', assumption: expect.stringContaining('window.api') });
    expect(json.summary.warnings).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'conform-junit.xml'), 'utf8')).toContain('<failure message="[warning] window.api.process.snapshots is missing');
    expect(readFileSync(join(out, 'conform-report.html'), 'utf8')).toContain('bridge.exists');
    expect(readFileSync(join(out, 'conform-report.md'), 'utf8')).toContain('`bridge.exists`');
  });

  it('Ctrl-C stops the app, writes the partial reports and exits 130', { timeout: 240_000 }, async () => {
    const out = join(tmp, 'ctrl-c');
    const child = spawn(process.execPath, [cli, 'run', 'script-manager', '--app', 'examples/script-manager', '--reporter', 'list,json', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Listened for from the start: a CLI that ends before the interrupt must not leave it unresolved.
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const ended = () => child.exitCode !== null || child.signalCode !== null;
    try {
      // Interrupt once the app's page runs: a Chromium renderer in the process group of a child of
      // the CLI (the launcher). The children are read again each round: the CLI's first child may
      // be a short-lived helper (a Node version probe, `npm view`), not the launcher.
      let kids: number[] = [];
      const children = () => {
        try {
          return execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
        } catch {
          return [];
        }
      };
      const rendererUp = () => readdirSync('/proc').some((e) => {
        try {
          const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
          return kids.includes(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])) && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('--type=renderer');
        } catch {
          return false;
        }
      });
      // Polled against the clock, not a count of rounds: one scan of /proc takes a while under load.
      await vi.waitFor(() => {
        if (ended()) throw new Error(`the CLI ended before its app window came up; stderr:\n${stderr}`);
        kids = children();
        expect(rendererUp(), 'the app window never came up').toBe(true);
      }, { timeout: 90_000, interval: 50 });
      child.kill('SIGINT');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const code = await Promise.race([exited, new Promise<string>((r) => (timer = setTimeout(() => r(`still running 60 s after SIGINT; stderr:\n${stderr}`), 60_000)))]);
      clearTimeout(timer);
      expect(code).toBe(130);
      expect(stderr).toContain('interrupted');
      // What ran is reported; the rest is marked not run, never passed.
      const partial = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8')) as { checks: { id: string; status: string; message: string }[] };
      expect(partial.checks.find((c) => c.id === 'app.launch')?.message).toMatch(/interrupted/);
      expect(partial.checks.some((c) => c.status === 'skipped' && /not run: the run was interrupted/.test(c.message))).toBe(true);
      // The app's processes go away (an unreaped zombie counts as gone: it runs nothing).
      const alive = (pid: number) => {
        try {
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      };
      await vi.waitFor(() => expect(kids.filter(alive), 'app processes still running 30 s after the CLI exited').toEqual([]), { timeout: 30_000, interval: 100 });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('conform run robustness', () => {
  it('reports a crash with its stderr and a hang, relaunches, and checks the remaining channels', { timeout: 120_000 }, async () => {
    // t:ok's calls must answer within the call timeout (they go through Chromium): 5 s holds on a
    // loaded machine (1 s did not always); only t:hang pays it.
    const { report } = await runConformance({
      pack: join(root, 'test/runner/packs/crashy'), app: join(root, 'test/runner/apps/crashy'), callTimeoutMs: 5_000,
    });
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} ${c.channel}`);
    expect(failed).toContain('app.survives t:crash');
    expect(failed).toContain('call.settles t:hang');
    const crash = report.incidents.find((i) => i.channel === 't:crash')!;
    expect(crash.reason).toMatch(/exited with code 3/);
    expect(crash.stderrTail.join('\n')).toContain('crashy: about to die on purpose');
    // after the relaunch the healthy channel was checked normally
    const ok = report.checks.filter((c) => c.channel === 't:ok');
    expect(ok.find((c) => c.id === 'returns.schema')!.status).toBe('passed');
    expect(ok.find((c) => c.id === 'errors.invalid-params-shape')!.status).toBe('passed');
  });
});

describe('conform run: quiet after cleanup', () => {
  // The quiet window after a cleanup is judged at the end of the run, from main's clock, while
  // later groups run: a ticker left running by tk:stop must still be caught, a stopped one pass.
  const run = (env: Record<string, string>) => runConformance({
    pack: join(root, 'test/runner/packs/ticker'), app: join(root, 'test/runner/apps/ticker'), env, security: false,
  });
  const status = (checks: { id: string; channel: string | null; status: string }[], id: string, channel: string) =>
    checks.find((c) => c.id === id && c.channel === channel)?.status;

  it('a stop that stops passes; a stop that leaves the ticker running fails on its channel', { timeout: 120_000 }, async () => {
    const clean = await run({});
    expect(clean.report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} ${c.channel}: ${c.message}`)).toEqual([]);
    expect(status(clean.report.checks, 'stream.quiet-after-cleanup', 'tk:stop')).toBe('passed');
    expect(status(clean.report.checks, 'stream.abort', 'tk:start')).toBe('passed');
    // The stream's own quiet window after tk:stop is judged the same way (its ticks carry their id).
    const cleanAbort = clean.observations.streams.find((r) => r.mode === 'abort')!;
    expect(cleanAbort.quietJudgedLater).toBe(true);
    expect(cleanAbort.end).toBe('quiet');
    const leaky = await run({ TICKER_LEAK: '1' });
    const leakyAbort = leaky.observations.streams.find((r) => r.mode === 'abort')!;
    expect(leakyAbort.quietJudgedLater).toBe(true);
    expect(leakyAbort.end).toBe('timeout');
    const quiet = leaky.report.checks.find((c) => c.id === 'stream.quiet-after-cleanup' && c.channel === 'tk:stop')!;
    expect(quiet.status).toBe('failed');
    expect(quiet.message).toMatch(/event\(s\) about "ticker-\d+"/);
    expect(status(leaky.report.checks, 'stream.abort', 'tk:start')).toBe('failed');
    expect(leaky.report.checks.find((c) => c.id === 'stream.abort')!.message).toBe('events kept coming after tk:stop (end: timeout)');
  });

  it('groups with a quiet window run before the security probes; a probe that relaunches the app waits for the window first', { timeout: 120_000 }, async () => {
    // The ticker sets no will-navigate handler: the navigation probe's page leaves, and the app is
    // relaunched for the groups that follow. tk:stop ran before the probes, so its window must be
    // observed in full before that launch is closed.
    const leaky = await runConformance({ pack: join(root, 'test/runner/packs/ticker'), app: join(root, 'test/runner/apps/ticker'), env: { TICKER_LEAK: '1' } });
    const order = leaky.observations.groups.map((g) => g.channel);
    expect(order.indexOf('tk:stop')).toBeLessThan(order.indexOf('t:ok'));
    expect(leaky.observations.security?.navigation?.decision ?? 'allow').toBe('allow');
    expect(leaky.observations.launch?.launches).toBeGreaterThanOrEqual(2);
    const stop = leaky.observations.groups.find((g) => g.channel === 'tk:stop')!;
    expect(stop.lingering?.windowMs).toBe(stop.lingering?.wantedMs);
    const quiet = leaky.report.checks.find((c) => c.id === 'stream.quiet-after-cleanup' && c.channel === 'tk:stop')!;
    expect(quiet.status).toBe('failed');
    expect(quiet.message).toMatch(/event\(s\) about "ticker-\d+"/);
  });

  it('an app that goes away before the quiet window after the abort is over leaves the abort unverified, never passed', { timeout: 120_000 }, async () => {
    const { report } = await runConformance({
      pack: join(root, 'test/runner/packs/ticker'), app: join(root, 'test/runner/apps/ticker'), env: { TICKER_EXIT_AFTER_STOP: '1' }, security: false, only: ['tk:start'],
    });
    const abort = report.checks.find((c) => c.id === 'stream.abort')!;
    expect(abort.status).toBe('skipped');
    expect(abort.message).toMatch(/quiet window after tk:stop was not observed|went away/);
  });
});
