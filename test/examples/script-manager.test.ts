// The script-manager reference app (examples/script-manager) driven through its real bridge under
// Playwright's _electron.launch (stand-in or real Electron, via runner/runtime.ts launchApp):
// one real flow per feature area, and for every switchable fault of examples/faults.json a probe
// run against a clean app and a faulty app, proving the fault changes what the app does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, type LaunchedApp } from '../../runner/runtime.ts';

const APP_DIR = resolve('examples/script-manager');
const FAULTS_FILE = resolve('examples/faults.json');
const { FAULT_IDS } = createRequire(import.meta.url)(resolve(APP_DIR, 'faults.js')) as { FAULT_IDS: string[] };

const CATEGORIES = [
  'wrong-return-type', 'missing-required-field', 'undocumented-extra-field', 'params-reshaped', 'handler-missing',
  'undocumented-channel', 'event-payload-invalid', 'events-out-of-order', 'terminal-event-missing',
  'events-after-terminal', 'rejection-instead-of-union', 'union-instead-of-rejection', 'error-message-format',
  'handler-crash', 'handler-hang', 'slow-response', 'bridge-method-missing', 'stream-not-ending-on-abort',
  'window-posture', 'correlation-wrong', 'generic-bridge',
];

interface Running {
  launched: LaunchedApp;
  page: Page;
  stderr: () => string;
  exited: Promise<number | null>;
}

type Outcome = { ok: true; value: any } | { ok: false; message: string };

interface Recorded {
  channel: string;
  at: number;
  payload: any;
}

/** Process ids the tests saw (children, grandchildren): killed after each test whatever happens. */
const seenPids = new Set<number>();
const launchedApps: LaunchedApp[] = [];

async function start(faults: string[] = []): Promise<Running> {
  // CONFORM_FAULTS is always set, so a value in the test's own environment never leaks in.
  const launched = await launchApp({ main: APP_DIR, env: { CONFORM_FAULTS: faults.join(',') } });
  launchedApps.push(launched);
  const proc = launched.app.process();
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  let page: Page;
  try {
    page = await launched.app.firstWindow({ timeout: 30_000 });
  } catch (e) {
    const state = await launched.app.evaluate(({ app, BrowserWindow }) => ({
      ready: app.isReady(),
      windows: BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()),
    })).catch((x: Error) => ({ error: x.message.split('\n')[0] }));
    throw new Error(`${(e as Error).message.split('\n')[0]}; main: ${JSON.stringify(state)}; stderr:\n${err.slice(-2000)}`);
  }
  await page.waitForFunction(() => typeof (window as any).api?.process?.ping === 'function');
  await page.evaluate(() => {
    const w = window as any;
    const events: unknown[] = [];
    w.__sm = { events };
    const add = (channel: string) => (payload: any) => {
      let p = payload;
      if (channel === 'process:log:event') {
        const raw = payload?.text;
        const textType = typeof raw === 'string' ? 'string' : Object.prototype.toString.call(raw);
        const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : String(raw);
        p = { scriptId: payload?.scriptId, text, textType };
      }
      events.push({ channel, at: performance.now(), payload: p });
    };
    w.api.process.onStatus(add('process:status:event'));
    w.api.process.onLog(add('process:log:event'));
    w.api.updates.onEvent(add('updates:event'));
  });
  return { launched, page, stderr: () => err, exited };
}

/** Calls window.<path>(...args) inside the renderer; a rejection comes back as its message. */
function call(r: Running, path: string, ...args: unknown[]): Promise<Outcome> {
  return r.page.evaluate(async ({ path, args }) => {
    let target: any = window;
    let self: any;
    for (const key of path.split('.')) {
      self = target;
      target = target?.[key];
    }
    if (typeof target !== 'function') return { ok: false as const, message: `no bridge method window.${path}` };
    try {
      return { ok: true as const, value: await target.apply(self, args) };
    } catch (err) {
      return { ok: false as const, message: String((err as Error)?.message ?? err) };
    }
  }, { path, args });
}

async function value(r: Running, path: string, ...args: unknown[]): Promise<any> {
  const out = await call(r, path, ...args);
  if (!out.ok) throw new Error(`window.${path} rejected: ${out.message}`);
  return out.value;
}

async function events(r: Running, channel?: string): Promise<Recorded[]> {
  const all = (await r.page.evaluate(() => (window as any).__sm.events)) as Recorded[];
  for (const e of all) if (typeof e.payload?.pid === 'number') seenPids.add(e.payload.pid);
  return channel ? all.filter((e) => e.channel === channel) : all;
}

async function clearEvents(r: Running): Promise<void> {
  await r.page.evaluate(() => {
    (window as any).__sm.events.length = 0;
  });
}

/**
 * A marker instead of a quiet window: main's events and its invoke answers reach the renderer in
 * the order main sent them (one ordered IPC channel), so once a later call's answer is back, every
 * event main sent before answering it has arrived.
 */
async function eventsFlushed(r: Running): Promise<void> {
  expect(await value(r, 'api.process.ping')).toBe('pong');
}

interface Match {
  channel: string;
  scriptId?: string;
  status?: string;
  text?: string;
  type?: string;
}

async function waitForEvent(r: Running, m: Match, timeout = 30_000): Promise<void> {
  await r.page.waitForFunction((m) => (window as any).__sm.events.some((e: any) =>
    e.channel === m.channel &&
    (m.scriptId === undefined || e.payload?.scriptId === m.scriptId) &&
    (m.status === undefined || e.payload?.status === m.status) &&
    (m.type === undefined || e.payload?.type === m.type) &&
    (m.text === undefined || String(e.payload?.text ?? '').includes(m.text))), m, { timeout });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until a killed process is no longer alive (polling /proc: there is no event to await). */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (processState(pid) === 'alive' && Date.now() < end) await sleep(20);
  return processState(pid) !== 'alive';
}

/** Linux process state: 'gone', 'zombie' (dead, not yet reaped) or 'alive'. */
function processState(pid: number): 'gone' | 'zombie' | 'alive' {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return /^State:\s+Z/m.test(status) ? 'zombie' : 'alive';
  } catch {
    return 'gone';
  }
}

function killStrays(): void {
  for (const pid of seenPids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  seenPids.clear();
}

async function closeAll(): Promise<void> {
  await Promise.all(launchedApps.splice(0).map((l) => l.close()));
  killStrays();
}

const TICKER = (name: string) => ({ name, command: 'node', args: ['-e', "let i=0;setInterval(()=>console.log('tick '+(i++)),100)"] });

describe('script-manager reference app', () => {
  afterEach(closeAll);

  it('runs a script through the bridge: log and status events, stop, persisted log; children stop on quit', async () => {
    const r = await start();
    expect(await value(r, 'api.process.ping')).toBe('pong');
    const script = await value(r, 'api.scripts.create', {
      name: 'greeter',
      command: 'node',
      args: ['-e', "console.log('hello from ' + process.env.GREETING); setInterval(() => {}, 1000)"],
      env: { GREETING: 'conform' },
    });
    expect(script).toMatchObject({ id: expect.any(String), name: 'greeter', command: 'node' });
    expect((await value(r, 'api.scripts.list')).map((s: any) => s.id)).toEqual([script.id]);

    await value(r, 'api.process.start', script.id);
    await waitForEvent(r, { channel: 'process:status:event', scriptId: script.id, status: 'running' });
    await waitForEvent(r, { channel: 'process:log:event', scriptId: script.id, text: 'hello from conform' });
    const running = await value(r, 'api.process.snapshot', script.id);
    expect(running).toMatchObject({ scriptId: script.id, status: 'running', pid: expect.any(Number) });
    expect(processState(running.pid)).toBe('alive');

    await value(r, 'api.process.stop', script.id);
    await waitForEvent(r, { channel: 'process:status:event', scriptId: script.id, status: 'stopped' });
    const statuses = (await events(r, 'process:status:event')).filter((e) => e.payload.scriptId === script.id).map((e) => e.payload.status);
    expect(statuses.slice(0, 2)).toEqual(['starting', 'running']);
    expect(statuses.slice(-2)).toEqual(['stopping', 'stopped']);
    expect(processState(running.pid)).not.toBe('alive');
    expect(await value(r, 'api.process.readLog', script.id)).toContain('hello from conform\n');

    // A script still running when the app quits is stopped with it.
    await value(r, 'api.process.start', script.id);
    const second = await value(r, 'api.process.snapshot', script.id);
    expect(processState(second.pid)).toBe('alive');
    seenPids.add(second.pid);
    await r.launched.close();
    expect(processState(second.pid)).not.toBe('alive');
  });

  it('restarts a crashing script with exponential backoff up to maxRetries, then reports it crashed', async () => {
    const r = await start();
    const script = await value(r, 'api.scripts.create', {
      name: 'crasher', command: 'node', args: ['-e', "console.error('boom'); process.exit(3)"],
      autoRestart: true, restartPolicy: 'on-failure', backoffMs: 50, maxRetries: 2,
    });
    await value(r, 'api.process.start', script.id);
    await waitForEvent(r, { channel: 'process:status:event', scriptId: script.id, status: 'crashed' });
    // Metrics updates repeat the current status; the transitions are what the policy decides.
    const snaps = (await events(r, 'process:status:event')).map((e) => e.payload)
      .filter((s, i, all) => i === 0 || s.status !== all[i - 1].status);
    expect(snaps.map((s) => s.status)).toEqual(['starting', 'running', 'backoff', 'starting', 'running', 'backoff', 'starting', 'running', 'crashed']);
    expect(snaps.filter((s) => s.status === 'backoff').map((s) => s.nextRestartDelayMs)).toEqual([50, 100]);
    expect(snaps.at(-1)).toMatchObject({ lastExitCode: 3, retries: 2 });
    expect(await value(r, 'api.process.readLog', script.id)).toBe('boom\n'.repeat(3));
  });

  it('kills the whole process tree, restarts, and runs profiles, settings, export/import', async () => {
    const r = await start();
    const tree = await value(r, 'api.scripts.create', { name: 'tree', command: 'sh', args: ['-c', 'sleep 30 & echo grandchild $!; wait'] });
    await value(r, 'api.process.start', tree.id);
    await waitForEvent(r, { channel: 'process:log:event', text: 'grandchild ' });
    const logText = (await events(r, 'process:log:event')).map((e) => e.payload.text).join('');
    const grandchild = Number(/grandchild (\d+)/.exec(logText)![1]);
    seenPids.add(grandchild);
    expect(processState(grandchild)).toBe('alive');
    await value(r, 'api.process.killTree', tree.id);
    expect(await goneWithin(grandchild, 10_000)).toBe(true);

    const ticker = await value(r, 'api.scripts.create', TICKER('ticker'));
    await value(r, 'api.process.start', ticker.id);
    const firstPid = (await value(r, 'api.process.snapshot', ticker.id)).pid;
    await value(r, 'api.process.restart', ticker.id);
    const restarted = await value(r, 'api.process.snapshot', ticker.id);
    expect(restarted.status).toBe('running');
    expect(restarted.pid).not.toBe(firstPid);

    const profile = await value(r, 'api.profiles.upsert', { id: 'dev', name: 'Dev', scriptIds: [ticker.id] });
    expect(profile).toEqual({ id: 'dev', name: 'Dev', scriptIds: [ticker.id] });
    await value(r, 'api.profiles.stopAll', 'dev');
    expect((await value(r, 'api.process.snapshot', ticker.id)).status).toBe('stopped');
    await value(r, 'api.profiles.startAll', 'dev');
    expect((await value(r, 'api.process.snapshot', ticker.id)).status).toBe('running');
    await value(r, 'api.profiles.stopAll', 'dev');
    const missing = await call(r, 'api.profiles.startAll', 'nope');
    expect(missing).toEqual({ ok: false, message: "Error invoking remote method 'profiles:startAll': Error: Profile not found: nope" });

    const settings = await value(r, 'api.settings.update', { theme: 'dark' });
    expect(settings).toMatchObject({ theme: 'dark', updateChannel: 'stable' });
    expect(await value(r, 'api.settings.get')).toEqual(settings);

    const exported = await value(r, 'api.data.export');
    expect(exported).toMatchObject({ schemaVersion: 1, profiles: [profile], settings });
    expect(exported.scripts.map((s: any) => s.name)).toEqual(['tree', 'ticker']);
    const replaced = await value(r, 'api.data.import', {
      mode: 'replace',
      data: { schemaVersion: 1, scripts: [{ id: 'only', name: 'only', command: 'true' }], profiles: [], settings: {} },
    });
    expect(replaced).toEqual({ schemaVersion: 1, scripts: [{ id: 'only', name: 'only', command: 'true' }], profiles: [], settings: {} });
    const merged = await value(r, 'api.data.import', { mode: 'merge', data: exported });
    expect(merged.scripts.map((s: any) => s.id)).toEqual(['only', tree.id, ticker.id]);
    expect(merged.settings).toEqual(settings);
  });

  it('checks and downloads an update from the msw-emulated feed, then quits to install it', async () => {
    const r = await start();
    expect(await value(r, 'api.updates.check')).toEqual({ ok: true });
    await waitForEvent(r, { channel: 'updates:event', type: 'available' });
    expect(await value(r, 'api.updates.download')).toEqual({ ok: true });
    const types = (await events(r, 'updates:event')).map((e) => e.payload.type);
    expect(types[0]).toBe('available');
    expect(types.at(-1)).toBe('downloaded');
    expect(types.slice(1, -1).length).toBeGreaterThan(1);
    expect(new Set(types.slice(1, -1))).toEqual(new Set(['progress']));
    const last = (await events(r, 'updates:event')).at(-1)!.payload;
    expect(last).toEqual({ type: 'downloaded', info: { version: '1.1.0' } });

    await value(r, 'api.settings.update', { updateChannel: 'lts' });
    await clearEvents(r);
    expect(await value(r, 'api.updates.check')).toEqual({ ok: true });
    await waitForEvent(r, { channel: 'updates:event', type: 'none' });

    await value(r, 'api.settings.update', { updateChannel: 'nightly' });
    const failed = await value(r, 'api.updates.check');
    expect(failed).toEqual({ ok: false, error: 'Update check failed: update feed answered HTTP 404 for channel "nightly"' });

    void call(r, 'api.updates.quitAndInstall').catch(() => undefined);
    expect(await Promise.race([r.exited.then(() => 'exited'), sleep(30_000).then(() => 'still running after 30 s')])).toBe('exited');
  });
});

// ---- faults ----------------------------------------------------------------------------------

interface FaultProbe {
  /** Runs the same calls against an app; returns what a contract check would look at. */
  probe: (r: Running) => Promise<unknown>;
  clean: (v: any) => void;
  faulty: (v: any) => void;
}

async function ensureChannel(r: Running, channel: string): Promise<void> {
  await value(r, 'api.settings.update', { updateChannel: channel });
  await clearEvents(r);
}

async function updateTypes(r: Running): Promise<string[]> {
  return (await events(r, 'updates:event')).map((e) => e.payload.type);
}

const probes: Record<string, FaultProbe> = {
  'sm-create-drops-id': {
    probe: async (r) => value(r, 'api.scripts.create', { name: 'probe', command: 'node' }),
    clean: (v) => expect(v).toEqual({ id: expect.any(String), name: 'probe', command: 'node' }),
    faulty: (v) => expect(v).toEqual({ name: 'probe', command: 'node' }),
  },
  'sm-list-returns-map': {
    probe: async (r) => {
      await value(r, 'api.scripts.create', { name: 'listed', command: 'node' });
      const list = await value(r, 'api.scripts.list');
      return { isArray: Array.isArray(list) };
    },
    clean: (v) => expect(v).toEqual({ isArray: true }),
    faulty: (v) => expect(v).toEqual({ isArray: false }),
  },
  'sm-snapshot-leaks-internals': {
    probe: async (r) => {
      const s = await value(r, 'api.scripts.create', { name: 'snap', command: 'node' });
      return Object.keys(await value(r, 'api.process.snapshot', s.id)).sort();
    },
    clean: (v) => expect(v).toEqual(['retries', 'scriptId', 'status']),
    faulty: (v) => expect(v).toEqual(['command', 'logFile', 'retries', 'scriptId', 'status']),
  },
  'sm-import-args-spread': {
    probe: async (r) => {
      const data = await value(r, 'api.data.export');
      const out = await call(r, 'api.data.import', { data, mode: 'merge' });
      return out.ok ? 'imported' : out.message;
    },
    clean: (v) => expect(v).toBe('imported'),
    faulty: (v) => expect(v).toBe("Error invoking remote method 'data:import': Error: Invalid import request: unknown field schemaVersion"),
  },
  'sm-profiles-delete-unregistered': {
    probe: async (r) => {
      await value(r, 'api.profiles.upsert', { id: 'gone', name: 'Gone', scriptIds: [] });
      return call(r, 'api.profiles.delete', 'gone');
    },
    clean: (v) => expect(v).toEqual({ ok: true }),
    faulty: (v) => expect(v).toEqual({ ok: false, message: "Error invoking remote method 'profiles:delete': Error: No handler registered for 'profiles:delete'" }),
  },
  'sm-debug-dump-channel': {
    probe: async (r) => {
      const out = await call(r, 'api.process.debugDump');
      return out.ok ? { keys: Object.keys(out.value).sort(), leaksEnv: 'PATH' in out.value.env } : out.message;
    },
    clean: (v) => expect(v).toBe('no bridge method window.api.process.debugDump'),
    faulty: (v) => expect(v).toEqual({ keys: ['env', 'runtimes', 'userData'], leaksEnv: true }),
  },
  'sm-generic-invoke': {
    // The pass-through reaches any main channel, even one the bridge does not offer on purpose.
    probe: async (r) => {
      const out = await call(r, 'api.invoke', 'scripts:list');
      return out.ok ? { reached: Array.isArray(out.value) } : out.message;
    },
    clean: (v) => expect(v).toBe('no bridge method window.api.invoke'),
    faulty: (v) => expect(v).toEqual({ reached: true }),
  },
  'sm-log-event-raw-buffer': {
    probe: async (r) => {
      const s = await value(r, 'api.scripts.create', { name: 'echo', command: 'node', args: ['-e', "console.log('hello-log')"] });
      await value(r, 'api.process.start', s.id);
      await waitForEvent(r, { channel: 'process:log:event', text: 'hello-log' });
      return (await events(r, 'process:log:event')).map((e) => e.payload.textType);
    },
    clean: (v) => expect(v).toEqual(['string']),
    faulty: (v) => expect(v).toEqual(['[object Uint8Array]']),
  },
  'sm-downloaded-before-progress': {
    probe: async (r) => {
      await ensureChannel(r, 'stable');
      await value(r, 'api.updates.check');
      await value(r, 'api.updates.download');
      const types = await updateTypes(r);
      return { downloadedAt: types.indexOf('downloaded'), lastProgressAt: types.lastIndexOf('progress') };
    },
    clean: (v) => expect(v.downloadedAt).toBeGreaterThan(v.lastProgressAt),
    faulty: (v) => expect(v.downloadedAt).toBeLessThan(v.lastProgressAt),
  },
  'sm-check-silent': {
    probe: async (r) => {
      await ensureChannel(r, 'stable');
      const result = await value(r, 'api.updates.check');
      await eventsFlushed(r);
      return { result, types: await updateTypes(r) };
    },
    clean: (v) => expect(v).toEqual({ result: { ok: true }, types: ['available'] }),
    faulty: (v) => expect(v).toEqual({ result: { ok: true }, types: [] }),
  },
  'sm-check-double-event': {
    probe: async (r) => {
      await ensureChannel(r, 'stable');
      await value(r, 'api.updates.check');
      await eventsFlushed(r);
      return updateTypes(r);
    },
    clean: (v) => expect(v).toEqual(['available']),
    faulty: (v) => expect(v).toEqual(['available', 'none']),
  },
  'sm-progress-after-downloaded': {
    probe: async (r) => {
      await ensureChannel(r, 'stable');
      await value(r, 'api.updates.check');
      const settledAt = await r.page.evaluate(async () => {
        await (window as any).api.updates.download();
        return performance.now();
      });
      // The faulty trailing progress goes out on main's timer PROGRESS_INTERVAL_MS (50 ms,
      // updater.js) after the last chunk. A main timer started now with a longer delay fires after
      // it (Node runs timers in deadline order, however loaded the machine), then the marker call
      // brings everything main sent before it to the renderer.
      await r.launched.app.evaluate(() => new Promise<void>((res) => setTimeout(res, 100)));
      await eventsFlushed(r);
      const all = await events(r, 'updates:event');
      const types = all.map((e) => e.payload.type);
      return { afterDownloaded: types.slice(types.indexOf('downloaded') + 1), afterSettled: all.filter((e) => e.at > settledAt).length };
    },
    clean: (v) => expect(v).toEqual({ afterDownloaded: [], afterSettled: 0 }),
    faulty: (v) => expect(v).toEqual({ afterDownloaded: ['progress'], afterSettled: 1 }),
  },
  'sm-check-rejects-on-feed-error': {
    probe: async (r) => {
      await ensureChannel(r, 'nightly');
      const out = await call(r, 'api.updates.check');
      await ensureChannel(r, 'stable');
      return out;
    },
    clean: (v) => expect(v).toEqual({ ok: true, value: { ok: false, error: 'Update check failed: update feed answered HTTP 404 for channel "nightly"' } }),
    faulty: (v) => expect(v).toEqual({ ok: false, message: "Error invoking remote method 'updates:check': Error: Update check failed: update feed answered HTTP 404 for channel \"nightly\"" }),
  },
  'sm-start-failure-as-union': {
    probe: async (r) => call(r, 'api.process.start', 'no-such-script'),
    clean: (v) => expect(v).toEqual({ ok: false, message: "Error invoking remote method 'process:start': Error: Script not found: no-such-script" }),
    faulty: (v) => expect(v).toEqual({ ok: true, value: { ok: false, error: 'Script not found: no-such-script' } }),
  },
  'sm-error-thrown-as-object': {
    probe: async (r) => call(r, 'api.process.stop', 'no-such-script'),
    clean: (v) => expect(v).toEqual({ ok: false, message: "Error invoking remote method 'process:stop': Error: Script not found: no-such-script" }),
    faulty: (v) => expect(v).toEqual({ ok: false, message: "Error invoking remote method 'process:stop': [object Object]" }),
  },
  'sm-upsert-crashes-main': {
    probe: async (r) => {
      const out = await call(r, 'api.scripts.upsert', { id: 'upserted', name: 'upserted', command: 'node' });
      // Electron (and the stand-in) report an uncaught exception in main on stderr; whether the
      // process then exits differs (Electron shows a dialog and goes on), so stderr is the probe.
      // The faulty bookkeeping runs on setImmediate after the handler; a marker main writes to the
      // same stderr from a later setImmediate comes after its report (writes to a pipe are
      // synchronous), so the report is complete once the marker is read.
      const marker = `conform-test-marker-${Date.now()}`;
      await r.launched.app.evaluate((_e, m) => new Promise<void>((res) => setImmediate(() => {
        process.stderr.write(`${m}\n`);
        res();
      })), marker);
      await expect.poll(() => r.stderr().includes(marker), { timeout: 30_000 }).toBe(true);
      return { upserted: out.ok, uncaughtTypeError: /TypeError: Cannot read properties of undefined \(reading 'forEach'\)/.test(r.stderr()) };
    },
    clean: (v) => expect(v).toEqual({ upserted: true, uncaughtTypeError: false }),
    faulty: (v) => expect(v).toEqual({ upserted: true, uncaughtTypeError: true }),
  },
  'sm-readlog-crash': {
    probe: async (r) => {
      const s = await value(r, 'api.scripts.create', { name: 'fresh', command: 'node' });
      return call(r, 'api.process.readLog', s.id);
    },
    clean: (v) => expect(v).toEqual({ ok: true, value: '' }),
    faulty: (v) => {
      expect(v.ok).toBe(false);
      expect(v.message).toMatch(/^Error invoking remote method 'process:readLog': Error: ENOENT: no such file or directory/);
    },
  },
  'sm-settings-get-hangs': {
    // No timer: settings:get does no I/O, so a clean one answers within main's task that received
    // it; two calls made one after the other after it are each handled in a later task, and their
    // answers come back in order, after its answer. Still pending after them means it hangs.
    probe: async (r) => r.page.evaluate(async () => {
      const api = (window as any).api;
      let state = 'pending after two later calls settled';
      void api.settings.get().then(() => (state = 'settled'));
      await api.process.ping();
      await api.process.ping();
      return state;
    }),
    clean: (v) => expect(v).toBe('settled'),
    faulty: (v) => expect(v).toBe('pending after two later calls settled'),
  },
  'sm-list-slow': {
    probe: async (r) => r.page.evaluate(async () => {
      const t = performance.now();
      await (window as any).api.scripts.list();
      return performance.now() - t;
    }),
    // The pack's budget for scripts:list is 500 ms.
    clean: (v) => expect(v).toBeLessThan(500),
    faulty: (v) => expect(v).toBeGreaterThanOrEqual(800),
  },
  'sm-bridge-snapshots-renamed': {
    probe: async (r) => r.page.evaluate(() => Object.keys((window as any).api.process).filter((k) => /snapshots/i.test(k))),
    clean: (v) => expect(v).toEqual(['snapshots']),
    faulty: (v) => expect(v).toEqual(['getSnapshots']),
  },
  'sm-stop-does-not-kill': {
    probe: async (r) => {
      const s = await value(r, 'api.scripts.create', TICKER('stopper'));
      await value(r, 'api.process.start', s.id);
      await waitForEvent(r, { channel: 'process:log:event', scriptId: s.id, text: 'tick 1' });
      const stoppedAt = await r.page.evaluate(async (id) => {
        await (window as any).api.process.stop(id);
        return performance.now();
      }, s.id);
      // No quiet window: a clean stop answers after the script exited and its output drained (its
      // "stopped" status comes before the answer); the faulty one leaves it ticking (every 100 ms),
      // so wait for whichever comes first: "stopped", or three ticks after the stop.
      await r.page.waitForFunction(({ id, after }) => (window as any).__sm.events.some((e: any) => e.channel === 'process:status:event' && e.payload?.scriptId === id && e.payload?.status === 'stopped')
        || (window as any).__sm.events.filter((e: any) => e.channel === 'process:log:event' && e.payload?.scriptId === id && e.at > after).length >= 3,
      { id: s.id, after: stoppedAt }, { timeout: 30_000 });
      await eventsFlushed(r);
      const logsAfter = (await events(r, 'process:log:event')).filter((e) => e.at > stoppedAt).length;
      const status = (await value(r, 'api.process.snapshot', s.id)).status;
      await value(r, 'api.process.killTree', s.id);
      return { status, logsAfterStop: logsAfter };
    },
    clean: (v) => expect(v).toEqual({ status: 'stopped', logsAfterStop: 0 }),
    faulty: (v) => {
      expect(v.status).toBe('stopping');
      expect(v.logsAfterStop).toBeGreaterThanOrEqual(3);
    },
  },
  'sm-window-sandbox-off': {
    probe: async (r) => r.launched.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => {
        // Undocumented in electron.d.ts but present in Electron (and the stand-in).
        const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences();
        return { sandbox: p?.sandbox, contextIsolation: p?.contextIsolation, nodeIntegration: p?.nodeIntegration };
      })),
    clean: (v) => expect(v).toEqual([{ sandbox: true, contextIsolation: true, nodeIntegration: false }]),
    faulty: (v) => expect(v).toEqual([{ sandbox: false, contextIsolation: true, nodeIntegration: false }]),
  },
  'sm-status-wrong-scriptid': {
    probe: async (r) => {
      const s = await value(r, 'api.scripts.create', { name: 'short-lived', command: 'node', args: ['-e', ''] });
      await value(r, 'api.process.start', s.id);
      await r.page.waitForFunction(() => (window as any).__sm.events.some((e: any) => e.payload?.status === 'exited'));
      const ids = new Set((await events(r, 'process:status:event')).map((e) => e.payload.scriptId));
      return [...ids].map((id) => (id === s.id ? '<the script id>' : id));
    },
    clean: (v) => expect(v).toEqual(['<the script id>']),
    faulty: (v) => expect(v).toEqual(['short-lived']),
  },
  'sm-killtree-leaves-grandchild': {
    probe: async (r) => {
      const s = await value(r, 'api.scripts.create', { name: 'tree', command: 'sh', args: ['-c', 'sleep 30 & echo grandchild $!; wait'] });
      await value(r, 'api.process.start', s.id);
      await waitForEvent(r, { channel: 'process:log:event', scriptId: s.id, text: 'grandchild ' });
      const text = (await events(r, 'process:log:event')).map((e) => e.payload.text).join('');
      const pid = Number(/grandchild (\d+)/.exec(text)![1]);
      seenPids.add(pid);
      await value(r, 'api.process.killTree', s.id);
      return (await goneWithin(pid, 3_000)) ? 'grandchild gone' : 'grandchild alive';
    },
    clean: (v) => expect(v).toBe('grandchild gone'),
    faulty: (v) => expect(v).toBe('grandchild alive'),
  },
};

describe('script-manager faults (examples/faults.json)', () => {
  const catalog = JSON.parse(readFileSync(FAULTS_FILE, 'utf8')) as Array<Record<string, string>>;
  const mine = catalog.filter((f) => f.app === 'script-manager');
  let clean: Running;

  beforeAll(async () => {
    clean = await start();
  });
  afterEach(async () => {
    // Close the faulty apps of the test; the shared clean app stays.
    const faulty = launchedApps.filter((l) => l !== clean?.launched);
    launchedApps.splice(0, launchedApps.length, ...launchedApps.filter((l) => l === clean?.launched));
    await Promise.all(faulty.map((l) => l.close()));
  });
  afterAll(closeAll);

  it('lists every fault the app implements, each with a known category, and a probe per fault', () => {
    expect(mine.map((f) => f.id).sort()).toEqual([...FAULT_IDS].sort());
    expect(mine.length).toBeGreaterThanOrEqual(12);
    for (const f of mine) {
      expect(Object.keys(f).sort(), f.id).toEqual(['app', 'category', 'channel', 'description', 'id']);
      expect(CATEGORIES, f.id).toContain(f.category);
    }
    expect(Object.keys(probes).sort()).toEqual([...FAULT_IDS].sort());
  });

  for (const id of FAULT_IDS) {
    it(`${id} changes the app's observable behaviour`, async () => {
      const p = probes[id]!;
      await clearEvents(clean);
      const before = await p.probe(clean);
      p.clean(before);
      const faulty = await start([id]);
      const after = await p.probe(faulty);
      p.faulty(after);
      expect(after).not.toEqual(before);
    });
  }
});
