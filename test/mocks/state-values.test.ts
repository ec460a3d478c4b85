// Values a UI can render and streams that agree with state (engine level, no browser):
// open return types come back as lists/objects a renderer can iterate, fields are faked by name
// within their schemas, and script-manager's process-run follows <pack>/mock/state.yaml:
// start -> starting/running -> stop -> stopped, snapshots say the same, readLog returns the lines
// the log events carried.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../mocks/host.ts';
import { ContractError } from '../../specs/model.ts';

const PACKS = fileURLToPath(new URL('../../specs/packs', import.meta.url));

describe('values a UI can render', () => {
  it('an open (x-unspecified) list-like return is a list of objects, with one warning naming the channel', async () => {
    const logs: string[] = [];
    const { engine } = await createEngine({ pack: 'ollama-desktop', seed: 5 }, (l) => logs.push(l));
    for (let i = 0; i < 3; i++) {
      const out = await engine.call('ollama:list', []);
      expect(out.ok).toBe(true);
      const models = (out as { value: unknown }).value as { name: unknown }[];
      // What the renderer does with it: iterate and read a field.
      expect(() => models.forEach((m) => String(m.name).length)).not.toThrow();
      expect(models.length).toBeGreaterThan(0);
      for (const m of models) expect(typeof m).toBe('object');
    }
    const warnings = logs.filter((l) => l.includes('ollama:list'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/leaves its value open .*guessed list.*--cassette/);
  });

  it("with --types an open return is generated from the app's own declared type (the analysis of conform extract)", async () => {
    const dir = fileURLToPath(new URL('./fixtures/typed-preload', import.meta.url));
    const logs: string[] = [];
    const { engine } = await createEngine({ pack: 'ollama-desktop', seed: 1, preload: join(dir, 'preload.ts'), types: [join(dir, 'types.ts')] }, (l) => logs.push(l));
    const out = (await engine.call('ollama:list', [])) as { ok: true; value: Record<string, unknown>[] };
    expect(out.value.length).toBeGreaterThan(0);
    for (const m of out.value) {
      expect(Object.keys(m).sort()).toEqual(['details', 'modified_at', 'name', 'size']);
      expect(typeof m.size).toBe('number');
      expect(typeof (m.details as Record<string, unknown>).family).toBe('string');
    }
    expect(logs).toEqual(["conform mock: ollama:list: the contract leaves the return open; answering from the app's types (--types)"]);
  });

  it("with the app's types a `Response | ErrorResponse` return answers the success branch, its lists never empty (cosmosh-lite's global.d.ts)", async () => {
    const app = fileURLToPath(new URL('../../examples/cosmosh-lite/', import.meta.url));
    const { engine } = await createEngine({ pack: 'cosmosh-lite', seed: 1, preload: join(app, 'preload.js'), types: [join(app, 'global.d.ts')] });
    for (const channel of ['backend:ssh-list-servers', 'backend:ssh-list-folders', 'backend:ssh-list-tags', 'backend:port-forward-list-rules', 'backend:local-terminal-list-profiles']) {
      for (let i = 0; i < 4; i++) {
        const out = (await engine.call(channel, [])) as { ok: true; value: { success: unknown; data: { items: Record<string, unknown>[] } } };
        expect(out.value.success, channel).toBe(true);
        expect(out.value.data.items.length, channel).toBeGreaterThan(0);
        for (const item of out.value.data.items) expect(typeof item.id, channel).toBe('string');
      }
    }
  });

  it('without types, the first use of an open return warns naming the channel and the ways to real data (cassette, --types, the pack)', async () => {
    const logs: string[] = [];
    const { engine } = await createEngine({ pack: 'cosmosh-lite', seed: 1 }, (l) => logs.push(l));
    await engine.call('backend:ssh-list-servers', []);
    await engine.call('backend:ssh-list-servers', []);
    const warnings = logs.filter((l) => l.includes('backend:ssh-list-servers'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/leaves its value open .*--cassette.*--types <file\.d\.ts>.*in the pack/);
  });

  it("the pack's example is answered as written, never faked by field name (clawdesk get_config: seed 002's port 1420)", async () => {
    const { engine } = await createEngine({ pack: 'clawdesk', seed: 1 });
    for (let i = 0; i < 3; i++) expect(await engine.call('get_config', {})).toEqual({ ok: true, value: { gateway: { port: 1420 }, providers: {} } });
    expect(await engine.call('compact_session', { sessionId: 's1' })).toEqual({ ok: true, value: { messagesBefore: 45, messagesAfter: 12, tokensSaved: 8420 } });
  });

  it('open item types of a typed list are objects, never null or bare scalars', async () => {
    const { engine } = await createEngine({ pack: 'clawdesk', seed: 2 });
    for (let i = 0; i < 5; i++) {
      const out = (await engine.call('get_messages', { sessionId: 's1' })) as { ok: true; value: unknown[] };
      expect(out.ok).toBe(true);
      for (const m of out.value) expect(typeof m === 'object' && m !== null && !Array.isArray(m)).toBe(true);
    }
    const metrics = (await engine.call('get_metrics', {})) as { ok: true; value: unknown };
    expect(typeof metrics.value === 'object' && metrics.value !== null).toBe(true);
  });

  it('open token events of a chat stream are text a UI can append (not objects)', async () => {
    const { engine } = await createEngine({ pack: 'ollama-desktop', seed: 3, speed: 0 });
    const events: [string, unknown][] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    engine.attach({
      event: (c, a) => {
        events.push([c, a[0]]);
        if (/chat-(done|error|aborted)$/.test(c)) finished();
      },
    });
    engine.send('ollama:chat-stream', ['llama3.2', 'Hello', []]);
    await done;
    const tokens = events.filter(([c]) => c === 'ollama:chat-token').map(([, p]) => p);
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(t).toMatch(/^\S+ $/);
  });

  it('fields are faked by name inside their schemas: counters small, log lines read like log lines', async () => {
    const { engine } = await createEngine({ pack: 'script-manager', seed: 11, speed: 0 });
    const status: Record<string, unknown>[] = [];
    engine.attach({ event: (c, a) => c === 'process:status:event' && status.push(a[0] as Record<string, unknown>) });
    for (let i = 0; i < 4; i++) {
      const snap = (await engine.call('process:snapshot', [`x${i}`])) as { value: Record<string, unknown> };
      if (snap.value?.retries !== undefined) expect(snap.value.retries).toBeLessThanOrEqual(5);
      if (typeof snap.value?.lastExitCode === 'number') expect(snap.value.lastExitCode).toBeLessThanOrEqual(5);
      if (snap.value?.startTime !== undefined) expect(typeof snap.value.startTime).not.toBe('object'); // open, named like a time
    }
    const scripts = (await engine.call('scripts:list', [])) as { value: { name: string; command: string }[] };
    for (const s of scripts.value) {
      expect(s.name).toMatch(/^[a-z]+-[a-z]+$/);
      expect(s.command).toMatch(/^node \S+\.js$/);
    }
  });
});

describe('streams that agree with state (specs/packs/script-manager/mock/state.yaml)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'conform-state-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  /** A copy of a shipped pack with its mock/state.yaml replaced, and what createEngine threw for it. */
  const withStateFile = async (pack: string, stateYaml: string) => {
    const dir = join(tmp, pack);
    cpSync(join(PACKS, pack), dir, { recursive: true });
    writeFileSync(join(dir, 'mock', 'state.yaml'), stateYaml);
    return { dir, err: await createEngine({ pack: dir }).catch((e: unknown) => e) };
  };

  it('start -> starting, running; stop -> stopping, stopped; snapshots and readLog say what the events said', async () => {
    const { engine } = await createEngine({ pack: 'script-manager', seed: 3, speed: 0 });
    const events: [string, Record<string, unknown>][] = [];
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((r) => (resolveStopped = r));
    let resolveLogs!: () => void;
    const logsDone = new Promise<void>((r) => (resolveLogs = r));
    engine.attach({
      event: (c, a) => {
        const p = a[0] as Record<string, unknown>;
        events.push([c, p]);
        if (c === 'process:log:event' && events.filter(([e]) => e === c).length === 3) resolveLogs();
        if (p.status === 'stopped') resolveStopped();
      },
    });
    expect(((await engine.call('process:snapshot', ['job-1'])) as { value: { status: string } }).value.status).toBe('stopped');
    await engine.call('process:start', ['job-1']);
    await logsDone;
    const running = (await engine.call('process:snapshot', ['job-1'])) as { value: Record<string, unknown> };
    expect(running.value).toMatchObject({ scriptId: 'job-1', status: 'running' });
    await engine.call('process:stop', ['job-1']);
    await stopped;
    const statuses = events.filter(([c]) => c === 'process:status:event').map(([, p]) => p.status);
    expect(statuses).toEqual(['starting', 'running', 'stopping', 'stopped']);
    for (const [, p] of events) expect(p.scriptId).toBe('job-1');
    const all = (await engine.call('process:snapshots', [])) as { value: Record<string, unknown>[] };
    expect(all.value.map((s) => [s.scriptId, s.status])).toEqual([['job-1', 'stopped']]);
    const lines = events.filter(([c]) => c === 'process:log:event').map(([, p]) => p.text as string);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (INFO|DEBUG|WARN) [^\n]+\n$/);
    expect([...lines].sort()).toEqual(lines); // timestamps in order
    const log = (await engine.call('process:readLog', ['job-1'])) as { value: string };
    expect(log.value).toBe(lines.join('')); // the persisted log is the chunks the events carried
    // Every payload still matches its schema.
    const pack = engine.pack;
    for (const [c, p] of events) expect(pack.schemas.validate(pack.byName.get(c)!.payload!, p).valid).toBe(true);
  });

  it("lists agree with the calls that change them: ollama:list is stable, lists a pulled model, drops a deleted one (ollama-desktop's state.yaml, included by ollama-chat)", async () => {
    const { engine } = await createEngine({ pack: 'ollama-chat', seed: 4, speed: 0 });
    const names = async () => ((await engine.call('ollama:list', [])) as { value: { name: string }[] }).value.map((m) => m.name);
    const before = await names();
    expect(before.length).toBeGreaterThan(0);
    expect(await names()).toEqual(before); // the same list until something changes it
    expect((await engine.call('ollama:pull', ['phi3:mini'])).ok).toBe(true);
    expect(await names()).toEqual([...before, 'phi3:mini']);
    await engine.call('ollama:pull', ['phi3:mini']);
    expect(await names()).toEqual([...before, 'phi3:mini']); // pulled once, listed once
    await engine.call('ollama:delete', [before[0]]);
    expect(await names()).toEqual([...before.slice(1), 'phi3:mini']);
    // A failed pull installs nothing.
    engine.setFault('ollama:pull', { error: 'pull model manifest: file does not exist' });
    expect((await engine.call('ollama:pull', ['no-such:model'])).ok).toBe(false);
    expect(await names()).not.toContain('no-such:model');
    engine.close();
  });

  it('a state file list naming a channel the pack lacks is an error with file:line', async () => {
    const { dir, err } = await withStateFile('ollama-desktop', 'lists:\n  models:\n    list: ollama:list\n    keyField: name\n    add:\n      - { call: ollama:install, key: "param:name" }\n');
    expect(err).toBeInstanceOf(ContractError);
    expect(String((err as Error).message)).toMatch(/add: "ollama:install" is not a channel of pack ollama-desktop/);
    expect((err as ContractError).pos).toMatchObject({ file: join(dir, 'mock', 'state.yaml'), line: 5 });
  });

  it('a state file that names what the pack lacks is an error with file:line', async () => {
    const { dir, err } = await withStateFile('script-manager', 'streams:\n  process-run:\n    key: param:id\n    field: status\n    start: [running]\n    stop: [stopped]\n    snapshots: [process:peek]\n');
    expect(err).toBeInstanceOf(ContractError);
    expect(String((err as Error).message)).toMatch(/snapshots: "process:peek" is not a channel of pack script-manager/);
    expect((err as ContractError).pos).toMatchObject({ file: join(dir, 'mock', 'state.yaml'), line: 7 });
  });
});
