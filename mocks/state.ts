// Streams that agree with state. A pack says how a stream relates to what the app keeps in
// `<pack>/mock/state.yaml` (read by the mock only; format in mocks/README.md): per stream, the
// state key (a start param), the status field its events carry, the statuses a start and a stop
// go through, which channels answer snapshots of that state, and which log event's lines a read
// channel returns. The mock then tells one story: start -> starting/running status events -> logs
// -> stop -> stopped, and snapshots / readLog answer what the events said.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, isMap } from 'yaml';
import type { Channel, Pack, Stream } from '../specs/model.ts';
import { ContractError } from '../specs/model.ts';

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

const KEYS = new Set(['key', 'field', 'statusEvent', 'start', 'stop', 'initial', 'snapshots', 'log', 'assumed']);

/** Read `<pack>/mock/state.yaml` (none: no state-coupled streams); errors name file:line and the key. */
export function loadStreamStates(pack: Pack): StreamStateDef[] {
  const file = join(pack.dir, 'mock', 'state.yaml');
  if (!existsSync(file)) return [];
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
  const root = (doc.toJS() ?? {}) as { streams?: Record<string, Record<string, unknown>> };
  const defs: StreamStateDef[] = [];
  for (const [name, raw] of Object.entries(root.streams ?? {})) {
    const fail = (msg: string, key?: string): never => {
      throw new ContractError(msg, at(key ? ['streams', name, key] : ['streams', name]), key ? `streams.${name}.${key}` : `streams.${name}`);
    };
    const stream = pack.streams.find((s) => s.name === name);
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
  return defs;
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
