// The example Tauri frontend (examples/tauri-completion-ui, bundled with @tauri-apps/api) against
// the browser mock of tauri-completion + clawdesk: a completion streams through a real
// @tauri-apps/api Channel (ordered, closed at the end), sessions are listed/created/deleted
// consistently, and global events reach `listen` handlers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMock, type BrowserMock } from '../../mocks/browser.ts';
import { createEngine } from '../../mocks/host.ts';
import type { MockEngine } from '../../mocks/engine.ts';

const UI = fileURLToPath(new URL('../../examples/tauri-completion-ui', import.meta.url));

describe('examples/tauri-completion-ui against the mock (--browser)', () => {
  let mock: BrowserMock | undefined;
  let engines: MockEngine[];
  beforeAll(async () => {
    const built = spawnSync(process.execPath, [`${UI}/build.mjs`], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    engines = [(await createEngine({ pack: 'tauri-completion', seed: 9, speed: 1 })).engine, (await createEngine({ pack: 'clawdesk', seed: 9, speed: 1 })).engine];
    mock = await startBrowserMock(engines, { renderer: UI });
    await mock.page.waitForFunction(() => (window as any).completionUi);
  }, 60_000);
  afterAll(async () => {
    await mock?.close();
  });

  it('streams a completion through a Channel: ordered messages, then the channel closes', async () => {
    const page = mock!.page;
    await page.click('#stream');
    await page.waitForFunction(() => /^done/.test(document.getElementById('stream-status')!.textContent!), undefined, { timeout: 10_000 });
    const r = await page.evaluate(() => {
      const ui = (window as any).completionUi;
      return { count: ui.state.messages.length, lines: document.getElementById('output')!.textContent!.trim().split('\n').length, open: (window as any).__TAURI_INTERNALS__.callbacks.has(ui.state.channelId) };
    });
    expect(r.count).toBeGreaterThan(0);
    expect(r.lines).toBe(r.count);
    expect(r.open).toBe(false); // @tauri-apps/api unregisters the Channel's callback at the end message
    const call = engines[0]!.calls.find((c) => c.channel === 'generate_completion_stream')!;
    expect(call.issues).toEqual([]);
    expect((call.args as Record<string, unknown>).apiKey).toBe('[REDACTED]'); // x-secret never kept in the call log
    expect((call.args as Record<string, unknown>).onEvent).toMatch(/^__CHANNEL__:\d+$/);
  });

  it('lists, creates and deletes sessions consistently', async () => {
    const page = mock!.page;
    const before = (await page.evaluate(() => (window as any).completionUi.refreshSessions())) as { id: string }[];
    await page.click('#new-session');
    await page.waitForFunction((n) => document.querySelectorAll('#sessions li').length === n + 1, before.length);
    const after = (await page.evaluate(() => (window as any).completionUi.state.sessions)) as { id: string; channelId: string }[];
    const created = after.find((s) => !before.some((b) => b.id === s.id))!;
    expect(created.channelId).toBe('desktop');
    const idx = after.indexOf(created);
    await page.locator('#sessions li').nth(idx).locator('button').click();
    await page.waitForFunction((n) => document.querySelectorAll('#sessions li').length === n, before.length);
    const final = (await page.evaluate(() => (window as any).completionUi.state.sessions)) as { id: string }[];
    expect(final.map((s) => s.id)).toEqual(before.map((s) => s.id));
  });

  it('global events reach listen() handlers registered through @tauri-apps/api', async () => {
    engines[1]!.emit('stream-chunk');
    engines[1]!.emit('stream-end');
    await mock!.idle();
    const events = (await mock!.page.evaluate(() => (window as any).completionUi.state.events)) as { event: string; payload: unknown }[];
    expect(events.map((e) => e.event)).toEqual(['stream-chunk', 'stream-end']);
    const pack = engines[1]!.pack;
    for (const e of events) expect(pack.schemas.validate(pack.byName.get(e.event)!.payload!, e.payload).valid).toBe(true);
    expect(engines[1]!.calls.filter((c) => c.kind === 'listen').map((c) => c.channel).sort()).toEqual(['stream-chunk', 'stream-end', 'stream-error', 'stream-start']);
  });
});
