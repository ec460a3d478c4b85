// The Vite plugin: `vite dev` serves examples/tauri-completion-ui (from source, no bundle step)
// with the mock bridge injected; calls go over the dev server's HTTP endpoint, Channel messages
// and events come back over Server-Sent Events.
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS } from '../../mocks/browser.ts';
import { conformMock } from '../../mocks/vite-plugin.ts';
import { findChromium } from '../../runner/runtime.ts';

const UI = fileURLToPath(new URL('../../examples/tauri-completion-ui', import.meta.url));

describe('conformMock() Vite plugin', () => {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let url: string;
  beforeAll(async () => {
    server = await createServer({
      root: UI,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
      plugins: [conformMock({ pack: ['tauri-completion', 'clawdesk'], seed: 4, speed: 0 })],
    });
    await server.listen();
    const address = server.httpServer!.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the renderer with the bridge: Channel streaming and sessions work against the mock', async () => {
    const page = await browser!.newPage();
    await page.goto(`${url}/dev.html`);
    await page.waitForFunction(() => (window as any).completionUi, undefined, { timeout: 30_000 });
    await page.click('#stream');
    await page.waitForFunction(() => /^done/.test(document.getElementById('stream-status')!.textContent!), undefined, { timeout: 15_000 });
    const count = await page.evaluate(() => (window as any).completionUi.state.messages.length);
    expect(count).toBeGreaterThan(0);
    const before = (await page.evaluate(() => (window as any).completionUi.refreshSessions())) as unknown[];
    await page.click('#new-session');
    await page.waitForFunction((n) => document.querySelectorAll('#sessions li').length === n + 1, before.length);
    const failing = await page.evaluate(() => (window as any).__TAURI_INTERNALS__.invoke('no_such_command').then(() => 'resolved', (e: unknown) => e));
    expect(failing).toBe('Command no_such_command not found');
  }, 60_000);

  it('its endpoints need the token the plugin put into the page and refuse other Origins', async () => {
    const html = await (await fetch(`${url}/dev.html`)).text();
    const token = /"x-conform-token": "([0-9a-f]+)"/.exec(html)?.[1];
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    const body = JSON.stringify({ op: 'invoke', channel: 'list_sessions', args: {} });
    // A cross-site page can send a text/plain POST without a CORS preflight: it must get nothing.
    const post = (headers: Record<string, string>) => fetch(`${url}/__conform/host`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body });
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'http://evil.example', 'x-conform-token': token! })).status).toBe(403);
    expect((await post({})).status).toBe(401);
    const ok = await post({ origin: url, 'x-conform-token': token! });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { ok: boolean }).ok).toBe(true);
    const events = await fetch(`${url}/__conform/events`);
    expect(events.status).toBe(401);
  });

  it("runs an Electron app's own preload in the page (preload option), like --browser --preload", async () => {
    const app = fileURLToPath(new URL('./fixtures/own-preload', import.meta.url));
    const own = await createServer({
      root: app,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
      plugins: [conformMock({ pack: 'script-manager', preload: `${app}/preload.js`, seed: 4, speed: 0 })],
    });
    try {
      await own.listen();
      const page = await browser!.newPage();
      await page.goto(`http://127.0.0.1:${(own.httpServer!.address() as { port: number }).port}/`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 30_000 });
      const r = await page.evaluate(() => ({ api: typeof (window as any).api, items: document.querySelectorAll('#scripts li').length, rendered: (window as any).rendered }));
      expect(r.api).toBe('undefined');
      expect(r.items).toBe(r.rendered.count);
      expect(r.items).toBeGreaterThan(0);
      await page.close();
    } finally {
      await own.close();
    }
  }, 60_000);
});
