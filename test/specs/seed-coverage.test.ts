// Every channel, command and event a seed document names must be in its pack, with the bridge
// method, params, kind and void-ness the document states. Names are pulled out of the documents
// with document-specific patterns; each document also has a minimum count so that a pattern that
// silently stops matching fails the test instead of passing with nothing to check.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../specs/loader.ts';
import type { Channel, Pack } from '../../specs/model.ts';

const SEEDS = fileURLToPath(new URL('../../specs/seeds/', import.meta.url));
const seed = (file: string): string => readFileSync(SEEDS + file, 'utf8');
const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
const unique = (xs: string[]): string[] => [...new Set(xs)];

/** Channels of `pack` missing from `names`, as a list (an empty list reads well in a failure). */
function missing(pack: Pack, names: string[]): string[] {
  return names.filter((n) => !pack.byName.has(n));
}

function channel(pack: Pack, name: string): Channel {
  const ch = pack.byName.get(name);
  if (!ch) throw new Error(`pack ${pack.name} has no channel ${name}`);
  return ch;
}

/** Positional params as `name` / `name?`, the way the documents write signatures. */
function signature(ch: Channel): string[] {
  if (ch.params.style !== 'positional') return [];
  return ch.params.list.map((p) => (p.optional ? `${p.name}?` : p.name));
}

/** Property names of a Tauri command's named-argument object. */
function namedArgs(ch: Channel): string[] {
  if (ch.params.style !== 'named') return [];
  const schema = ch.params.schema.schema as { properties?: Record<string, unknown> };
  return Object.keys(schema.properties ?? {}).sort();
}

// ---------------------------------------------------------------- seed 000: ollama desktop
// Tables of "method(args)" lines each followed by its IPC channel line, grouped under
// "window.<bridge>" headings. One method names two channels: "auth:onAuthStateChange + auth:stateChanged".
interface MethodRow {
  root: string;
  method: string;
  args: string[];
  channels: string[];
  event: boolean;
}
function ollamaRows(text: string): MethodRow[] {
  const ls = lines(text);
  const rows: MethodRow[] = [];
  let root = '';
  let inEvents = false;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!;
    const heading = /^window\.(\w+)$/.exec(l);
    if (heading) {
      root = `window.${heading[1]}`;
      inEvents = false;
      continue;
    }
    if (/^Event subscriptions:?$/.test(l)) inEvents = true;
    if (/^Utility methods:?$/.test(l)) inEvents = false;
    const sig = /^(\w+)\(([^)]*)\)$/.exec(l);
    const next = ls[i + 1] ?? '';
    if (sig && /^[a-z]+:[A-Za-z_-]+( \+ [a-z]+:[A-Za-z_-]+)*$/.test(next)) {
      rows.push({
        root,
        method: sig[1]!,
        args: sig[2]!.split(',').map((a) => a.trim()).filter(Boolean),
        channels: next.split(' + '),
        event: inEvents,
      });
    }
  }
  return rows;
}

describe('seed 000 (ollama-desktop)', () => {
  const text = seed('000-ollama-desktop.txt');
  let pack: Pack;
  beforeAll(async () => {
    pack = await loadPack('ollama-desktop');
  });

  it('has every xxx:yyy channel the document names', () => {
    const names = unique([...text.matchAll(/\b[a-z]+:[A-Za-z][A-Za-z_-]*\b/g)].map((m) => m[0]));
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(missing(pack, names)).toEqual([]);
  });

  it('maps each documented method to its channel with the documented params', () => {
    const rows = ollamaRows(text);
    expect(rows.length).toBeGreaterThanOrEqual(58);
    for (const row of rows) {
      const bridge = `${row.root}.${row.method}`;
      const owners = row.channels.map((n) => channel(pack, n)).filter((ch) => ch.bridge === bridge);
      expect(owners.map((c) => c.name), `${bridge} -> ${row.channels.join(' + ')}`).toHaveLength(1);
      const ch = owners[0]!;
      // A method naming two channels (onAuthStateChange: a registration call + the event) is a
      // subscription: the pack records its bridge path on the event channel.
      if (row.event || row.channels.length > 1) {
        expect(ch.kind, ch.name).toBe('event');
      } else {
        expect(ch.kind, ch.name).not.toBe('event');
        expect(signature(ch), ch.name).toEqual(row.args);
      }
    }
  });

  it('models the chat stream ending in exactly one of done / error / aborted, aborted by ollama:stop', () => {
    const chat = pack.streams.find((s) => s.start === 'ollama:chat-stream');
    expect(chat?.grammar).toBe('ollama:chat-token* (ollama:chat-done | ollama:chat-error | ollama:chat-aborted)');
    expect(chat?.abort).toMatchObject({ call: 'ollama:stop', terminal: 'ollama:chat-aborted' });
    const pull = pack.streams.find((s) => s.start === 'ollama:pull');
    expect(pull?.end).toBe('call-settles');
  });
});

// ---------------------------------------------------------------- seed 001: tauri completion
describe('seed 001 (tauri-completion)', () => {
  const text = seed('001-tauri-completion.txt');
  let pack: Pack;
  beforeAll(async () => {
    pack = await loadPack('tauri-completion');
  });

  it('has every command the document shows, with the camelCase args of its invoke call', () => {
    const fromRust = [...text.matchAll(/#\[tauri::command\]\s*pub async fn (\w+)/g)].map((m) => m[1]!);
    const fromInvoke = [...text.matchAll(/invoke\('(\w+)'/g)].map((m) => m[1]!);
    const names = unique([...fromRust, ...fromInvoke]);
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(missing(pack, names)).toEqual([]);
    for (const n of names) expect(['command', 'channel-stream'], n).toContain(channel(pack, n).kind);

    // invoke('generate_completion_stream', { model, messages, host, apiKey, onEvent: channel })
    for (const m of text.matchAll(/invoke\('(\w+)',\s*\{([^}]*)\}/g)) {
      const keys = m[2]!.split(',').map((k) => k.trim().split(':')[0]!.trim()).filter(Boolean).sort();
      expect(namedArgs(channel(pack, m[1]!)), m[1]).toEqual(keys);
    }
  });

  it('lists the CompletionEvent variants the document names, and no grammar it does not state', () => {
    const variants = unique([...text.matchAll(/CompletionEvent::(\w+)/g)].map((m) => m[1]!));
    expect(variants.length).toBeGreaterThanOrEqual(2);
    const stream = pack.streams.find((s) => s.start === 'generate_completion_stream');
    expect(stream).toBeDefined();
    for (const v of variants) expect(stream!.events).toContain(v);
    expect(stream!.grammar).toBeUndefined();
    expect(channel(pack, 'generate_completion_stream').channelParam).toBe('onEvent');
  });
});

// ---------------------------------------------------------------- seed 002: clawdesk
describe('seed 002 (clawdesk)', () => {
  const text = seed('002-clawdesk.txt');
  let pack: Pack;
  beforeAll(async () => {
    pack = await loadPack('clawdesk');
  });

  it('has every command (section headings and invoke calls) as a Tauri command', () => {
    const headings = lines(text).filter((l) => /^[a-z]+(?:_[a-z]+)+$/.test(l));
    const invoked = [...text.matchAll(/invoke\("(\w+)"/g)].map((m) => m[1]!);
    const names = unique([...headings, ...invoked]);
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(missing(pack, names)).toEqual([]);
    for (const n of names) expect(channel(pack, n).kind, n).toBe('command');
  });

  it('has every stream event as an event channel', () => {
    const listened = [...text.matchAll(/listen\("([a-z-]+)"/g)].map((m) => m[1]!);
    const tabled = lines(text)
      .map((l) => /^([a-z]+(?:-[a-z]+)+)\{/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    const names = unique([...listened, ...tabled]);
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(missing(pack, names)).toEqual([]);
    for (const n of names) expect(channel(pack, n).kind, n).toBe('event');
  });

  it('accepts the documented invoke examples as camelCase args', () => {
    let checked = 0;
    for (const m of text.matchAll(/invoke\("(\w+)",\s*\{([^}]*)\}/g)) {
      const pairs = [...m[2]!.matchAll(/(\w+):\s*"([^"]*)"/g)];
      if (pairs.length === 0) continue; // shorthand `{ sessionId, content }`: no values to check
      const args = Object.fromEntries(pairs.map((p) => [p[1]!, p[2]!]));
      const ch = channel(pack, m[1]!);
      const result = pack.schemas.validate(ch.args, args);
      expect(result.issues, `${m[1]} ${JSON.stringify(args)}`).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('gives every command the Result<T, String> error contract', () => {
    for (const ch of pack.channels.filter((c) => c.kind === 'command')) expect(ch.errors.style, ch.name).toBe('tauri-string');
  });
});

// ---------------------------------------------------------------- seed 003: script manager
describe('seed 003 (script-manager)', () => {
  const text = seed('003-script-manager.txt');
  let pack: Pack;
  beforeAll(async () => {
    pack = await loadPack('script-manager');
  });

  it('has every channel and event, with the documented param count and void results', () => {
    // "- scripts:create (input: Omit<ScriptDefinition, 'id'>) → Promise<ScriptDefinition>" and
    // "- process:log:event (payload: ...)"
    const rows = lines(text)
      .map((l) => /^- ([a-z]+(?::[A-Za-z]+)+)(?: \((\w+)?:?.*?\))?(?: → (.+))?$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    const names = unique(rows.map((m) => m[1]!));
    expect(names.length).toBeGreaterThanOrEqual(27);
    expect(missing(pack, names)).toEqual([]);
    for (const m of rows) {
      const ch = channel(pack, m[1]!);
      const returns = m[3];
      if (returns === undefined) {
        expect(ch.kind, ch.name).toBe('event');
        continue;
      }
      expect(ch.kind, ch.name).toBe('invoke');
      const hasParam = /^- \S+ \(/.test(m[0]!);
      expect(signature(ch).length, ch.name).toBe(hasParam ? 1 : 0);
      if (hasParam && m[2] !== undefined) expect(signature(ch)[0], ch.name).toBe(m[2]);
      expect(ch.returnsVoid, `${ch.name} → ${returns}`).toBe(returns.trim() === 'Promise<void>');
    }
  });

  it('correlates process events with the started script id and states the sandboxed renderer', () => {
    const run = pack.streams.find((s) => s.start === 'process:start');
    expect(run?.correlation.map((c) => c.equals)).toEqual(expect.arrayContaining(['param:id']));
    expect(pack.window).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });
});

// ---------------------------------------------------------------- seed 004: cosmosh
describe('seed 004 (cosmosh)', () => {
  const text = seed('004-cosmosh.txt');
  let pack: Pack;
  beforeAll(async () => {
    pack = await loadPack('cosmosh');
  });

  // The dictionary's table cells are flattened into one line per channel with no separators:
  // "app:show-in-file-managerinvoketargetPath?: stringPromise<boolean>Opens ...".
  const ROW = /^([a-z0-9]+:[a-z][a-z0-9-]*?)(invoke|send|event \(main -> renderer\))(.*)$/;
  const rows = lines(text)
    .map((l) => ROW.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);

  it('has every channel the document names (dictionary rows and mentions in the prose)', () => {
    const tabled = rows.map((m) => m[1]!);
    // Mentions outside the table, e.g. "trust the fingerprint through backend:ssh-trust-fingerprint".
    // `domain:action-name` is the placeholder of the "Channel Addition Template", not a channel.
    const mentioned = lines(text)
      .filter((l) => !ROW.test(l))
      .flatMap((l) => [...l.matchAll(/\b[a-z0-9]+:[a-z][a-z0-9-]*\b/g)].map((m) => m[0]))
      .filter((n) => n !== 'domain:action-name');
    expect(tabled.length).toBeGreaterThanOrEqual(70);
    expect(mentioned.length).toBeGreaterThanOrEqual(1);
    const names = unique([...tabled, ...mentioned]);
    expect(missing(pack, names)).toEqual([]);
  });

  it('gives each dictionary row its IPC type and params in call order', () => {
    for (const m of rows) {
      const ch = channel(pack, m[1]!);
      const kind = m[2]!.startsWith('event') ? 'event' : m[2]!;
      expect(ch.kind, ch.name).toBe(kind);
      if (kind !== 'invoke') continue;
      const paramText = m[3]!.slice(0, m[3]!.indexOf('Promise<'));
      const params = paramText === 'none' ? [] : [...paramText.matchAll(/(\w+)(\?)?:/g)].map((p) => p[1]! + (p[2] ?? ''));
      expect(signature(ch), ch.name).toEqual(params);
    }
  });

  it('models backend union returns as result unions and app:* payloads closed', () => {
    const unions = rows.filter((m) => m[3]!.includes('| ApiErrorResponse>')).map((m) => m[1]!);
    expect(unions.length).toBeGreaterThanOrEqual(35);
    for (const n of unions) expect(channel(pack, n).errors.style, n).toBe('result-union');
    const version = channel(pack, 'app:get-version-info').returns!;
    expect(pack.schemas.validate(version, { appName: 'Cosmosh', version: '1.0.0', buildVersion: '1', buildTime: 't', commit: 'c', electron: '31', chromium: '126', node: '20', v8: '12', os: 'Linux', extra: 1 }).valid).toBe(false);
  });
});
