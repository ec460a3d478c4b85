// `conform mock --browser` with the app's own preload, served over HTTP: a renderer whose preload
// builds a bridge unlike the pack's paths renders and calls through; absolute asset paths load;
// the bridge is in the top frame only; navigation away is blocked; the served endpoints need the
// page's token and refuse other Origins; a second browser that opens the printed URL gets a working
// bridge over HTTP + Server-Sent Events. One Chromium for all of it.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMock, type BrowserMock } from '../../mocks/browser.ts';
import type { MockEngine } from '../../mocks/engine.ts';
import { createEngine } from '../../mocks/host.ts';

const APP = fileURLToPath(new URL('./fixtures/own-preload', import.meta.url));
const PRELOAD = `${APP}/preload.js`;

describe('conform mock --browser --preload (served over HTTP)', () => {
  let mock: BrowserMock | undefined;
  let engine: MockEngine;
  const logs: string[] = [];
  const logWaiters: { re: RegExp; resolve: () => void }[] = [];
  const log = (line: string) => {
    logs.push(line);
    for (const w of logWaiters) if (w.re.test(line)) w.resolve();
  };
  const logged = (re: RegExp) => (logs.some((l) => re.test(l)) ? Promise.resolve() : new Promise<void>((resolve) => logWaiters.push({ re, resolve })));
  let servedAt: string | undefined;

  beforeAll(async () => {
    engine = (await createEngine({ pack: 'script-manager', seed: 3, speed: 0 })).engine;
    mock = await startBrowserMock(engine, { renderer: APP, preload: PRELOAD, log, onServing: (url) => (servedAt = url) });
    await mock.page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await mock?.close();
  });

  it('the renderer sees the bridge its preload builds, renders the list and calls through to the mock', async () => {
    const page = mock!.page;
    expect(servedAt).toBe(mock!.url);
    expect(mock!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await page.evaluate(() => ({ rendered: (window as any).rendered, items: document.querySelectorAll('#scripts li').length, api: typeof (window as any).api, platform: (window as any).sm.platform, css: getComputedStyle(document.body).fontFamily }));
    expect(r.api).toBe('undefined'); // the pack's bridge paths are not there: only the preload's
    expect(r.items).toBe(r.rendered.count);
    expect(r.items).toBeGreaterThan(0);
    expect(r.platform).toBe('linux');
    expect(r.css).toContain('sans-serif'); // /assets/style.css (absolute path) was served
    const seen = engine.calls.filter((c) => c.kind !== 'listen').map((c) => `${c.channel} ${c.issues.length}`);
    expect(seen).toEqual(expect.arrayContaining(['process:ping 0', 'scripts:list 0']));
    // An event reaches the preload's ipcRenderer.on listener; the registration was reported.
    await page.evaluate(() => {
      (window as any).statuses = [];
      (window as any).sm.onStatus((p: unknown) => (window as any).statuses.push(p));
    });
    engine.emit('process:status:event', { scriptId: 'a1', status: 'running' });
    await mock!.idle();
    expect(await page.evaluate(() => (window as any).statuses)).toEqual([{ scriptId: 'a1', status: 'running' }]);
    expect(engine.calls.some((c) => c.kind === 'listen' && c.channel === 'process:status:event')).toBe(true);
  });

  it('the bridge is in the top frame only, and navigation away from the renderer is blocked', async () => {
    const page = mock!.page;
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await frame.evaluate(() => typeof (window as any).sm)).toBe('undefined');
    await page.evaluate(() => {
      location.href = 'http://example.invalid/phish';
    });
    await logged(/blocked navigation away from the renderer to http:\/\/example\.invalid\/phish/);
    expect(page.url()).toBe(mock!.url);
    expect(await page.evaluate(() => typeof (window as any).sm.ping)).toBe('function');
  });

  it('the served endpoints need the page token and refuse other Origins', async () => {
    const html = await (await fetch(mock!.url)).text();
    const token = /"x-conform-token": "([0-9a-f]+)"/.exec(html)?.[1];
    expect(token).toBeDefined();
    const body = JSON.stringify({ op: 'invoke', channel: 'process:ping', args: [] });
    const post = (headers: Record<string, string>) => fetch(`${mock!.url}__conform/host`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-conform-token': 'f'.repeat(48) })).status).toBe(401);
    expect((await post({ 'x-conform-token': token!, origin: 'http://evil.example' })).status).toBe(403);
    const ok = await post({ 'x-conform-token': token!, origin: new URL(mock!.url).origin });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { ok: boolean }).ok).toBe(true);
    expect((await fetch(`${mock!.url}__conform/events`)).status).toBe(401);
    // DNS rebinding: a page of another host name that resolves to 127.0.0.1 gets nothing.
    const port = new URL(mock!.url).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ get }) => get({ host: '127.0.0.1', port, path: '/', headers: { host: `attacker.example:${port}` } }, (res) => resolve(res.statusCode!)).on('error', reject));
    });
    expect(rebound).toBe(403);
  });

  it('another browser opening the printed URL gets a working bridge over HTTP and Server-Sent Events', async () => {
    // A second context has no Conform binding: it uses what the served page carries.
    const context = await mock!.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(mock!.url);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 30_000 });
      expect(await page.evaluate(() => typeof (window as any).__conformHost)).toBe('undefined');
      await page.evaluate(() => {
        (window as any).statuses = [];
        (window as any).sm.onStatus((p: unknown) => (window as any).statuses.push(p));
      });
      await page.waitForFunction(() => (window as any).__conformEvents?.readyState === 1);
      engine.emit('process:status:event', { scriptId: 'b2', status: 'stopped' });
      await page.waitForFunction(() => (window as any).statuses.length > 0, undefined, { timeout: 10_000 });
      expect(await page.evaluate(() => (window as any).statuses)).toEqual([{ scriptId: 'b2', status: 'stopped' }]);
    } finally {
      await context.close();
    }
  });
});
