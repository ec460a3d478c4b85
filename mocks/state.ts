// Streams that agree with state. A pack says how a stream relates to what the app keeps in
// `<pack>/mock/state.yaml` (read by the mock only; format in mocks/README.md): per stream, the
// state key (a start param), the status field its events carry, the statuses a start and a stop
// go through, which channels answer snapshots of that state, and which log event's lines a read
// channel returns. The mock then tells one story: start -> starting/running status events -> logs
// -> stop -> stopped, and snapshots / readLog answer what the events said.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LineCounter, parseDocument, isMap } from 'yaml';
import type { Channel, Pack, Stream } from '../specs/model.ts';
import { ContractError } from '../specs/model.ts';
import { findArrayPath, getPath, setPath } from './collections.ts';

export interface StreamStateDef {
  stream: string;
  /** Where the state key comes from: `param:<name>` of the start call. */
  key: string;
  /** Status field of the status event payloads and snapshots. */
  field: string;
  /** Payload field carrying the key (from the stream's correlation on the key param). */
  keyField: string;
  /** The event that carries status. */
  statusEvent: string;
  /** Statuses emitted in order when the stream starts; the last one holds while it runs. */
  start: string[];
  /** Statuses emitted in order when the abort call runs; the last one ends the run. */
  stop: string[];
  /** Status of a key never started. */
  initial?: string;
  /** Channels answered from the state: one key's snapshot (param = key) or every key's (no params). */
  snapshots: string[];
  log?: { event: string; field: string; lines: number; read?: string };
  /** What the document does not say and the file assumes (shown in warnings and docs). */
  assumed?: string;
  file: string;
}

interface KeyState {
  status: string;
  lines: string[];
  /** Last status payload sent, so a snapshot shows what the UI last saw. */
  last?: Record<string, unknown>;
}

/**
 * A list the calls of a lifecycle change (`lists:` in state.yaml): `ollama:pull(name)` makes a model
 * listed by `ollama:list`, `ollama:delete(name)` removes it. The list answers the same items until
 * an add or remove call succeeds.
 */
export interface ListStateDef {
  name: string;
  /** The channel answered from the state. */
  list: string;
  /** Item field holding the key. */
  keyField: string;
  add: { call: string; param: string }[];
  remove: { call: string; param: string }[];
  assumed?: string;
  file: string;
}

export interface StateDefs {
  streams: StreamStateDef[];
  lists: ListStateDef[];
}

const KEYS = new Set(['key', 'field', 'statusEvent', 'start', 'stop', 'initial', 'snapshots', 'log', 'assumed']);
const LIST_KEYS = new Set(['list', 'keyField', 'add', 'remove', 'assumed']);

/**
 * Read `<pack>/mock/state.yaml` and those of the packs it includes channels from (none: no state);
 * errors name file:line and the key. An included pack's relation is kept only when this pack has
 * every channel (and stream) it names.
 */
export function loadStateDefs(pack: Pack): StateDefs {
  const own = join(pack.dir, 'mock', 'state.yaml');
  const out: StateDefs = { streams: [], lists: [] };
  const included = [...new Set(pack.channels.map((c) => dirname(c.pos.file)))].filter((d) => d !== pack.dir).map((d) => join(d, 'mock', 'state.yaml'));
  for (const file of [own, ...included]) {
    if (!existsSync(file)) continue;
    const defs = readStateFile(pack, file, file === own);
    out.streams.push(...defs.streams.filter((d) => !out.streams.some((x) => x.stream === d.stream)));
    out.lists.push(...defs.lists.filter((d) => !out.lists.some((x) => x.list === d.list)));
  }
  return out;
}

/** The stream relations only (see loadStateDefs). */
export function loadStreamStates(pack: Pack): StreamStateDef[] {
  return loadStateDefs(pack).streams;
}

function readStateFile(pack: Pack, file: string, own: boolean): StateDefs {
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
  const at = (path: string[]) => {
    let node: unknown = doc.contents;
    let offset = 0;
    for (const k of path) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === k);
      if (!pair) break;
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    }
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  if (doc.errors.length) throw new ContractError(`not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, at([]));
  const root = (doc.toJS() ?? {}) as { streams?: Record<string, Record<string, unknown>>; lists?: Record<string, Record<string, unknown>> };
  for (const k of Object.keys(root)) if (k !== 'streams' && k !== 'lists') throw new ContractError(`unknown key "${k}" (allowed: streams, lists)`, at([k]), k);
  const defs: StreamStateDef[] = [];
  const lists: ListStateDef[] = [];
  for (const [name, raw] of Object.entries(root.lists ?? {})) {
    const fail = (msg: string, key?: string): never => {
      throw new ContractError(msg, at(key ? ['lists', name, key] : ['lists', name]), key ? `lists.${name}.${key}` : `lists.${name}`);
    };
    for (const k of Object.keys(raw)) if (!LIST_KEYS.has(k)) fail(`unknown key "${k}" (allowed: ${[...LIST_KEYS].join(', ')})`, k);
    const named = [raw.list, ...[raw.add, raw.remove].flatMap((v) => (Array.isArray(v) ? v.map((x) => (x as { call?: unknown })?.call) : []))];
    // An included pack's relation whose channels this pack did not take is not this pack's.
    if (!own && named.some((c) => typeof c !== 'string' || !pack.byName.has(c))) continue;
    if (typeof raw.list !== 'string' || !pack.byName.has(raw.list)) fail(`list: "${String(raw.list)}" is not a channel of pack ${pack.name}`, 'list');
    if (typeof raw.keyField !== 'string' || raw.keyField === '') fail('keyField (the item field holding the key) is required', 'keyField');
    const calls = (k: 'add' | 'remove') => {
      const v = raw[k] ?? [];
      if (!Array.isArray(v)) fail(`${k} must be a list of { call, key: param:<name> }`, k);
      return (v as Record<string, unknown>[]).map((c) => {
        if (typeof c?.call !== 'string' || !pack.byName.has(c.call)) fail(`${k}: "${String(c?.call)}" is not a channel of pack ${pack.name}`, k);
        if (typeof c.key !== 'string' || !/^param:./.test(c.key)) fail(`${k}: key must be \`param:<name>\` of ${String(c.call)}`, k);
        return { call: c.call as string, param: (c.key as string).slice('param:'.length) };
      });
    };
    lists.push({ name, list: raw.list as string, keyField: raw.keyField as string, add: calls('add'), remove: calls('remove'), assumed: typeof raw.assumed === 'string' ? raw.assumed : undefined, file });
  }
  for (const [name, raw] of Object.entries(root.streams ?? {})) {
    const fail = (msg: string, key?: string): never => {
      throw new ContractError(msg, at(key ? ['streams', name, key] : ['streams', name]), key ? `streams.${name}.${key}` : `streams.${name}`);
    };
    const stream = pack.streams.find((s) => s.name === name);
    if (!stream && !own) continue;
    if (!stream) fail(`pack ${pack.name} has no stream "${name}" (streams: ${pack.streams.map((s) => s.name).join(', ')})`);
    for (const k of Object.keys(raw)) if (!KEYS.has(k)) fail(`unknown key "${k}" (allowed: ${[...KEYS].join(', ')})`, k);
    const list = (k: string): string[] => {
      const v = raw[k] ?? [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${k} must be a list of strings`, k);
      return v as string[];
    };
    const channel = (k: string, v: unknown): string => {
      if (typeof v !== 'string' || !pack.byName.has(v)) fail(`${k}: "${String(v)}" is not a channel of pack ${pack.name}`, k);
      return v as string;
    };
    if (typeof raw.key !== 'string' || !/^param:/.test(raw.key)) fail('key must be `param:<name>` of the start call', 'key');
    if (typeof raw.field !== 'string') fail('field (the status field) is required', 'field');
    const statusEvent = channel('statusEvent', raw.statusEvent ?? stream!.events[0]);
    const keyField = stream!.correlation.find((c) => c.equals === raw.key && (c.event === statusEvent || c.event === '*'))?.field;
    if (!keyField) fail(`stream ${name} has no correlation of ${statusEvent} on ${String(raw.key)}, so its events cannot say which state they belong to`, 'key');
    const start = list('start');
    const stop = list('stop');
    if (start.length === 0 || stop.length === 0) fail('start and stop each need at least one status', start.length ? 'stop' : 'start');
    const snapshots = list('snapshots').map((c) => channel('snapshots', c));
    let log: StreamStateDef['log'];
    if (raw.log !== undefined) {
      const l = raw.log as Record<string, unknown>;
      log = { event: channel('log', l.event), field: String(l.field ?? 'text'), lines: Number(l.lines ?? 3), read: l.read === undefined ? undefined : channel('log', l.read) };
    }
    defs.push({ stream: name, key: raw.key as string, field: raw.field as string, keyField: keyField!, statusEvent, start, stop, initial: typeof raw.initial === 'string' ? raw.initial : undefined, snapshots, log, assumed: typeof raw.assumed === 'string' ? raw.assumed : undefined, file });
  }
  return { streams: defs, lists };
}

/**
 * Lists changed by calls (ListStateDef). Items start as one generated answer of the list channel
 * (`generate`), so the list is the same on every call; an add lists a copy of the first item with
 * the key set (once), a remove drops the items with that key.
 */
export class ListStates {
  private held = new Map<string, { shell: unknown; at: string; items: unknown[] }>();
  /** Adds and removes not yet applied: a call only notes them (cheap, so a replay keeps its timing). */
  private pending = new Map<string, { add: boolean; key: unknown }[]>();

  constructor(
    private defs: ListStateDef[],
    private generate: (channel: string) => unknown,
  ) {}

  answers(channel: string): boolean {
    return this.defs.some((d) => d.list === channel);
  }

  private state(def: ListStateDef) {
    let s = this.held.get(def.name);
    if (!s) {
      const shell = this.generate(def.list);
      const at = findArrayPath(shell) ?? '';
      const items = Array.isArray(getPath(shell, at || undefined)) ? structuredClone(getPath(shell, at || undefined) as unknown[]) : [];
      this.held.set(def.name, (s = { shell, at, items }));
    }
    for (const op of this.pending.get(def.name) ?? []) {
      if (!op.add) s.items = s.items.filter((i) => getPath(i, def.keyField) !== op.key);
      else if (!s.items.some((i) => getPath(i, def.keyField) === op.key)) {
        const template = s.items.find((i) => typeof i === 'object' && i !== null);
        s.items.push(template ? { ...structuredClone(template as object), [def.keyField]: op.key } : { [def.keyField]: op.key });
      }
    }
    this.pending.delete(def.name);
    return s;
  }

  /** The list as the calls so far left it; `valid` checks it against the return schema (else the first answer). */
  answer(channel: string, valid: (v: unknown) => boolean): unknown {
    const def = this.defs.find((d) => d.list === channel)!;
    const s = this.state(def);
    const value = s.at === '' ? structuredClone(s.items) : setPath(s.shell, s.at, structuredClone(s.items));
    return valid(value) ? value : structuredClone(s.shell);
  }

  /** After a call succeeded: note the adds and removes it stands for. `param(name)` reads its args. */
  note(channel: string, param: (name: string) => unknown): void {
    for (const def of this.defs) {
      const ops = [...def.add.map((x) => ({ x, add: true })), ...def.remove.map((x) => ({ x, add: false }))].filter(({ x }) => x.call === channel);
      for (const { x, add } of ops) {
        const key = param(x.param);
        if (key === undefined || key === null) continue;
        this.pending.set(def.name, [...(this.pending.get(def.name) ?? []), { add, key }]);
      }
    }
  }
}

/** One planned stream event: which event, and the fields to set on its generated payload. */
export interface StateEvent {
  event: string;
  set: Record<string, unknown>;
  /** Applied to the state when the event is delivered. */
  apply(): void;
}

export class StreamStates {
  private byStream = new Map<string, StreamStateDef>();
  private state = new Map<string, Map<string, KeyState>>();

  constructor(defs: StreamStateDef[]) {
    for (const d of defs) {
      this.byStream.set(d.stream, d);
      this.state.set(d.stream, new Map());
    }
  }

  defFor(stream: Stream): StreamStateDef | undefined {
    return this.byStream.get(stream.name);
  }

  private keyState(def: StreamStateDef, key: string): KeyState {
    const all = this.state.get(def.stream)!;
    let s = all.get(key);
    if (!s) all.set(key, (s = { status: def.initial ?? def.stop.at(-1)!, lines: [] }));
    return s;
  }

  /** The events a start plays: each start status, then the log lines (`line(i)` makes the text). */
  startEvents(def: StreamStateDef, key: string, line: (i: number) => string): StateEvent[] {
    const s = this.keyState(def, key);
    const events: StateEvent[] = def.start.map((status) => ({ event: def.statusEvent, set: { [def.field]: status }, apply: () => (s.status = status) }));
    if (def.log) {
      const log = def.log;
      for (let i = 0; i < log.lines; i++) {
        // A log event is one stdout/stderr chunk: a line with its newline.
        const text = `${line(i)}\n`;
        events.push({ event: log.event, set: { [log.field]: text }, apply: () => void s.lines.push(text) });
      }
    }
    return events;
  }

  /** The status events a stop plays; the last one is the run's terminal event. */
  stopEvents(def: StreamStateDef, key: string): StateEvent[] {
    const s = this.keyState(def, key);
    return def.stop.map((status) => ({ event: def.statusEvent, set: { [def.field]: status }, apply: () => (s.status = status) }));
  }

  /** Remember the last status payload of a key (snapshots repeat it). */
  noteStatus(def: StreamStateDef, key: string, payload: unknown): void {
    if (typeof payload === 'object' && payload !== null) this.keyState(def, key).last = payload as Record<string, unknown>;
  }

  /** Whether `channel` is answered from a stream's state. */
  answers(channel: string): boolean {
    for (const d of this.byStream.values()) if (d.snapshots.includes(channel) || d.log?.read === channel) return true;
    return false;
  }

  /**
   * The state's answer for a snapshot or log-read channel. `base(label)` generates a schema-valid
   * answer to lay the state over; `valid` checks the result (a state that cannot be said in the
   * return schema falls back to the generated answer).
   */
  answer(ch: Channel, key: unknown, base: () => unknown, valid: (v: unknown) => boolean): unknown {
    for (const def of this.byStream.values()) {
      if (def.log?.read === ch.name) {
        const lines = key === undefined ? [] : this.keyState(def, String(key)).lines;
        const text = lines.join('');
        return valid(text) ? text : base();
      }
      if (!def.snapshots.includes(ch.name)) continue;
      const one = (k: string) => {
        const s = this.keyState(def, k);
        return { ...(s.last ?? {}), [def.keyField]: k, [def.field]: s.status };
      };
      const generated = base();
      if (key !== undefined) {
        const snap = typeof generated === 'object' && generated !== null && !Array.isArray(generated) ? { ...(generated as object), ...one(String(key)) } : one(String(key));
        return valid(snap) ? snap : generated;
      }
      const list = [...this.state.get(def.stream)!.keys()].map(one);
      return valid(list) ? list : generated;
    }
    return base();
  }
}
