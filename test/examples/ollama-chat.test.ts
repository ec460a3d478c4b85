// The ollama-chat reference app under the Electron stand-in (or real Electron when installed):
// one real flow through its bridge, and for every fault of examples/faults.json a comparison of
// the same call with and without the fault.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleApp, HANG_WATCH_MS, settle, settleThenCrashes, type Started } from './harness.ts';

const APP = fileURLToPath(new URL('../../examples/ollama-chat', import.meta.url));
const FAULTS = JSON.parse(readFileSync(new URL('../../examples/faults.json', import.meta.url), 'utf8')) as { id: string; app: string }[];

// OLLAMA_HOST empty: the app uses its in-process msw emulation of the Ollama API.
const app = exampleApp({ main: APP, env: { OLLAMA_HOST: '' }, ready: () => typeof (window as any).ollama === 'object' && typeof (window as any).utils === 'object' });
const { start, stop } = app;
afterAll(() => app.stopAll());

interface ChatRun {
  events: { type: 'token' | 'done' | 'error' | 'aborted'; payload: unknown }[];
}

/** When a chat has shown what it will show: a count of terminal events or tokens, or a token after chat-done. */
interface Until {
  terminals?: number;
  tokens?: number;
  tokenAfterDone?: boolean;
}

/**
 * Start a chat through window.ollama.streamPrompt inside the renderer and collect its events in
 * arrival order until `until` holds (by default: one terminal event), or until the app shows it by
 * other means (`until` as a function, e.g. a line on main's stderr). No quiet window: then a marker
 * call (session:getPath) goes through the same ordered IPC channel, so every event main sent before
 * answering it is in the result; an event main sends later than that is not waited for.
 */
async function chat(page: Page, model: string, prompt: string, opts: { stopAfterTokens?: number; until?: Until | (() => Promise<unknown>) } = {}): Promise<ChatRun> {
  await page.evaluate(
    ({ model, prompt, stopAfterTokens }) => {
      const o = (window as any).ollama;
      const events: ChatRun['events'] = [];
      const on = (type: ChatRun['events'][number]['type']) => (payload: unknown) => {
        events.push({ type, payload });
        if (type === 'token' && stopAfterTokens && events.filter((e) => e.type === 'token').length === stopAfterTokens) o.stop();
      };
      const unsubs = [o.onResponse(on('token')), o.onDone(on('done')), o.onError(on('error')), o.onAbort(on('aborted'))];
      (window as any).__chat = { events, unsubs };
      o.streamPrompt(model, prompt, []);
    },
    { model, prompt, stopAfterTokens: opts.stopAfterTokens ?? 0 },
  );
  const until = opts.until ?? { terminals: 1 };
  try {
    if (typeof until === 'function') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([until(), new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error('Timeout 30000ms exceeded')), 30_000)))])
        .finally(() => clearTimeout(timer));
    } else {
      await page.waitForFunction((u) => {
        const events: ChatRun['events'] = (window as any).__chat.events;
        const doneAt = events.findIndex((e) => e.type === 'done');
        return (u.terminals === undefined || events.filter((e) => e.type !== 'token').length >= u.terminals)
          && (u.tokens === undefined || events.filter((e) => e.type === 'token').length >= u.tokens)
          && (!u.tokenAfterDone || (doneAt >= 0 && events.slice(doneAt + 1).some((e) => e.type === 'token')));
      }, until, { timeout: 30_000 });
    }
  } catch (err) {
    const seen = await page.evaluate(() => (window as any).__chat.events.map((e: { type: string }) => e.type).join(' ')).catch(() => '?');
    throw new Error(`chat ${model}: ${JSON.stringify(typeof until === 'function' ? 'the awaited sign' : until)} not seen (${(err as Error).message.split('\n')[0]}); events: ${seen || 'none'}`);
  }
  return page.evaluate(async () => {
    const c = (window as any).__chat;
    await (window as any).ollama.getPath();
    for (const u of c.unsubs) u();
    return { events: c.events };
  });
}

/** Resolves when main writes `text` on its stderr (listening from now on). */
function stderrLine(s: Started, text: string): Promise<void> {
  const stderr = s.launched.app.process().stderr!;
  return new Promise((resolve) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (!seen.includes(text)) return;
      stderr.off('data', onData);
      resolve();
    };
    stderr.on('data', onData);
  });
}

const types = (r: ChatRun) => r.events.map((e) => e.type);
const terminals = (r: ChatRun) => r.events.filter((e) => e.type !== 'token');


describe('ollama-chat: real flows', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => stop(s));

  it('streams a chat: tokens, then exactly one chat-done carrying the whole answer', async () => {
    const run = await chat(s.page, 'llama3.2:1b', 'Why is the sky blue?');
    const t = types(run);
    expect(t.filter((x) => x === 'token').length).toBeGreaterThan(5);
    expect(t.at(-1)).toBe('done');
    expect(terminals(run)).toHaveLength(1);
    const text = run.events.filter((e) => e.type === 'token').map((e) => e.payload).join('');
    expect(text).toContain('Why is the sky blue?');
    expect((run.events.at(-1)!.payload as { content: string }).content).toBe(text);
  });

  it('reports a runner that dies mid-stream as chat-error after some tokens', async () => {
    const run = await chat(s.page, 'broken-runner:latest', 'hello');
    expect(types(run).at(-1)).toBe('error');
    expect(terminals(run)).toHaveLength(1);
    expect(types(run).filter((x) => x === 'token').length).toBeGreaterThan(2);
    expect(String(run.events.at(-1)!.payload)).toMatch(/runner process has terminated/);
  });

  it('ends a stream with chat-aborted when stopped', async () => {
    const run = await chat(s.page, 'llama3.2:1b', 'count to a hundred', { stopAfterTokens: 3 });
    expect(types(run).at(-1)).toBe('aborted');
    expect(terminals(run)).toHaveLength(1);
    expect(types(run).filter((x) => x === 'token').length).toBeLessThan(10);
  });

  it('lists, pulls with progress, runs and deletes a model through the emulated API', async () => {
    const r = await s.page.evaluate(async () => {
      const o = (window as any).ollama;
      const progress: any[] = [];
      const off = o.onPullProgress((p: unknown) => progress.push(p));
      const before = (await o.listModels()).map((m: any) => m.name);
      const pulled = await o.pullModel('conform-fixture:latest');
      off();
      const afterPull = (await o.listModels()).map((m: any) => m.name);
      const ran = await o.runModel('conform-fixture:latest');
      const deleted = await o.deleteModel('conform-fixture:latest');
      const afterDelete = (await o.listModels()).map((m: any) => m.name);
      const missing = await o.runModel('conform-fixture:latest').then(() => 'resolved', (e: Error) => e.message);
      const badPull = await o.pullModel('no-such-model:7b').then(() => 'resolved', (e: Error) => e.message);
      return { before, pulled, afterPull, ran, deleted, afterDelete, progress, missing, badPull };
    });
    expect(r.before).not.toContain('conform-fixture:latest');
    expect(r.afterPull).toContain('conform-fixture:latest');
    expect(r.pulled).toEqual({ model: 'conform-fixture:latest', status: 'success' });
    expect(r.progress[0].status).toBe('pulling manifest');
    expect(r.progress.at(-1).status).toBe('success');
    expect(r.progress.some((p: any) => p.percent === 100)).toBe(true);
    expect(r.ran.capabilities).toContain('tools');
    expect(r.afterDelete).not.toContain('conform-fixture:latest');
    expect(r.missing).toMatch(/Error invoking remote method 'ollama:run'.*not found/);
    expect(r.badPull).toMatch(/file does not exist/);
  });

  it('keeps sessions on disk and guards utils:saveFile to userData', async () => {
    const r = await s.page.evaluate(async () => {
      const o = (window as any).ollama;
      const u = (window as any).utils;
      const sessions = [{ id: 's1', title: 'Test', messages: [{ role: 'user', content: 'hi' }] }];
      await o.save(sessions);
      const loaded = await o.load();
      const userData = await u.getPath();
      const sessionDir = await o.getPath();
      const saved = await u.saveFile('notes/a.txt', 'hello');
      const attempt = (p: string) => u.saveFile(p, 'x').then(() => 'written', (e: Error) => e.message);
      return {
        loaded, userData, sessionDir, saved,
        traversal: await attempt('../escape.txt'),
        deepTraversal: await attempt('notes/../../escape.txt'),
        absolute: await attempt('/tmp/conform-escape.txt'),
      };
    });
    expect(r.loaded).toEqual([{ id: 's1', title: 'Test', messages: [{ role: 'user', content: 'hi' }] }]);
    expect(r.sessionDir.startsWith(r.userData)).toBe(true);
    expect(r.saved).toBe(join(r.userData, 'notes', 'a.txt'));
    expect(readFileSync(r.saved, 'utf8')).toBe('hello');
    for (const msg of [r.traversal, r.deepTraversal, r.absolute]) expect(msg).toMatch(/Refusing to write outside the user data folder/);
  });

  it('opens only http(s) URLs externally', async () => {
    const r = await s.page.evaluate(async () => {
      const u = (window as any).utils;
      const ok = await u.web_open('https://ollama.com/library');
      const bad = await u.web_open('file:///etc/passwd').then(() => 'opened', (e: Error) => e.message);
      return { ok, bad };
    });
    expect(r.ok).toBe(true);
    expect(r.bad).toMatch(/Refusing to open file: URL/);
    if (s.launched.runtime.kind === 'standin') {
      const opened = await s.launched.app.evaluate((electron: any) => electron.__standin.sideEffects.openExternal);
      expect(opened).toEqual(['https://ollama.com/library']);
    }
  });

  it('reads assets placed under userData/assets and rejects unknown ids', async () => {
    const userData = await s.page.evaluate(() => (window as any).utils.getPath());
    const id = '0b6f3f5e-8a53-4d0c-9c1e-6a7f4f1d2b3c';
    mkdirSync(join(userData, 'assets'), { recursive: true });
    writeFileSync(join(userData, 'assets', `${id}.bin`), 'asset-bytes');
    writeFileSync(join(userData, 'assets', `${id}.json`), JSON.stringify({ id, name: 'a.txt', mimeType: 'text/plain', size: 11, createdAt: '2026-01-01T00:00:00.000Z' }));
    const r = await s.page.evaluate(async (id) => {
      const u = (window as any).utils;
      const list = await u.listAssets();
      const asset = await u.getAsset(id);
      const removed = await u.rmAsset(id);
      const after = await u.listAssets();
      const unknown = await u.getAsset('11111111-2222-4333-8444-555555555555').then(() => 'resolved', (e: Error) => e.message);
      return { list, asset, removed, after, unknown };
    }, id);
    expect(r.list.map((a: any) => a.id)).toEqual([id]);
    expect(Buffer.from(r.asset.data, 'base64').toString()).toBe('asset-bytes');
    expect(r.removed).toBe(true);
    expect(r.after).toEqual([]);
    expect(r.unknown).toMatch(/Asset not found/);
  });

  it('global.d.ts declares what the app really returns (the types `conform mock --types` answers from)', async () => {
    const { loadTypeHints } = await import('../../mocks/type-hints.ts');
    const hints = (await loadTypeHints(`${APP}/preload.js`, [`${APP}/global.d.ts`]))!;
    const session = { id: 's-1', title: 'Hello', model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }], updatedAt: '2026-01-01T00:00:00.000Z' };
    const answers = await s.page.evaluate(async (session) => {
      const o = (window as any).ollama;
      const u = (window as any).utils;
      await o.save([session]);
      return {
        'ollama:list': await o.listModels(),
        'ollama:available': await o.isAvailable(),
        'ollama:run': await o.runModel('llama3.2:1b'),
        'sessions:load': await o.load(),
        'session:getPath': await o.getPath(),
        'ollama:get-tool-models': await o.getToolSupportingModels(),
        'utils:getPath': await u.getPath(),
        'utils:is-first-launch': await u.isFirstLaunch(),
        'utils:get-hardware-performance-warning': await u.getWarning('7b'),
      };
    }, session);
    for (const [channel, value] of Object.entries(answers)) {
      const v = hints.schemas.validate(hints.byName.get(channel)!.returns!, value);
      expect(v.valid, `${channel}: ${JSON.stringify(v.issues[0])}`).toBe(true);
    }
  }, 60_000);
});

describe('ollama-chat: every fault changes observable behaviour', () => {
  let clean: Started;
  beforeAll(async () => {
    clean = await start();
  });
  afterAll(async () => stop(clean));

  const { withFault } = app;

  it('the catalog lists exactly the faults the app implements', async () => {
    const { FAULT_IDS } = createRequire(import.meta.url)('../../examples/ollama-chat/faults.js') as { FAULT_IDS: string[] };
    const catalog = FAULTS.filter((f) => f.app === 'ollama-chat').map((f) => f.id);
    expect(catalog.length).toBeGreaterThanOrEqual(10);
    expect([...catalog].sort()).toEqual([...FAULT_IDS].sort());
  });

  it('oc-chat-done-twice: a second chat-done follows the first', async () => {
    const without = await chat(clean.page, 'llama3.2:1b', 'hi');
    const withIt = await withFault('oc-chat-done-twice', (s) => chat(s.page, 'llama3.2:1b', 'hi', { until: { terminals: 2 } }));
    expect(terminals(without).map((e) => e.type)).toEqual(['done']);
    expect(terminals(withIt).map((e) => e.type)).toEqual(['done', 'done']);
  });

  it('oc-chat-done-missing: a successful chat never ends', async () => {
    const without = await chat(clean.page, 'llama3.2:1b', 'hi');
    // The faulty stream is over once it sent as many tokens as the clean one (the emulated answer
    // has the same length); the clean app sends chat-done right after its last token.
    const tokens = types(without).filter((t) => t === 'token').length;
    const withIt = await withFault('oc-chat-done-missing', (s) => chat(s.page, 'llama3.2:1b', 'hi', { until: { tokens } }));
    expect(types(without).at(-1)).toBe('done');
    expect(types(withIt).length).toBeGreaterThan(5);
    expect(terminals(withIt)).toEqual([]);
  });

  it('oc-chat-error-swallowed: a failing chat sends no chat-error', async () => {
    const without = await chat(clean.page, 'no-such-model', 'hi');
    // The faulty app only logs the failure on main's stderr: that line is the sign the chat is over.
    const withIt = await withFault('oc-chat-error-swallowed', (s) => {
      const logged = stderrLine(s, 'chat failed:');
      return chat(s.page, 'no-such-model', 'hi', { until: () => logged });
    });
    expect(types(without)).toEqual(['error']);
    expect(String(without.events[0].payload)).toMatch(/not found/);
    expect(withIt.events).toEqual([]);
  });

  it('oc-chat-done-overtakes-token: tokens arrive after chat-done', async () => {
    const without = await chat(clean.page, 'llama3.2:1b', 'hi');
    const withIt = await withFault('oc-chat-done-overtakes-token', (s) => chat(s.page, 'llama3.2:1b', 'hi', { until: { tokenAfterDone: true } }));
    expect(types(without).at(-1)).toBe('done');
    const doneAt = types(withIt).indexOf('done');
    expect(doneAt).toBeGreaterThan(0);
    expect(types(withIt).slice(doneAt + 1)).toContain('token');
  });

  it('oc-stop-ignored: stop does not end the stream and no chat-aborted comes', async () => {
    const without = await chat(clean.page, 'llama3.2:1b', 'hi', { stopAfterTokens: 3 });
    const withIt = await withFault('oc-stop-ignored', (s) => chat(s.page, 'llama3.2:1b', 'hi', { stopAfterTokens: 3 }));
    expect(types(without).at(-1)).toBe('aborted');
    expect(types(withIt)).not.toContain('aborted');
    expect(types(withIt).at(-1)).toBe('done');
    expect(types(withIt).filter((t) => t === 'token').length).toBeGreaterThan(types(without).filter((t) => t === 'token').length);
  });

  it('oc-delete-args-swapped: deleteModel(name) reaches main with the name in the wrong place', async () => {
    const call = "window.ollama.deleteModel('qwen2.5-coder:0.5b')";
    const without = await settle(clean.page, call);
    const withIt = await withFault('oc-delete-args-swapped', (s) => settle(s.page, call));
    expect(without).toEqual({ ok: true, value: { deleted: 'qwen2.5-coder:0.5b' } });
    expect(withIt.ok).toBe(false);
    expect(withIt.error).toMatch(/name must be a non-empty string/);
  });

  it('oc-stream-args-object: streamPrompt arguments arrive as one object', async () => {
    const without = await chat(clean.page, 'llama3.2:1b', 'hi');
    const withIt = await withFault('oc-stream-args-object', (s) => chat(s.page, 'llama3.2:1b', 'hi'));
    expect(types(without).at(-1)).toBe('done');
    expect(types(withIt)).toEqual(['error']);
    expect(String(withIt.events[0].payload)).toMatch(/model must be a non-empty string/);
  });

  it('oc-fetch-tool-models-unregistered: the invoke finds no handler', async () => {
    const call = 'window.ollama.fetchToolSupportingModels()';
    const without = await settle(clean.page, call);
    const withIt = await withFault('oc-fetch-tool-models-unregistered', (s) => settle(s.page, call));
    expect(without.ok).toBe(true);
    expect(without.value).toEqual(expect.arrayContaining(['llama3.2:1b']));
    expect(withIt.ok).toBe(false);
    expect(withIt.error).toMatch(/No handler registered for 'ollama:fetch-tool-models'/);
  });

  it('oc-debug-state-channel: an undocumented channel answers through an extra bridge method', async () => {
    const call = "typeof window.ollama.debugState === 'function' ? window.ollama.debugState() : 'absent'";
    const without = await settle(clean.page, call);
    const withIt = await withFault('oc-debug-state-channel', (s) => settle(s.page, call));
    expect(without.value).toBe('absent');
    expect(withIt.value).toMatchObject({ history: [], streaming: false });
  });

  it('oc-available-renamed: window.ollama.isAvailable is gone', async () => {
    const call = "typeof window.ollama.isAvailable === 'function' ? window.ollama.isAvailable() : 'absent'";
    const without = await settle(clean.page, call);
    const withIt = await withFault('oc-available-renamed', (s) => settle(s.page, call));
    expect(without.value).toBe(true);
    expect(withIt.value).toBe('absent');
  });

  it('oc-context-isolation-off: the window runs without context isolation', async () => {
    // The window posture as the instrumentation hook records it from the BrowserWindow options.
    const prefs = (s: Started) =>
      s.launched.app.evaluate(() => {
        const w = (globalThis as any).__conform.windows()[0];
        return { contextIsolation: w.effective.contextIsolation, sandbox: w.effective.sandbox };
      });
    const without = await withFault('', prefs, true);
    const withIt = await withFault('oc-context-isolation-off', prefs, true);
    expect(without).toEqual({ contextIsolation: true, sandbox: true });
    expect(withIt).toEqual({ contextIsolation: false, sandbox: true });
  });

  it('oc-reset-hang: resetChat never settles', async () => {
    const without = await settle(clean.page, 'window.ollama.resetChat()');
    // A hang is an absence: the faulty call is watched for a short, fixed time (it never settles).
    const withIt = await withFault('oc-reset-hang', (s) => settle(s.page, 'window.ollama.resetChat()', HANG_WATCH_MS));
    expect(without).toEqual({ ok: true });
    expect(withIt).toEqual({ pending: true });
  });

  it('oc-sessions-load-crash: loading sessions leaves an unhandled rejection in main', async () => {
    // Observed through Conform's instrumentation hook, as `conform run` sees it.
    // The clean handler awaits its whole migration before it answers; the faulty one leaves it running.
    const loadAndWatch = (crashExpected: boolean) => async (s: Started) => {
      const { settled: loaded, crashes } = await settleThenCrashes(s, 'window.ollama.load()', crashExpected);
      return { loaded, crashes };
    };
    const without = await withFault('', loadAndWatch(false), true);
    const withIt = await withFault('oc-sessions-load-crash', loadAndWatch(true), true);
    expect(without).toEqual({ loaded: { ok: true, value: [] }, crashes: [] });
    expect(withIt.loaded).toEqual({ ok: true, value: [] });
    // One per sessions:load (the page loads its sessions at start-up too).
    expect(withIt.crashes.length).toBeGreaterThanOrEqual(1);
    for (const c of withIt.crashes) expect(c.error.message).toMatch(/ENOENT.*sessions-v1\.json/);
  });

  it('oc-tool-models-uncached: the cached tool-model list takes longer than its 1000 ms budget', async () => {
    const timed = `(async () => { const t0 = performance.now(); const list = await window.ollama.getToolSupportingModels(); return { ms: performance.now() - t0, list }; })()`;
    const without = await settle(clean.page, timed);
    // The uncached list is paced by the emulated server (one /api/show per model): settle's bound
    // (SETTLE_MS) only guards against a hang, wide because a loaded 2-core machine stretches that pace.
    const withIt = await withFault('oc-tool-models-uncached', (s) => settle(s.page, timed));
    expect(without.ok).toBe(true);
    expect(without.value.ms).toBeLessThan(500);
    expect(withIt.ok, JSON.stringify(withIt)).toBe(true);
    expect(withIt.value.ms).toBeGreaterThan(1000);
    expect(withIt.value.list).toEqual(expect.arrayContaining(['llama3.2:1b']));
  });

  it('oc-savefile-startswith: a <userData>/.. path passes the guard and is written outside userData', async () => {
    // Read back what landed on disk before the app (and its temp folder) goes away.
    const attempt = async (s: Started) => {
      const r = await settle(s.page, `(async () => {
        const root = await window.utils.getPath();
        const where = await window.utils.saveFile(root + '/../escaped.txt', 'x');
        return { root, where };
      })()`);
      const written = r.ok ? resolve(r.value.where) : null;
      return { ...r, written, content: written ? readFileSync(written, 'utf8') : null };
    };
    const without = await attempt(clean);
    const withIt = await withFault('oc-savefile-startswith', attempt);
    expect(without.ok).toBe(false);
    expect(without.error).toMatch(/Refusing to write outside the user data folder/);
    expect(withIt.ok).toBe(true);
    expect(withIt.written!.startsWith(withIt.value.root + '/')).toBe(false);
    expect(withIt.content).toBe('x');
  });

  it('oc-getpath-returns-object: utils.getPath resolves to an object', async () => {
    const without = await settle(clean.page, 'window.utils.getPath()');
    const withIt = await withFault('oc-getpath-returns-object', (s) => settle(s.page, 'window.utils.getPath()'));
    expect(typeof without.value).toBe('string');
    expect(withIt.value).toEqual({ path: expect.any(String) });
  });
});
