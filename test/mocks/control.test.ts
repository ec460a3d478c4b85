// The control endpoint and scenarios while the app runs (Electron mock on the stand-in), the
// `conform mock` / `conform mock ctl` CLI, and consumer verification (`--verify`) of a renderer
// that breaks the contract.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ctl } from '../../cli/mock.ts';
import { runCli, startElectronMock, type ElectronMock } from './helpers.ts';

const BAD_CALLS = fileURLToPath(new URL('./fixtures/bad-calls.html', import.meta.url));
const BLANK = fileURLToPath(new URL('./fixtures/blank.html', import.meta.url));

describe('control endpoint of a running Electron mock', () => {
  let mock: ElectronMock;
  let url: string;
  let token: string;
  beforeAll(async () => {
    mock = await startElectronMock({ pack: 'script-manager', seed: 21, speed: 0 });
    ({ url } = (await mock.launched.app.evaluate(() => (globalThis as any).__conformMock.control)) as { url: string });
    token = mock.controlToken!;
  }, 120_000);
  afterAll(async () => {
    await mock?.close();
  });

  it("never holds the token in the mock's main process (only its hash): nothing there can read it", async () => {
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    const seen = await mock.launched.app.evaluate(() => {
      const fs = process.getBuiltinModule ? process.getBuiltinModule('fs') : require('fs');
      const arg = process.argv.find((a) => a.startsWith('--conform-mock-config='));
      return JSON.stringify({ mock: (globalThis as any).__conformMock?.control, env: process.env, argv: process.argv, config: arg ? fs.readFileSync(arg.split('=')[1], 'utf8') : '' });
    });
    expect(seen).toContain('controlTokenSha256');
    expect(seen).not.toContain(token);
  });

  it('listens on loopback only and refuses requests without the right token', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect((await fetch(`${url}/status`)).status).toBe(401);
    expect((await fetch(`${url}/status`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      console.log('skipped the non-loopback connection check: this machine has no non-loopback IPv4 interface');
      return;
    }
    const port = new URL(url).port;
    await expect(fetch(`http://${external.address}:${port}/status`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow();
  });

  it('injects faults in the documented error shapes, then clears them', async () => {
    await ctl(url, token, 'fault', ['scripts:list', 'error', 'disk full']);
    await ctl(url, token, 'fault', ['updates:check', 'error', 'feed offline']);
    await ctl(url, token, 'fault', ['process:ping', 'latency', '150']);
    const r = await mock.page.evaluate(async () => {
      const api = (window as any).api;
      const list = await api.scripts.list().then(() => 'resolved', (e: Error) => e.message);
      const update = await api.updates.check();
      const t0 = performance.now();
      await api.process.ping();
      return { list, update, pingMs: performance.now() - t0 };
    });
    expect(r.list).toBe("Error invoking remote method 'scripts:list': Error: disk full");
    expect(r.update.ok).toBe(false);
    expect(JSON.stringify(r.update)).toContain('feed offline');
    expect(r.pingMs).toBeGreaterThanOrEqual(140);
    await ctl(url, token, 'clear', []);
    const after = await mock.page.evaluate(() => (window as any).api.scripts.list().then((v: unknown) => Array.isArray(v)));
    expect(after).toBe(true);
  });

  it('switches scenarios and emits events while the app runs; bad commands get clear errors', async () => {
    await ctl(url, token, 'scenario', ['errors']);
    expect(((await ctl(url, token, 'status', [])) as { scenario: string }).scenario).toBe('errors');
    const failed = await mock.page.evaluate(() => (window as any).api.settings.get().then(() => 'resolved', (e: Error) => e.message));
    expect(failed).toMatch(/^Error invoking remote method 'settings:get': Error: conform mock: scenario "errors"/);
    await ctl(url, token, 'scenario', ['default']);
    await mock.page.evaluate(() => {
      (window as any).__status = [];
      (window as any).api.process.onStatus((s: unknown) => (window as any).__status.push(s));
    });
    await ctl(url, token, 'emit', ['process:status:event', JSON.stringify({ scriptId: 'abc', status: 'running', pid: 42 })]);
    await ctl(url, token, 'emit', ['process:status:event']);
    const got = (await mock.page.waitForFunction(() => ((window as any).__status.length >= 2 ? (window as any).__status : false)).then((h) => h.jsonValue())) as { scriptId: string }[];
    expect(got[0]).toEqual({ scriptId: 'abc', status: 'running', pid: 42 });
    expect(typeof got[1]!.scriptId).toBe('string');
    await expect(ctl(url, token, 'emit', ['process:status:event', JSON.stringify({ pid: -1 })])).rejects.toThrow(/breaks its schema/);
    await expect(ctl(url, token, 'fault', ['no:such', 'error', 'x'])).rejects.toThrow(/does not have/);
    await expect(ctl(url, token, 'scenario', ['nope'])).rejects.toThrow(/unknown scenario "nope"/);
  });
});

describe('conform mock CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conform-mock-cli-test-'));
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGINT');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the control URL and (not on a terminal) the token file; `conform mock ctl --token-file` drives it; Ctrl-C stops it', async () => {
    let control: RegExpExecArray | null = null;
    let ctlDone: Promise<{ code: number | null; stdout: string; stderr: string }> | undefined;
    const run = runCli(['mock', 'script-manager', '--renderer', BLANK], (out, child) => {
      if (control) return;
      control = /control (http:\/\/127\.0\.0\.1:\d+) token-file (\S+)/.exec(out);
      if (!control) return;
      const [, u, f] = control;
      ctlDone = (async () => {
        expect(statSync(f!).mode & 0o777).toBe(0o600);
        const ok = await runCli(['mock', 'ctl', u!, 'status', '--token-file', f!]).done;
        const bad = await runCli(['mock', 'ctl', u!, 'status'], undefined, undefined, { CONFORM_MOCK_TOKEN: 'not-the-token' }).done;
        child.kill('SIGINT');
        return { code: ok.code, stdout: ok.stdout, stderr: `${bad.code} ${bad.stderr}` };
      })();
    });
    children.push(run.child);
    const result = await run.done;
    expect(control, result.stderr).not.toBeNull();
    const c = await ctlDone!;
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ pack: 'script-manager', scenario: 'default' });
    expect(c.stderr).toMatch(/^2 conform: mock ctl status: missing or wrong token/);
    // Ctrl-C: the mock closes the app and exits 0, or Playwright's own SIGINT handler gets there first and exits 130.
    expect([0, 130]).toContain(result.code);
  }, 120_000);

  it('--verify flags calls the contract does not allow and writes a report (exit 1)', async () => {
    const out = join(dir, 'verify');
    let quitting = false;
    const run = runCli(['mock', 'script-manager', '--renderer', BAD_CALLS, '--verify', '--out', out, '--reporter', 'json,md,junit'], (text) => {
      const c = /control (http:\/\/127\.0\.0\.1:\d+) token-file (\S+)/.exec(text);
      if (!c || quitting) return;
      const m = [c[0], c[1], readFileSync(c[2]!, 'utf8').trim()];
      quitting = true;
      void (async () => {
        // Wait until the page made its four calls (the listener registration is a send), then stop
        // the mock: however long that takes on a loaded machine (the test's timeout bounds it).
        for (;;) {
          const { calls } = (await ctl(m[1]!, m[2]!, 'calls', [])) as { calls: unknown[] };
          if (calls.length >= 4) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await ctl(m[1]!, m[2]!, 'quit', []);
      })();
    });
    children.push(run.child);
    const result = await run.done;
    expect(existsSync(join(out, 'conform-report.json')), result.stderr).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'conform-report.json'), 'utf8')) as { summary: { failed: number; passed: number }; checks: { id: string; channel: string; status: string; message: string }[] };
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} ${c.channel}`).sort();
    expect(failed).toEqual(['consumer.channel-known scripts:nuke', 'consumer.listener-known ghost:event', 'consumer.params scripts:delete']);
    expect(report.checks.find((c) => c.channel === 'scripts:list')?.status).toBe('passed');
    expect(existsSync(join(out, 'conform-junit.xml'))).toBe(true);
    expect(readFileSync(join(out, 'conform-report.md'), 'utf8')).toContain('scripts:nuke');
    expect(result.code).toBe(1);
  }, 120_000);

  it('a broken cassette is a one-paragraph error naming file:line, exit 2', async () => {
    const file = join(dir, 'broken.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '{"conform":"cassette","version":1,"app":"x","startedAt":"now"}\n{"seq":1,"t":1,"type":"invoke","channel":"scripts:list","args":[],"durationMs":1}\n{"seq":2,"t":2,"type":"nope","channel":"x","args":[]}\n');
    const bad = await runCli(['mock', 'script-manager', '--cassette', file]).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`conform: ${file}:3: bad entry: /type must be equal to one of the allowed values (invoke, send, event)`);
    writeFileSync(file, '{"conform":"cassette","version":1,"app":"x","startedAt":"now"}\n{"seq":1,"t":1,"type":"invoke","chan');
    const cut = await runCli(['mock', 'script-manager', '--cassette', file]).done;
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: the last line is truncated`));
    expect(cut.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
