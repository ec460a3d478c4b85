// The mock engine without any transport: answer order (scenario > cassette > collection >
// generated), error shapes per contract, stateful collections, synthesized streams, faults.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadPack } from '../../specs/loader.ts';
import { compileGrammar } from '../../specs/grammar.ts';
import { parseCassette } from '../../mocks/cassette.ts';
import { MAX_REPLAY_DELAY_MS, MockEngine, type EngineSink } from '../../mocks/engine.ts';
import { createEngine } from '../../mocks/host.ts';
import { parseScenario, resolveScenario } from '../../mocks/scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'conform-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collectingSink() {
  const events: { channel: string; args: unknown[] }[] = [];
  const messages: { id: number; message: { index: number; message?: unknown; end?: true } }[] = [];
  const sink: EngineSink = { event: (channel, args) => events.push({ channel, args }), channelMessage: (id, message) => messages.push({ id, message }) };
  return { sink, events, messages };
}

describe('stateful collections', () => {
  it('script-manager: created scripts are listed, upserts replace, deleted ones are gone, deleting twice fails', async () => {
    const { engine, pack } = await createEngine({ pack: 'script-manager', seed: 4, speed: 0 });
    const list = async () => ((await engine.call('scripts:list', [])) as { value: { id: string; name: string }[] }).value;
    const before = await list();
    const created = (await engine.call('scripts:create', [{ name: 'build', command: 'npm', args: ['run', 'build'] }])) as { ok: true; value: { id: string; name: string; command: string } };
    expect(created.ok).toBe(true);
    expect(created.value).toMatchObject({ name: 'build', command: 'npm' });
    expect(pack.schemas.validate(pack.byName.get('scripts:create')!.returns!, created.value).valid).toBe(true);
    const afterCreate = await list();
    expect(afterCreate.map((s) => s.id)).toEqual([...before.map((s) => s.id), created.value.id]);
    const upserted = (await engine.call('scripts:upsert', [{ ...created.value, name: 'build:prod' }])) as { value: { id: string; name: string } };
    expect(upserted.value).toMatchObject({ id: created.value.id, name: 'build:prod' });
    expect((await list()).find((s) => s.id === created.value.id)?.name).toBe('build:prod');
    expect(await engine.call('scripts:delete', [created.value.id])).toEqual({ ok: true, value: undefined });
    expect((await list()).some((s) => s.id === created.value.id)).toBe(false);
    const again = await engine.call('scripts:delete', [created.value.id]);
    expect(again).toEqual({ ok: false, error: `Error: scripts ${created.value.id} not found` });
  });

  it('clawdesk (Tauri, named args): get finds what create made; get after delete is a Tauri string error', async () => {
    const { engine } = await createEngine({ pack: 'clawdesk', seed: 2, speed: 0 });
    const s = (await engine.call('create_session', { channelId: 'desktop' })) as { value: { id: string; channelId: string } };
    expect(s.value.channelId).toBe('desktop');
    expect(await engine.call('get_session', { sessionId: s.value.id })).toEqual({ ok: true, value: s.value });
    const listed = (await engine.call('list_sessions', {})) as { value: { id: string }[] };
    expect(listed.value.map((x) => x.id)).toContain(s.value.id);
    await engine.call('delete_session', { sessionId: s.value.id });
    expect(await engine.call('get_session', { sessionId: s.value.id })).toEqual({ ok: false, error: `sessions ${s.value.id} not found` });
  });

  it('the packs declare the collections the mock keeps', async () => {
    expect((await loadPack('script-manager')).collections.map((c) => c.name)).toEqual(['scripts', 'profiles']);
    expect((await loadPack('clawdesk')).collections.map((c) => c.name)).toEqual(['sessions']);
  });
});

describe('answers and error shapes', () => {
  it('generated answers are deterministic for a seed and differ across seeds', async () => {
    const a = (await createEngine({ pack: 'ollama-desktop', seed: 1 })).engine;
    const b = (await createEngine({ pack: 'ollama-desktop', seed: 1 })).engine;
    const c = (await createEngine({ pack: 'ollama-desktop', seed: 2 })).engine;
    const [x, y, z] = await Promise.all([a.call('ollama:list', []), b.call('ollama:list', []), c.call('ollama:list', [])]);
    expect(x).toEqual(y);
    expect(x).not.toEqual(z);
  });

  it('errors come in each channel\'s documented shape', async () => {
    const sm = (await createEngine({ pack: 'script-manager', seed: 1 })).engine;
    sm.setFault('scripts:list', { error: 'disk full' });
    expect(await sm.call('scripts:list', [])).toEqual({ ok: false, error: 'Error: disk full' });
    // result-union: resolves with the failure branch, discriminator { ok: false }, message set.
    sm.setFault('updates:check', { error: 'feed offline' });
    const union = (await sm.call('updates:check', [])) as { ok: true; value: Record<string, unknown> };
    expect(union.ok).toBe(true);
    expect(union.value.ok).toBe(false);
    expect(sm.pack.schemas.validate((sm.pack.byName.get('updates:check')!.errors as unknown as { error: never }).error, union.value).valid).toBe(true);
    expect(JSON.stringify(union.value)).toContain('feed offline');
    const tauri = (await createEngine({ pack: 'tauri-completion', seed: 1 })).engine;
    tauri.setFault('load_model_presets', { error: 'no presets file' });
    expect(await tauri.call('load_model_presets', {})).toEqual({ ok: false, error: 'no presets file' });
  });

  it('latency faults delay the answer; a fixed result must match the return schema', async () => {
    const { engine } = await createEngine({ pack: 'script-manager', seed: 1 });
    engine.setFault('process:ping', { latencyMs: 120 });
    const t0 = performance.now();
    await engine.call('process:ping', []);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    expect(() => engine.setFault('scripts:list', { result: 'not an array' })).toThrow(/breaks its return schema/);
    engine.setFault('scripts:list', { result: [] });
    expect(await engine.call('scripts:list', [])).toEqual({ ok: true, value: [] });
    expect(engine.calls.at(-1)!.source).toBe('scenario');
    engine.clearFaults();
    await engine.call('scripts:list', []);
    expect(engine.calls.at(-1)!.source).toBe('collection');
  });
});

describe('synthesized streams', () => {
  it('chat stream events satisfy the ordering grammar; faults end it in error or abort', async () => {
    const { engine, pack } = await createEngine({ pack: 'ollama-desktop', seed: 3, speed: 0 });
    const stream = pack.streams.find((s) => s.name === 'chat')!;
    const g = compileGrammar(stream.grammar!);
    const { sink, events } = collectingSink();
    engine.attach(sink);
    const run = async (ending?: 'error' | 'abort') => {
      events.length = 0;
      if (ending) engine.setFault('ollama:chat-stream', { stream: ending });
      else engine.clearFaults();
      engine.send('ollama:chat-stream', ['llama3', 'hi', [], undefined]);
      // Wait for the terminal event; then the engine has no stream left running, so nothing of this
      // run can come later.
      await vi.waitFor(() => expect(events.length > 0 && g.isTerminal(events.at(-1)!.channel)).toBe(true), { timeout: 10_000 });
      expect(engine.streamsRunning).toBe(0);
      return events.map((e) => e.channel);
    };
    const normal = await run();
    expect(g.accepts(normal)).toBe(true);
    expect(normal.at(-1)).toBe('ollama:chat-done');
    for (const e of events) expect(pack.schemas.validate(pack.byName.get(e.channel)!.payload!, e.args[0]).valid).toBe(true);
    const failed = await run('error');
    expect(g.accepts(failed)).toBe(true);
    expect(failed.at(-1)).toBe('ollama:chat-error');
    const aborted = await run('abort');
    expect(aborted.at(-1)).toBe('ollama:chat-aborted');
  });

  it('variant streams (variantField): the grammar runs over payload variants of one event channel', async () => {
    const { engine, pack } = await createEngine({ pack: 'script-manager', seed: 6, speed: 0 });
    const stream = pack.streams.find((s) => s.start === 'updates:download')!;
    expect(stream.variantField).toBeDefined();
    const g = compileGrammar(stream.grammar!);
    const { sink, events } = collectingSink();
    engine.attach(sink);
    const run = async () => {
      events.length = 0;
      await engine.call('updates:download', []);
      // A call-settles stream: the call resolves after its last event, and nothing stays running.
      expect(engine.streamsRunning).toBe(0);
      expect(new Set(events.map((e) => e.channel))).toEqual(new Set(stream.events));
      for (const e of events) expect(pack.schemas.validate(pack.byName.get(e.channel)!.payload!, e.args[0]).valid).toBe(true);
      return events.map((e) => String((e.args[0] as Record<string, unknown>)[stream.variantField!]));
    };
    const normal = await run();
    expect(g.accepts(normal), normal.join(' ')).toBe(true);
    expect(normal.at(-1)).not.toBe('error');
    engine.setFault('updates:download', { stream: 'error' });
    const failed = await run();
    expect(g.accepts(failed), failed.join(' ')).toBe(true);
    expect(failed.at(-1)).toBe('error');
  });

  it('the abort call stops a running stream with its terminal event', async () => {
    const { engine } = await createEngine({ pack: 'ollama-desktop', seed: 3, speed: 1 });
    const events: { channel: string }[] = [];
    // Awaited events instead of fixed sleeps: the stream is planned before its first event, which takes a while on a loaded machine.
    let twoTokens!: () => void;
    const started = new Promise<void>((r) => (twoTokens = r));
    let aborted!: () => void;
    const ended = new Promise<void>((r) => (aborted = r));
    engine.attach({
      event: (channel) => {
        events.push({ channel });
        if (events.length === 2) twoTokens();
        if (channel === 'ollama:chat-aborted') aborted();
      },
    });
    engine.setFault('ollama:chat-stream', { events: Array.from({ length: 20 }, (_v, i) => ({ event: 'ollama:chat-token', delayMs: 20 * (i + 1) })) });
    engine.send('ollama:chat-stream', ['llama3', 'hi', []]);
    await started;
    engine.send('ollama:stop', []);
    await ended;
    // Nothing of the run comes after the terminal event: the abort finished the stream (its
    // pending timers are cleared), so the engine has no stream left that could send.
    expect(engine.streamsRunning).toBe(0);
    const names = events.map((e) => e.channel);
    expect(names.at(-1)).toBe('ollama:chat-aborted');
    expect(names.filter((n) => n === 'ollama:chat-token').length).toBeLessThan(10);
  });

  it('correlation fields are set from the start call (script-manager process:start id)', async () => {
    const { engine } = await createEngine({ pack: 'script-manager', seed: 8, speed: 0 });
    const { sink, events } = collectingSink();
    engine.attach(sink);
    for (let i = 0; i < 4; i++) await engine.call('process:start', ['my-script']);
    // Speed 0: every planned start event is delivered during the call itself.
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect((e.args[0] as { scriptId: string }).scriptId).toBe('my-script');
  });

  it('whole-result correlation (`equals: result`): cosmosh watch events carry the watch id the start call returned', async () => {
    const { engine } = await createEngine({ pack: 'cosmosh', seed: 2, speed: 0 });
    const { sink, events } = collectingSink();
    engine.attach(sink);
    const ids: unknown[] = [];
    // The grammar `changed*` allows empty words: start watches until some events came.
    for (let i = 0; i < 10 && events.length === 0; i++) {
      const out = await engine.call('app:start-sftp-temporary-file-watch', ['/tmp/cosmosh-sftp/a.txt']);
      if (out.ok) ids.push(out.value);
    }
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(ids).toContain((e.args[0] as { watchId: string }).watchId);
  });

  it('strictParams: params that break the contract are rejected in the channel\'s error shape', async () => {
    const strict = (await createEngine({ pack: 'script-manager', seed: 1, strictParams: true })).engine;
    const lenient = (await createEngine({ pack: 'script-manager', seed: 1 })).engine;
    const bad = await strict.call('process:stop', [42]);
    expect(bad.ok).toBe(false);
    expect((bad as { error: string }).error).toMatch(/^Error: invalid params /);
    expect((await lenient.call('process:stop', [42])).ok).toBe(true);
    expect((await strict.call('process:ping', [])).ok).toBe(true);
  });

  it('Tauri Channel streams: ordered messages with index, then end', async () => {
    const { engine, pack } = await createEngine({ pack: 'tauri-completion', seed: 3, speed: 0 });
    const { sink, messages } = collectingSink();
    engine.attach(sink);
    const out = await engine.call('generate_completion_stream', { model: 'm', messages: [], host: 'h', apiKey: 'k', onEvent: '__CHANNEL__:42' });
    expect(out).toEqual({ ok: true, value: undefined });
    expect(messages.every((m) => m.id === 42)).toBe(true);
    expect(messages.map((m) => m.message.index)).toEqual(messages.map((_m, i) => i));
    expect(messages.at(-1)!.message.end).toBe(true);
    for (const m of messages.slice(0, -1)) expect(pack.schemas.validate(pack.byName.get('generate_completion_stream')!.payload!, m.message.message).valid).toBe(true);
  });
});

describe('cassettes and scenarios', () => {
  it('a cassette answer wins over generation; REDACTED args match anything; errors replay with their message', async () => {
    const pack = await loadPack('ollama-desktop');
    const text = [
      JSON.stringify({ conform: 'cassette', version: 1, app: 'x', startedAt: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ seq: 1, t: 5, type: 'invoke', channel: 'ollama:list', args: [], result: [], durationMs: 1 }),
      JSON.stringify({ seq: 2, t: 9, type: 'invoke', channel: 'ollama:delete', args: ['[REDACTED]'], error: "Error invoking remote method 'ollama:delete': Error: model is in use", durationMs: 2 }),
    ].join('\n') + '\n';
    const engine = new MockEngine(pack, { cassette: parseCassette(text, 'c.jsonl'), speed: 0 });
    expect(await engine.call('ollama:list', [])).toEqual({ ok: true, value: [] });
    expect(await engine.call('ollama:delete', ['anything'])).toEqual({ ok: false, error: 'Error: model is in use' });
  });

  it('caps replayed delays: a cassette saying durationMs 1e8 answers after the cap, events before it', async () => {
    expect(MAX_REPLAY_DELAY_MS).toBe(30_000); // the cap mocks/README.md documents
    const pack = await loadPack('ollama-desktop');
    const text = [
      JSON.stringify({ conform: 'cassette', version: 1, app: 'x', startedAt: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ seq: 1, t: 1e8, type: 'invoke', channel: 'ollama:list', args: [], result: [], durationMs: 1e8 }),
    ].join('\n') + '\n';
    const engine = new MockEngine(pack, { cassette: parseCassette(text, 'c.jsonl'), speed: 1, maxDelayMs: 200 });
    const t0 = performance.now();
    expect(await engine.call('ollama:list', [])).toEqual({ ok: true, value: [] });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(190); // the recorded delay, capped, not skipped
    expect(took).toBeLessThan(20_000);
    engine.close();
  });

  it('a cassette answer that breaks the return schema is never handed out', async () => {
    const pack = await loadPack('ollama-desktop');
    const text = [
      JSON.stringify({ conform: 'cassette', version: 1, app: 'x', startedAt: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ seq: 1, t: 5, type: 'invoke', channel: 'session:getPath', args: [], result: '', durationMs: 1 }),
    ].join('\n') + '\n';
    const logs: string[] = [];
    const engine = new MockEngine(pack, { cassette: parseCassette(text, 'c.jsonl'), speed: 0, log: (l) => logs.push(l) });
    const out = (await engine.call('session:getPath', [])) as { value: string };
    expect(out.value.length).toBeGreaterThan(0);
    expect(pack.schemas.validate(pack.byName.get('session:getPath')!.returns!, out.value).valid).toBe(true);
    expect(logs.join('\n')).toMatch(/breaks the return schema/);
  });

  it('scenario files are checked against the pack with file:line errors', async () => {
    const pack = await loadPack('script-manager');
    const ok = parseScenario('name: broken-disk\nchannels:\n  scripts:list:\n    error: disk full\n    latencyMs: 10\n', 's.yaml', pack);
    expect(ok.channels['scripts:list']).toEqual({ error: 'disk full', latencyMs: 10 });
    expect(() => parseScenario('channels:\n  scripts:lst:\n    error: x\n', 's.yaml', pack)).toThrow(/s\.yaml:2:3: .*"scripts:lst"/);
    expect(() => parseScenario('channels:\n  scripts:list:\n    result: 5\n', 's.yaml', pack)).toThrow(/s\.yaml:2:3: result of "scripts:list" breaks its return schema/);
    expect(() => parseScenario('channels:\n  scripts:list:\n    eror: x\n', 's.yaml', pack)).toThrow(/unknown key "eror"/);
    const file = join(dir, 'offline.json');
    writeFileSync(file, JSON.stringify({ channels: { 'scripts:list': { result: [] } } }));
    expect(resolveScenario(file, pack).channels['scripts:list']).toEqual({ result: [] });
    expect(resolveScenario('errors', pack).channels['scripts:list']!.error).toBeDefined();
    // By name: mocks/scenarios/<pack>/<name>.yaml
    expect(resolveScenario('offline', pack).channels['scripts:list']).toEqual({ latencyMs: 800 });
    const od = await loadPack('ollama-desktop');
    expect(resolveScenario('chat-fails', od).channels['ollama:chat-stream']).toEqual({ stream: 'error' });
    expect(() => resolveScenario('nope', pack)).toThrow(/unknown scenario "nope"/);
  });
});
