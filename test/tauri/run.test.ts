// `conform run` for Tauri packs, end to end: WebKitWebDriver drives the WebKitGTK test double
// (examples/tauri-double) under Xvfb. Clean runs pass; every switchable fault of the double is
// caught by the check its category names; launch failures are explained with the app's output;
// no driver, Xvfb or app process outlives a run, also after Ctrl-C to the CLI.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORY_CHECKS } from '../../runner/faults.ts';
import { runConformance, type RunOptions } from '../../runner/run.ts';
import { tauriDoubleMissing, tauriRuntimeMissing } from '../../runner/tauri/prerequisites.ts';
import { TauriLaunchError, TauriSession } from '../../runner/tauri/session.ts';
import type { CheckResult } from '../../runner/checks/types.ts';
import { loadPack } from '../../specs/loader.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DOUBLE = `${root}examples/tauri-double/double.py`;
const FAULTS = JSON.parse(readFileSync(`${root}examples/tauri-double/faults.json`, 'utf8')) as {
  id: string; pack: string; channel: string; category: string;
}[];

const missing = tauriRuntimeMissing() ?? tauriDoubleMissing();
if (missing) console.warn(`test/tauri/run.test.ts skipped: ${missing}`);

// Every process a run starts inherits this marker (driver, Xvfb, the double, WebKit's helpers).
const MARK = `conform-tauri-test-${process.pid}`;

/** Live processes (zombies have no readable environment) carrying the marker. */
function markedProcesses(): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (!readFileSync(`/proc/${e}/environ`, 'utf8').split('\0').includes(`CONFORM_TEST_MARK=${MARK}`)) continue;
      out.push({ pid: Number(e), cmd: readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return out;
}

/** Wait (polling /proc: no event to await) until a marked process whose command line has `what` runs. */
async function waitForMarked(what: string, stillWaiting: () => string | null): Promise<void> {
  const until = Date.now() + 60_000;
  while (!markedProcesses().some((p) => p.cmd.includes(what))) {
    const gone = stillWaiting();
    if (gone !== null || Date.now() > until) throw new Error(`no ${what} appeared: ${gone ?? 'timed out'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(pack: string, faults: string[], only?: string[]) {
  const opts: RunOptions = {
    pack, app: DOUBLE, only, callTimeoutMs: 1_500, streamTimeoutMs: 3_000,
    // Fault runs (focused) need one valid input per channel; clean runs take the default three.
    validCount: only ? 1 : undefined,
    env: { CONFORM_FAULTS: faults.join(','), CONFORM_TEST_MARK: MARK },
  };
  return runConformance(opts);
}

/** A finding (error or warning: an info finding is what the app did where the contract is silent). */
const finding = (r: CheckResult) => (r.status === 'failed' || r.status === 'blocked') && r.severity !== 'info';

/** The fault's channel, or a stream it starts or belongs to, has a finding of a check of its category. */
async function detected(fault: (typeof FAULTS)[number], results: CheckResult[]): Promise<CheckResult | undefined> {
  const pack = await loadPack(fault.pack);
  const streams = pack.streams.filter((s) => s.start === fault.channel || s.events.includes(fault.channel)).map((s) => s.name);
  const ids = CATEGORY_CHECKS[fault.category] ?? [];
  return results.find((r) => finding(r) && ids.includes(r.id) && (r.channel === fault.channel || (r.stream !== undefined && streams.includes(r.stream))));
}

describe.skipIf(!!missing)('conform run on a Tauri app through WebKitWebDriver (test double)', () => {
  afterEach(() => {
    // A run stops everything it started before it returns: nothing marked may remain.
    expect(markedProcesses()).toEqual([]);
  });

  it.each(['tauri-completion', 'clawdesk'])('%s: the clean double passes, main-hook checks are not applicable', async (pack) => {
    const { report, results } = await run(pack, []);
    expect(report.runtime).toBe('tauri-webdriver');
    expect(results.filter(finding)).toEqual([]);
    // Every command was called and judged (return schema, error shape), not skipped.
    const commands = (await loadPack(pack)).channels.filter((c) => c.kind === 'command' || c.kind === 'channel-stream').map((c) => c.name);
    for (const ch of commands) expect(results.some((r) => r.channel === ch && r.id === 'call.settles' && r.status === 'passed'), ch).toBe(true);
    expect(results.some((r) => r.id === 'errors.invalid-params-shape' && r.status === 'passed')).toBe(true);
    expect(results.filter((r) => r.id.startsWith('stream.') && r.status === 'passed').length).toBeGreaterThan(2);
    for (const id of ['handler.registered', 'params.reach-handler', 'drift.undocumented-channel', 'security.secret-echo']) {
      const r = results.find((x) => x.id === id);
      expect(r?.status, id).toBe('skipped');
      expect(r?.message).toMatch(/^not (applicable|run) for Tauri: /);
    }
  });

  // Faults on different channels are switched on together: one launch judges several.
  const groups: [string, string[], string[]][] = [
    ['tauri-completion', ['tc-presets-not-array', 'tc-channel-out-of-order'], ['load_model_presets', 'generate_completion_stream']],
    ['tauri-completion', ['tc-presets-string-error', 'tc-stream-never-settles'], ['load_model_presets', 'generate_completion_stream']],
    ['clawdesk', ['cd-health-status-number', 'cd-stream-out-of-order'], ['get_health', 'send_message_streaming', 'cancel_stream']],
    ['clawdesk', ['cd-config-string-error', 'cd-stream-no-end'], ['get_config', 'send_message_streaming', 'cancel_stream']],
    // The crash takes the app down mid-run: the run relaunches it for the groups after it.
    ['clawdesk', ['cd-chunk-payload-invalid', 'cd-metrics-crash'], ['send_message_streaming', 'stream-chunk', 'get_metrics', 'compact_session']],
  ];
  it('every fault of examples/tauri-double/faults.json is in one of the groups below', () => {
    expect(groups.flatMap((g) => g[1]).sort()).toEqual(FAULTS.filter((f) => f.category !== 'launch-failure').map((f) => f.id).sort());
  });
  it.each(groups)('%s with %j: each fault is caught by its check', async (pack, faults, only) => {
    const { report, results } = await run(pack, faults, only);
    for (const id of faults) {
      const hit = await detected(FAULTS.find((f) => f.id === id)!, results);
      expect(hit, `${id} not detected; failed: ${results.filter((r) => r.status === 'failed').map((r) => `${r.id}@${r.channel}`).join(', ')}`).toBeDefined();
    }
    expect(report.summary.failed).toBeGreaterThan(0);
    if (faults.includes('cd-metrics-crash')) {
      const crash = results.find((r) => r.id === 'app.survives' && r.channel === 'get_metrics')!;
      expect(JSON.stringify(crash.actual)).toContain('panicked at src/metrics.rs');
      expect(results.find((r) => r.id === 'returns.schema' && r.channel === 'compact_session')?.status).toBe('passed');
    }
  });

  it('an app that exits at start-up is explained with its own output', async () => {
    // A launch failure is the app.launch finding (with the app's output), not retried; the rest is not run.
    const { results } = await run('clawdesk', ['startup-crash']);
    const launch = results.find((r) => r.id === 'app.launch')!;
    expect(launch).toMatchObject({ status: 'failed', severity: 'error' });
    expect(launch.message).toMatch(/exited before it accepted a WebDriver session/);
    expect(JSON.stringify((launch.actual as { output: string[] }).output)).toContain('cannot open the app database: disk I/O error');
    expect((launch.actual as { failures: unknown[] }).failures).toHaveLength(1);
    expect(results.some((r) => r.status === 'passed' && r.channel)).toBe(false);
  });

  it('a page without __TAURI_INTERNALS__ is refused with one line, not judged', async () => {
    const { results } = await run('clawdesk', ['no-tauri-internals']);
    const launch = results.find((r) => r.id === 'app.launch')!;
    expect(launch.status).toBe('failed');
    expect(launch.message).toMatch(/__TAURI_INTERNALS__ .* is missing: the page is not a Tauri v2 page/);
    expect(results.some((r) => r.status === 'passed' && r.channel)).toBe(false);
  });

  it('an app that never allows automation: aborting ends the hanging launch at once and stops everything', async () => {
    const controller = new AbortController();
    const pending = runConformance({ pack: 'clawdesk', app: DOUBLE, signal: controller.signal, env: { CONFORM_FAULTS: 'no-automation', CONFORM_TEST_MARK: MARK } })
      .then((o) => o, (e: unknown) => e);
    // Once the double's page is up (its WebKitWebProcess exists), the session request hangs.
    await waitForMarked('WebKitWebProcess', () => null);
    const t0 = Date.now();
    controller.abort();
    // The run ends at once as interrupted (what ran is reported, the rest not run), not a launch failure.
    expect(await pending).toMatchObject({ interrupted: true });
    expect(Date.now() - t0).toBeLessThan(10_000); // not the 30 s launch timeout
  });

  it('an app that never allows automation: the launch times out with a message saying why', async () => {
    const clawdesk = await loadPack('clawdesk');
    const err = await TauriSession.start(clawdesk, { binary: DOUBLE, launchTimeoutMs: 3_000, env: { CONFORM_FAULTS: 'no-automation', CONFORM_TEST_MARK: MARK } }, 1)
      .then(async (s) => { await s.close(); return null; }, (e: unknown) => e);
    expect(err).toBeInstanceOf(TauriLaunchError);
    expect((err as TauriLaunchError).message).toMatch(/did not accept a WebDriver session within 3000 ms: it does not allow automation .*TAURI_WEBVIEW_AUTOMATION=true/);
    expect((err as TauriLaunchError).output.join('\n')).toContain('automation not allowed');
  });

  it('Ctrl-C to the CLI stops the driver, Xvfb and the app', async () => {
    const cli = spawn(process.execPath, [`${root}bin/conform.js`, 'run', 'clawdesk', '--app', DOUBLE, '--reporter', 'list'], {
      cwd: root, env: { ...process.env, CONFORM_TEST_MARK: MARK, DISPLAY: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    try {
      // Interrupt once the run is driving the app: its page runs in a WebKitWebProcess (polled:
      // the CLI prints no progress when stdout is not a terminal).
      let stderr = '';
      cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      await waitForMarked('WebKitWebProcess', () => (cli.exitCode !== null ? `the CLI exited: ${stderr}` : null));
      expect(markedProcesses().some((p) => p.cmd.includes('double.py'))).toBe(true);
      cli.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
      await exited;
    }
  });
});
