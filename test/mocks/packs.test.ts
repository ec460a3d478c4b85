// Every seed pack can be mocked and every one of its channels answers schema-valid values through
// the bridge: Electron packs through the generated preload in the stand-in, Tauri packs through
// __TAURI_INTERNALS__ in browser mode.
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadPack } from '../../specs/loader.ts';
import type { Pack } from '../../specs/model.ts';
import { startBrowserMock, type BrowserMock } from '../../mocks/browser.ts';
import { createEngine } from '../../mocks/host.ts';
import { BLANK_PAGE, callPlans, startElectronMock, type CallPlan, type ElectronMock } from './helpers.ts';

type CallResult = { channel: string; ok: boolean; value?: unknown; error?: string };

/** Runs the plans inside the renderer (one page.evaluate), through bridge methods or __conformMock. */
function runElectronPlans(page: Page, plans: CallPlan[]): Promise<CallResult[]> {
  return page.evaluate(async (plans) => {
    const w = window as unknown as Record<string, unknown> & { __conformMock: { invoke: Function; send: Function } };
    const at = (bridge: string) => bridge.replace(/^window\./, '').split('.').reduce<any>((o, k) => o?.[k], w);
    const call = async (channel: string, bridge: string | null, kind: string, args: unknown) => {
      const list = Array.isArray(args) ? args : [args];
      if (bridge) {
        const fn = at(bridge);
        if (typeof fn !== 'function') throw new Error(`no bridge method at ${bridge}`);
        return await fn(...list);
      }
      return kind === 'send' ? w.__conformMock.send(channel, ...list) : await w.__conformMock.invoke(channel, ...list);
    };
    const out: { channel: string; ok: boolean; value?: unknown; error?: string }[] = [];
    for (const p of plans) {
      try {
        const bound: Record<string, unknown> = {};
        for (const pre of p.prereqs) {
          const r = await call(pre.channel, pre.bridge, 'invoke', pre.args);
          if (pre.as) bound[pre.as] = r;
        }
        const args = structuredClone(p.args) as any;
        for (const [param, ref] of Object.entries(p.fixtures)) {
          const [as, ...path] = ref.split('.');
          const v = path.reduce<any>((o, k) => o?.[k], bound[as!]);
          if (Array.isArray(args)) args[p.fixtureIndex[param]!] = v;
          else args[param] = v;
        }
        out.push({ channel: p.channel, ok: true, value: await call(p.channel, p.bridge, p.kind, args) });
      } catch (e) {
        out.push({ channel: p.channel, ok: false, error: String((e as Error)?.message ?? e) });
      }
    }
    return out;
  }, plans);
}

function expectValidAnswers(pack: Pack, results: CallResult[]): void {
  const plans = pack.channels.filter((c) => c.kind !== 'event');
  expect(results.map((r) => r.channel)).toEqual(plans.map((c) => c.name));
  for (const r of results) {
    const ch = pack.byName.get(r.channel)!;
    expect(r.error, `${pack.name} ${r.channel}`).toBeUndefined();
    expect(r.ok).toBe(true);
    if (ch.kind === 'send' || ch.returnsVoid) expect(r.value ?? undefined, r.channel).toBeUndefined();
    else if (ch.returns) {
      const v = pack.schemas.validate(ch.returns, r.value);
      expect(v.issues, `${pack.name} ${r.channel} answer ${JSON.stringify(r.value)?.slice(0, 200)}`).toEqual([]);
    }
  }
}

describe.each(['ollama-desktop', 'script-manager', 'cosmosh'])('Electron mock of %s (stand-in, generated preload)', (name) => {
  let mock: ElectronMock | undefined;
  afterAll(async () => {
    await mock?.close();
  });

  it('answers every invoke/send channel through its bridge with schema-valid values and delivers every event', async () => {
    const pack = await loadPack(name);
    mock = await startElectronMock({ pack: name, seed: 11, speed: 0 });
    const results = await runElectronPlans(mock.page, callPlans(pack));
    expectValidAnswers(pack, results);

    // Events: subscribe through the bridge's on… methods (each returns an unsubscribe), then push each from main.
    const events = pack.channels.filter((c) => c.kind === 'event');
    const subscribed = await mock.page.evaluate((evs) => {
      const w = window as any;
      w.__got = [];
      return evs.map((e) => {
        const fn = e.bridge ? e.bridge.replace(/^window\./, '').split('.').reduce((o: any, k: string) => o?.[k], w) : (cb: Function) => w.__conformMock.on(e.name, cb);
        const unsubscribe = fn((payload: unknown) => w.__got.push({ channel: e.name, payload }));
        return typeof unsubscribe;
      });
    }, events.map((e) => ({ name: e.name, bridge: e.bridge })));
    expect(subscribed).toEqual(events.map(() => 'function'));
    await mock.launched.app.evaluate((_electron, names) => {
      for (const n of names) (globalThis as any).__conformMock.engine.emit(n);
    }, events.map((e) => e.name));
    const got = (await mock.page.waitForFunction((n) => {
      const g = (window as any).__got as { channel: string }[];
      const seen = new Set(g.map((x) => x.channel));
      return seen.size >= n ? g : false;
    }, events.length, { timeout: 10_000 }).then((h) => h.jsonValue())) as { channel: string; payload: unknown }[];
    for (const e of events) {
      const first = got.find((g) => g.channel === e.name);
      expect(first, e.name).toBeDefined();
      if (e.payload) expect(pack.schemas.validate(e.payload, first!.payload).issues, e.name).toEqual([]);
    }
  }, 120_000);
});

describe.each(['tauri-completion', 'clawdesk'])('browser mock of Tauri pack %s (__TAURI_INTERNALS__)', (name) => {
  let mock: BrowserMock | undefined;
  afterAll(async () => {
    await mock?.close();
  });

  it('answers every command, streams Channel messages and delivers every event', async () => {
    const { pack, engine } = await createEngine({ pack: name, seed: 5, speed: 0 });
    mock = await startBrowserMock(engine, { renderer: BLANK_PAGE });
    const plans = callPlans(pack).map((p) => ({ ...p, channelParam: pack.byName.get(p.channel)!.channelParam ?? null }));
    const results = (await mock.page.evaluate(async (plans) => {
      const T = (window as any).__TAURI_INTERNALS__;
      const out: any[] = [];
      for (const p of plans) {
        try {
          const bound: Record<string, unknown> = {};
          for (const pre of p.prereqs) {
            const r = await T.invoke(pre.channel, pre.args);
            if (pre.as) bound[pre.as] = r;
          }
          const args = structuredClone(p.args) as any;
          for (const [param, ref] of Object.entries(p.fixtures)) {
            const [as, ...path] = ref.split('.');
            args[param] = path.reduce<any>((o, k) => o?.[k], bound[as!]);
          }
          let messages: unknown[] | undefined;
          let ended: Promise<void> | undefined;
          if (p.channelParam) {
            messages = [];
            ended = new Promise<void>((resolve) => {
              const id = T.transformCallback((raw: any) => {
                if ('end' in raw) resolve();
                else messages!.push(raw);
              });
              args[p.channelParam!] = `__CHANNEL__:${id}`;
            });
          }
          const value = await T.invoke(p.channel, args);
          if (ended) await ended;
          out.push({ channel: p.channel, ok: true, value, messages });
        } catch (e) {
          out.push({ channel: p.channel, ok: false, error: String(e) });
        }
      }
      return out;
    }, plans)) as (CallResult & { messages?: { index: number; message: unknown }[] })[];
    // Tauri resolves void commands with null.
    expectValidAnswers(pack, results.map((r) => ({ ...r, value: r.value === null && pack.byName.get(r.channel)!.returnsVoid ? undefined : r.value })));
    for (const r of results.filter((x) => x.messages)) {
      const ch = pack.byName.get(r.channel)!;
      expect(r.messages!.length, r.channel).toBeGreaterThan(0);
      expect(r.messages!.map((m) => m.index)).toEqual(r.messages!.map((_m, i) => i));
      for (const m of r.messages!) expect(pack.schemas.validate(ch.payload!, m.message).valid).toBe(true);
    }

    const events = pack.channels.filter((c) => c.kind === 'event').map((c) => c.name);
    await mock.page.evaluate(async (evs) => {
      const T = (window as any).__TAURI_INTERNALS__;
      (window as any).__got = [];
      for (const e of evs) await T.invoke('plugin:event|listen', { event: e, target: { kind: 'Any' }, handler: T.transformCallback((d: unknown) => (window as any).__got.push(d)) });
    }, events);
    for (const e of events) engine.emit(e);
    await mock.idle();
    const got = (await mock.page.evaluate(() => (window as any).__got)) as { event: string; id: number; payload: unknown }[];
    expect(got.map((g) => g.event)).toEqual(events);
    for (const g of got) {
      const ch = pack.byName.get(g.event)!;
      expect(typeof g.id).toBe('number');
      if (ch.payload) expect(pack.schemas.validate(ch.payload, g.payload).issues, g.event).toEqual([]);
    }
  }, 120_000);
});

describe('browser mock of an Electron pack (--browser: ipcRenderer shim, no Electron)', () => {
  let mock: BrowserMock | undefined;
  afterAll(async () => {
    await mock?.close();
  });

  it('script-manager: every channel answers through the injected bridge; errors keep Electron\'s message format', async () => {
    const { pack, engine } = await createEngine({ pack: 'script-manager', seed: 13, speed: 0 });
    mock = await startBrowserMock(engine, { renderer: BLANK_PAGE });
    expectValidAnswers(pack, await runElectronPlans(mock.page, callPlans(pack)));
    engine.setFault('scripts:list', { error: 'disk full' });
    const message = await mock.page.evaluate(() => (window as any).api.scripts.list().then(() => 'resolved', (e: Error) => e.message));
    expect(message).toBe("Error invoking remote method 'scripts:list': Error: disk full");
    const unknown = await mock.page.evaluate(() => (window as any).__conformMock.invoke('scripts:nuke').then(() => 'resolved', (e: Error) => e.message));
    expect(unknown).toBe("Error invoking remote method 'scripts:nuke': Error: No handler registered for 'scripts:nuke'");
    // Events pushed by the engine reach the bridge's on… subscribers.
    await mock.page.evaluate(() => {
      (window as any).__logs = [];
      (window as any).api.process.onLog((chunk: unknown) => (window as any).__logs.push(chunk));
    });
    engine.emit('process:log:event');
    await mock.idle();
    const logs = (await mock.page.evaluate(() => (window as any).__logs)) as unknown[];
    expect(logs).toHaveLength(1);
    expect(pack.schemas.validate(pack.byName.get('process:log:event')!.payload!, logs[0]).valid).toBe(true);
  }, 120_000);
});
