// A Tauri frontend's startup under `conform mock --browser`, built with Vite (absolute /assets/
// paths) and served from its dist folder: the official plugins it calls first (store, fs, os,
// path) answer from memory, a command its pack lacks is named in a warning (stderr and the page's
// console) and answered by a scenario's `extra:`, and `ctl emit` sends an undeclared event with a
// warning. One Chromium for all of it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleMessage } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMock, type BrowserMock } from '../../mocks/browser.ts';
import { controlCommand } from '../../mocks/control.ts';
import type { MockEngine } from '../../mocks/engine.ts';
import { createEngine } from '../../mocks/host.ts';
import { resolveScenario } from '../../mocks/scenario.ts';

const APP = fileURLToPath(new URL('./fixtures/tauri-startup', import.meta.url));

describe('a Tauri frontend built with Vite, served from dist (--browser)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'conform-tauri-startup-'));
  const dist = join(tmp, 'dist');
  let mock: BrowserMock | undefined;
  let engine: MockEngine;
  const logs: string[] = [];
  const consoleLines: ConsoleMessage[] = [];
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    await build({ root: APP, configFile: false, logLevel: 'silent', build: { outDir: dist, emptyOutDir: true } });
    engine = (await createEngine({ pack: 'clawdesk', seed: 2, speed: 0, scenario: join(APP, 'scenario.yaml') }, (l) => logs.push(l))).engine;
    mock = await startBrowserMock(engine, {
      renderer: dist,
      log: (l) => logs.push(l),
      onPage: (page) => {
        page.on('console', (m) => consoleLines.push(m));
        page.on('pageerror', (e) => pageErrors.push(e));
      },
    });
  }, 120_000);
  afterAll(async () => {
    await mock?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the build uses absolute asset paths, and the page gets past "Loading..." with plugins answered in memory', async () => {
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toMatch(/src="\/assets\/[^"]+\.js"/);
    const page = mock!.page;
    await page.waitForFunction(() => document.getElementById('status')!.textContent !== 'Loading...', undefined, { timeout: 30_000 });
    expect(await page.textContent('#status')).toBe('Ready');
    const s = (await page.evaluate(() => (window as any).startup)) as Record<string, unknown>;
    expect(s).toMatchObject({ theme: 'dark', last: 'today', notes: 'hello from the mock', platform: 'linux', profile: { name: 'Ada Lovelace' } });
    expect(s.dir).toBe('/home/user/.local/share/com.example.clawdesk');
    expect(s.sessions).toBeGreaterThan(0);
    expect(await page.locator('#sessions li').count()).toBe(s.sessions);
    expect(pageErrors).toEqual([]);
  });

  it('a command the pack lacks is named in a warning, on stderr and in the page console; a scenario answered it', async () => {
    expect(logs.filter((l) => l.includes('get_user_profile'))).toEqual(['conform mock: "get_user_profile" is not in pack clawdesk; answered by scenario with-profile (extra:)']);
    expect(consoleLines.filter((m) => m.type() === 'warning').map((m) => m.text())).toContain('conform mock: "get_user_profile" is not in pack clawdesk; answered by scenario with-profile (extra:)');
    // Plugin calls are Tauri's own API, not the app's contract: consumer verification does not judge them.
    expect(engine.calls.some((c) => c.channel.startsWith('plugin:'))).toBe(false);
    expect(engine.calls.find((c) => c.channel === 'get_user_profile')?.kind).toBe('unknown');
  });

  it('without the scenario the missing command fails as Tauri does and the page still renders', async () => {
    engine.setScenario(resolveScenario('default', engine.pack));
    const page = mock!.page;
    await page.reload();
    await page.waitForFunction(() => document.getElementById('status')!.textContent === 'Ready', undefined, { timeout: 30_000 });
    expect(await page.textContent('#profile')).toBe('(no profile: Command get_user_profile not found)');
    expect(pageErrors).toEqual([]);
  });

  it('ctl emit sends an event the pack does not declare, with a warning', async () => {
    const page = mock!.page;
    await page.evaluate(() => {
      const t = (window as any).__TAURI_INTERNALS__;
      return t.invoke('plugin:event|listen', { event: 'user-updated', target: { kind: 'Any' }, handler: t.transformCallback((e: { payload: unknown }) => ((window as any).got = e.payload)) });
    });
    const answer = controlCommand(engine, '/emit', { event: 'user-updated', payload: { name: 'Grace' } }) as { warning?: string };
    expect(answer.warning).toBe('conform mock: "user-updated" is not an event of pack clawdesk; sent anyway');
    await mock!.idle();
    expect(await page.evaluate(() => (window as any).got)).toEqual({ name: 'Grace' });
  });
});
