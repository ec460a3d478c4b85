// The mock engine: answers every channel of a pack without the real backend. Transport-agnostic:
// the Electron main process (mocks/main/), the browser host (mocks/browser.ts) and the Vite plugin
// all drive one engine and deliver what it emits (events, Tauri Channel messages) their own way.
//
// Answers come from, in order: a scenario override (or a fault injected over the control
// endpoint), a cassette recording matched by channel and args, a stateful collection, then seeded
// generated values. Every value is validated against its schema before it is handed out.
import { valueAt, type Channel, type Collection, type Pack, type SchemaNode, type SchemaStore, type Stream } from '../specs/model.ts';
import { generateValid, inspectSchema } from '../specs/generate.ts';
import { compileGrammar, type CompiledGrammar } from '../specs/grammar.ts';
import { redactSecrets } from '../specs/redact.ts';
import { annotatedParams, guardViolation, type AnnotatedParam } from '../specs/annotations.ts';
import { argsMatch, toJsonValue, type Cassette, type CassetteEntry } from './cassette.ts';
import { Collections, getPath, NotFound } from './collections.ts';
import { checkOverride, type Override, type Scenario, type StreamEnding } from './scenario.ts';
import { seededRandom } from '../specs/random.ts';
import { examplesOf, fakeLogLine, looksLikeFailure, RenderableValues } from './values.ts';
import { TauriPlugins } from './tauri-plugins.ts';
import { ListStates, loadStateDefs, StreamStates, type StateEvent } from './state.ts';

/** A settled call: a value the caller resolves with, or an error the caller rejects with. */
export type Outcome =
  | { ok: true; value: unknown; warning?: string }
  /**
   * `error` is what the renderer sees after the transport's prefix: for Electron rejections the
   * `String(err)` part (`Error: boom`), for Tauri string errors the bare string.
   */
  | { ok: false; error: string; warning?: string };

/** Where the engine delivers what it pushes to the renderer. */
export interface EngineSink {
  /** An Electron event (webContents.send args) or a Tauri global event (args[0] = payload). */
  event(channel: string, args: unknown[]): void;
  /** A Tauri Channel message; `end` closes the channel after `index` messages. */
  channelMessage?(channelId: number, message: { index: number; message?: unknown; end?: true }): void;
}

export interface EngineOptions {
  seed?: number;
  /** Replay/synthesis speed factor: 1 = recorded timing, 2 = twice as fast, 0 = no delays. */
  speed?: number;
  cassette?: Cassette;
  scenario?: Scenario;
  /** Collections used in addition to the pack's own `collections`. */
  collections?: Collection[];
  /** Gap between synthesized stream events at speed 1, ms (default 10). */
  streamGapMs?: number;
  /** Reject calls whose params break the contract, in the channel's documented error shape (like a validating backend). */
  strictParams?: boolean;
  /** The app's own types as a draft pack (mocks/type-hints.ts): returns the contract leaves open are generated from them. */
  typeHints?: Pack;
  /** Longest replayed/synthesized delay of one step, ms (default MAX_REPLAY_DELAY_MS). */
  maxDelayMs?: number;
  log?: (line: string) => void;
}

/** One call the renderer made, with what consumer verification found wrong with it. */
export interface CallRecord {
  seq: number;
  channel: string;
  kind: 'invoke' | 'send' | 'listen' | 'unknown';
  args: unknown;
  issues: string[];
  source: 'scenario' | 'cassette' | 'collection' | 'generated' | 'none';
}

export class MockError extends Error {}

function hash32(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Whether a value has an empty array in its first two levels (a list a UI would show as empty). */
function hasEmptyList(v: unknown, depth = 0): boolean {
  if (Array.isArray(v)) return v.length === 0 || (depth < 1 && v.some((x) => hasEmptyList(x, depth + 1)));
  if (depth > 1 || typeof v !== 'object' || v === null) return false;
  return Object.values(v).some((x) => hasEmptyList(x, depth + 1));
}

const sleep = (ms: number) => new Promise<void>((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));

/**
 * Longest wait of a replayed or synthesized step (a recorded handler time, an event's offset, a
 * scenario delay), ms: a cassette saying `durationMs: 1e8` must not hang a call for a day.
 */
export const MAX_REPLAY_DELAY_MS = 30_000;
const scaledDelay = (ms: number, speed: number, cap: number) => (speed > 0 && ms > 0 ? Math.min(ms / speed, cap) : 0);

function setPath(value: unknown, path: string, v: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let cur = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = v;
  return copy;
}

/** Turn an error string as the renderer sees it (`TypeError: x`) back into something to throw. */
export function toThrowable(error: string): Error {
  const m = /^([A-Za-z_$][\w$]*Error): ([\s\S]*)$/.exec(error);
  if (m) {
    const e = new Error(m[2]);
    e.name = m[1]!;
    return e;
  }
  // Not `<Name>: <message>`: an object whose String() is exactly the recorded text.
  const e = new Error(error);
  e.toString = () => error;
  return e;
}

interface PlannedEvent {
  /** Grammar symbol: an event channel, or a variant value when the stream has a variantField. */
  event: string;
  /** Event channel to send on; absent for Tauri Channel messages. */
  channel?: string;
  /** Electron event args or [payload] for Tauri events / Channel messages. */
  args: unknown[];
  /** Delay from the start of the stream, ms at speed 1. */
  atMs: number;
  /** State change the event stands for (mocks/state.ts), applied when it is delivered. */
  apply?: () => void;
}

interface ActiveStream {
  stream: Stream;
  start: Channel;
  args: unknown;
  result: unknown;
  timers: Set<ReturnType<typeof setTimeout>>;
  channelId?: number;
  channelIndex: number;
  settle?: (o: Outcome) => void;
  done: boolean;
}

export class MockEngine {
  readonly pack: Pack;
  readonly calls: CallRecord[] = [];
  private seed: number;
  private speed: number;
  private readonly maxDelayMs: number;
  private gapMs: number;
  private scenario: Scenario;
  /** Faults injected at run time (control endpoint); they win over the scenario. */
  private faults: Record<string, Override> = {};
  private cassette?: Cassette;
  private usedEntries = new Set<number>();
  private counters = new Map<string, number>();
  private collections: Collections;
  private grammars = new Map<string, CompiledGrammar>();
  private sink: EngineSink | undefined;
  private active: ActiveStream[] = [];
  private seq = 0;
  private log: (line: string) => void;
  private readonly strictParams: boolean;
  private values: RenderableValues;
  private typeHints?: { pack: Pack; store: SchemaStore; values: RenderableValues };
  private plugins?: TauriPlugins;
  private warned = new Set<string>();
  private states: StreamStates;
  private lists: ListStates;
  /** Call entries of the cassette in call-time order, for attributing recorded events to calls. */
  private callTimeline: { entry: CassetteEntry; callT: number }[] = [];

  constructor(pack: Pack, opts: EngineOptions = {}) {
    this.pack = pack;
    this.seed = opts.seed ?? 1;
    this.speed = opts.speed ?? 1;
    this.maxDelayMs = opts.maxDelayMs ?? MAX_REPLAY_DELAY_MS;
    this.gapMs = opts.streamGapMs ?? 10;
    this.scenario = opts.scenario ?? { name: 'default', channels: {} };
    this.cassette = opts.cassette;
    this.log = opts.log ?? (() => {});
    this.strictParams = opts.strictParams ?? false;
    this.values = new RenderableValues(pack.schemas, (p) =>
      this.log(
        `conform mock: ${p.label}: the contract leaves ${p.path ? `${p.path} of its value` : 'its value'} open (${p.note}); answering ${p.answered === 'example' ? "the pack's example" : `a guessed ${p.answered}`} so the UI can render. For real data record a session (conform record --drive <script>) and pass --cassette, give the app's own types (--preload <file> --types <file.d.ts>), or give the type in the pack.`,
      ),
    );
    const stateDefs = loadStateDefs(pack);
    this.states = new StreamStates(stateDefs.streams);
    this.lists = new ListStates(stateDefs.lists, (name) => this.generatedResult(pack.byName.get(name)!));
    if (opts.typeHints) this.typeHints = { pack: opts.typeHints, store: opts.typeHints.schemas, values: new RenderableValues(opts.typeHints.schemas) };
    if (pack.transport === 'tauri') this.plugins = new TauriPlugins(pack.app);
    const defs = [...(pack.collections ?? []), ...(opts.collections ?? [])];
    this.collections = new Collections(pack, defs, (node, label) => this.generate(node, label));
    if (this.cassette) {
      this.callTimeline = this.cassette.entries
        .filter((e) => e.type !== 'event')
        .map((entry) => ({ entry, callT: entry.type === 'invoke' ? Math.max(0, entry.t - entry.durationMs) : entry.t }))
        .sort((a, b) => a.callT - b.callT);
    }
    for (const s of pack.streams) if (s.grammar) this.grammars.set(s.name, compileGrammar(s.grammar));
    // Compile the validators a replay needs now: a first-use compile (tens of ms) would delay the
    // first replayed stream and skew its timing.
    for (const name of new Set(this.callTimeline.map((c) => c.entry.channel))) {
      const ch = pack.byName.get(name);
      if (!ch) continue;
      pack.schemas.precompile?.(ch.args);
      if (ch.returns) pack.schemas.precompile?.(ch.returns);
    }
  }

  attach(sink: EngineSink | undefined): void {
    this.sink = sink;
  }

  /** Streams still running (a finished or aborted stream has no timers left, so it sends nothing more). */
  get streamsRunning(): number {
    return this.active.length;
  }

  get scenarioName(): string {
    return this.scenario.name;
  }

  setScenario(scenario: Scenario): void {
    this.scenario = scenario;
  }

  setSpeed(speed: number): void {
    this.speed = speed;
  }

  /** Inject (or with `null` clear) a fault for one channel, checked like a scenario override. */
  setFault(channel: string, fault: Override | null): void {
    if (fault === null) {
      delete this.faults[channel];
      return;
    }
    const problem = checkOverride(this.pack, channel, fault);
    if (problem) throw new MockError(problem);
    this.faults[channel] = fault;
  }

  clearFaults(): void {
    this.faults = {};
  }

  private override(channel: string): Override | undefined {
    const a = this.scenario.channels[channel];
    const b = this.faults[channel];
    return a || b ? { ...a, ...b } : undefined;
  }

  // ------------------------------------------------------------------ values

  /**
   * A seeded valid value for `node`; the n-th request for the same label gets the n-th value. Made
   * renderable (mocks/values.ts): open types filled, fields faked by name, lists not empty when
   * the schema allows items.
   */
  generate(node: SchemaNode, label: string, accept?: (v: unknown) => boolean, from: { store: SchemaStore; values: RenderableValues } = { store: this.pack.schemas, values: this.values }): unknown {
    const store = from.store;
    let fallback: { v: unknown } | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      const n = this.counters.get(label) ?? 0;
      this.counters.set(label, n + 1);
      const seed = hash32(`${this.seed}|${label}|${n}|${attempt}`);
      const take = (raw: unknown): { v: unknown } | undefined => {
        if (!store.validate(node, raw).valid) return undefined;
        const v = from.values.fill(node, raw, label, seed);
        if (accept && !accept(v)) return undefined;
        if (!hasEmptyList(v)) return { v };
        fallback ??= { v };
        return undefined;
      };
      // The n-th of 3 values first, then all 3. The values come from one seeded stream, so the
      // first k of them are what a count of k gives: the n-th value, the answer in nearly every
      // call, needs only the values before it.
      const nth = n % 3;
      const got = take(generateValid(node, store, { seed, count: nth + 1 })[nth]);
      if (got) return got.v;
      for (const raw of generateValid(node, store, { seed, count: 3 })) {
        const next = take(raw);
        if (next) return next.v;
      }
    }
    if (fallback) return fallback.v;
    throw new MockError(`conform mock: the generator found no valid value for ${label} (${node.uri})`);
  }

  private isErrorBranch(ch: Channel, v: unknown): boolean {
    if (ch.errors.style !== 'result-union') return false;
    const d = ch.errors.discriminator;
    if (d) return typeof v === 'object' && v !== null && Object.entries(d).every(([k, want]) => (v as Record<string, unknown>)[k] === want);
    // An error branch the document leaves open (x-unspecified) matches everything: the branches cannot be told apart.
    if (inspectSchema(ch.errors.error, this.pack.schemas).unspecified !== undefined) return false;
    return this.pack.schemas.validate(ch.errors.error, v).valid;
  }

  /** A success answer for a call channel, from the generator (from the app's types when the contract leaves the return open and --types gave one). */
  private generatedResult(ch: Channel): unknown {
    if (ch.returnsVoid || !ch.returns) return undefined;
    const hinted = this.fromTypeHints(ch);
    if (hinted) return hinted.value;
    return this.generate(ch.returns, ch.name, (v) => !this.isErrorBranch(ch, v));
  }

  private fromTypeHints(ch: Channel): { value: unknown } | undefined {
    const hints = this.typeHints;
    const hint = hints?.pack.byName.get(ch.name)?.returns;
    if (!hints || !hint || inspectSchema(ch.returns!, this.pack.schemas).unspecified === undefined) return undefined;
    // The pack's own examples come first.
    if (examplesOf(ch.returns!, this.pack.schemas).length > 0) return undefined;
    if (inspectSchema(hint, hints.pack.schemas).unspecified !== undefined) return undefined;
    try {
      // An app's type is often `Response | ErrorResponse`: a UI to look at needs the success branch.
      const value = this.generate(hint, `${ch.name}#types`, (v) => this.pack.schemas.validate(ch.returns!, v).valid && !this.isErrorBranch(ch, v) && !looksLikeFailure(v), hints);
      this.warnOnce(`types ${ch.name}`, `conform mock: ${ch.name}: the contract leaves the return open; answering from the app's types (--types)`);
      return { value };
    } catch {
      return undefined;
    }
  }

  /** Guarded params by channel (x-guard), looked up once. */
  private readonly guarded = new Map<string, AnnotatedParam[]>();

  /** Why the call's args break one of the channel's guards (schemes, hosts, maxBytes), or null. */
  private guardRefusal(ch: Channel, args: unknown): string | null {
    if (!Array.isArray(args)) return null;
    let params = this.guarded.get(ch.name);
    if (!params) this.guarded.set(ch.name, (params = annotatedParams(ch, this.pack.schemas).filter((a) => a.guard)));
    for (const a of params) {
      const why = guardViolation(valueAt(args, a.path), a.guard!);
      if (why) return `refused ${a.label}: ${why}`;
    }
    return null;
  }

  /** An error answer in the channel's documented shape. */
  errorOutcome(ch: Channel, message: string): Outcome {
    const e = ch.errors;
    if (e.style === 'result-union') {
      let v = this.generate(e.error, `${ch.name}#error`);
      for (const key of ['error', 'message', 'reason']) {
        const cur = getPath(v, key);
        if (typeof cur === 'string') {
          const next = setPath(v, key, message);
          if (this.pack.schemas.validate(e.error, next).valid) v = next;
          break;
        }
      }
      return { ok: true, value: v };
    }
    if (this.pack.transport === 'tauri') return { ok: false, error: message };
    return { ok: false, error: `Error: ${message}` };
  }

  private validateResult(ch: Channel, value: unknown): string | undefined {
    if (ch.returnsVoid) return value === undefined || value === null ? undefined : 'a void channel answered with a value';
    if (!ch.returns) return undefined;
    const v = this.pack.schemas.validate(ch.returns, value);
    return v.valid ? undefined : `${v.issues[0]?.path || '/'} ${v.issues[0]?.message}`;
  }

  // ------------------------------------------------------------------ verification

  private record(channel: string, kind: CallRecord['kind'], args: unknown, source: CallRecord['source']): CallRecord {
    const ch = this.pack.byName.get(channel);
    const issues: string[] = [];
    if (!ch) issues.push(`unknown channel "${channel}": pack ${this.pack.name} has no such channel`);
    else if (kind === 'listen') {
      if (ch.kind !== 'event') issues.push(`listener for "${channel}", which is a ${ch.kind} channel, not an event`);
    } else {
      const expectedKinds = kind === 'send' ? ['send'] : ['invoke', 'command', 'channel-stream'];
      if (!expectedKinds.includes(ch.kind)) issues.push(`"${channel}" is a ${ch.kind} channel but was called with ${kind}`);
      const v = this.pack.schemas.validate(ch.args, args);
      if (!v.valid) for (const i of v.issues.slice(0, 3)) issues.push(`params ${i.path || '/'} ${i.message}`);
    }
    // Secrets in the renderer's args must not reach reports.
    const rec: CallRecord = { seq: ++this.seq, channel, kind: ch || kind === 'listen' ? kind : 'unknown', args: redactSecrets(toJsonValue(args), ch ? { schema: ch.args.schema, uri: ch.args.uri, store: this.pack.schemas } : undefined), issues, source };
    this.calls.push(rec);
    if (this.calls.length > 50_000) this.calls.shift();
    return rec;
  }

  /** A listener registration seen by a bridge (for consumer verification). */
  listen(event: string): void {
    this.record(event, 'listen', [], 'none');
  }

  /**
   * A call to a channel the pack lacks: Tauri's plugins answer from memory (mocks/tauri-plugins.ts),
   * a scenario's `extra:` answers what it names, anything else fails as the transport does. The
   * first call of each names the channel in a warning (stderr and the page's console).
   */
  unknown(channel: string, kind: 'invoke' | 'send', args: unknown): Outcome {
    if (this.plugins?.handles(channel)) {
      const out = this.plugins.answer(channel, args);
      if (out.ok && out.note) this.log(`conform mock: ${channel}: ${out.note}`);
      return out.ok ? { ok: true, value: out.value } : { ok: false, error: out.error };
    }
    this.record(channel, kind, args, 'none');
    const extra = this.scenario.extra?.[channel];
    const how = this.pack.transport === 'tauri' ? 'Tauri' : 'Electron';
    const warning = this.warnOnce(
      channel,
      extra
        ? `conform mock: "${channel}" is not in pack ${this.pack.name}; answered by scenario ${this.scenario.name} (extra:)`
        : `conform mock: "${channel}" is not in pack ${this.pack.name}; failing as ${how} does. Add it to the pack, or answer it in a scenario: extra: { ${JSON.stringify(channel)}: { result: ... } }`,
    );
    if (extra?.error !== undefined) return { ok: false, error: this.pack.transport === 'tauri' ? extra.error : `Error: ${extra.error}`, warning };
    if (extra && 'result' in extra) return { ok: true, value: structuredClone(extra.result), warning };
    if (this.pack.transport === 'tauri') return { ok: false, error: `Command ${channel} not found`, warning };
    return { ok: false, error: `Error: No handler registered for '${channel}'`, warning };
  }

  /** Log `message` the first time `key` comes up; returns it then (for the page's console), else undefined. */
  private warnOnce(key: string, message: string): string | undefined {
    if (this.warned.has(key)) return undefined;
    this.warned.add(key);
    this.log(message);
    return message;
  }

  // ------------------------------------------------------------------ calls

  /** invoke / command / channel-stream. `args` is the positional list (Electron) or the named object (Tauri). */
  async call(channel: string, args: unknown): Promise<Outcome> {
    const arrivedAt = performance.now();
    const ch = this.pack.byName.get(channel);
    if (!ch || ch.kind === 'event' || ch.kind === 'send') {
      if (ch?.kind === 'send') {
        this.send(channel, Array.isArray(args) ? args : [args]);
        return { ok: true, value: undefined };
      }
      const latency = ch ? undefined : this.scenario.extra?.[channel]?.latencyMs;
      if (latency) await sleep(latency);
      return this.unknown(channel, 'invoke', args);
    }
    const over = this.override(channel);
    const source: CallRecord['source'] = over && ('result' in over || over.error !== undefined) ? 'scenario' : 'generated';
    const rec = this.record(channel, 'invoke', args, source);
    if (over?.latencyMs) await sleep(over.latencyMs);
    const badParams = rec.issues.find((i) => i.startsWith('params '));
    if (this.strictParams && badParams) return this.errorOutcome(ch, `invalid ${badParams}`);
    const breaksGuard = this.strictParams ? this.guardRefusal(ch, args) : null;
    if (breaksGuard) return this.errorOutcome(ch, breaksGuard);
    this.abortFor(ch, args);

    // 1. scenario / fault
    if (over?.error !== undefined) {
      const out = this.errorOutcome(ch, over.error);
      return out;
    }
    let outcome: Outcome | undefined;
    let replayed = false;
    if (over && 'result' in over) outcome = { ok: true, value: structuredClone(over.result) };
    // 2. cassette
    if (!outcome) {
      const hit = this.matchCassette(ch, args);
      if (hit) {
        rec.source = 'cassette';
        replayed = true;
        outcome = await this.replayCall(ch, hit, args, arrivedAt);
      }
    }
    // 3. state of streams (snapshots, log reads) and collections
    if (!outcome && this.states.answers(channel)) {
      rec.source = 'collection';
      outcome = { ok: true, value: this.states.answer(ch, this.paramValue(ch, args, '0'), () => this.generatedResult(ch), (v) => !this.validateResult(ch, v)) };
    }
    if (!outcome && this.lists.answers(channel)) {
      rec.source = 'collection';
      outcome = { ok: true, value: this.lists.answer(channel, (v) => !this.validateResult(ch, v)) };
    }
    if (!outcome && this.collections.handles(channel)) {
      rec.source = 'collection';
      try {
        outcome = { ok: true, value: this.collections.answer(ch, args).value };
      } catch (err) {
        if (err instanceof NotFound) return this.errorOutcome(ch, err.message);
        throw err;
      }
    }
    // 4. generated (valid by construction: `generate` hands out only values it validated)
    let generated = false;
    if (!outcome) (outcome = { ok: true, value: this.generatedResult(ch) }), (generated = true);
    if (outcome.ok && !generated) {
      const problem = this.validateResult(ch, outcome.value);
      if (problem) {
        // Never answer invalid data: a recording that no longer fits the contract falls back to a generated value.
        this.log(`conform mock: ${channel}: ${rec.source} answer breaks the return schema (${problem}); answering a generated value instead`);
        rec.source = 'generated';
        outcome = { ok: true, value: this.generatedResult(ch) };
      }
    }
    // Streams started by this call: replayed calls already scheduled their recorded events.
    const streams = this.pack.streams.filter((s) => s.start === channel);
    if (streams.length > 0 && !replayed && outcome.ok) {
      const settles = streams.find((s) => s.end === 'call-settles');
      const runs = streams.map((s) => this.runStream(s, ch, args, outcome!.ok ? (outcome as { value: unknown }).value : undefined, over));
      if (settles) {
        const results = await Promise.all(runs);
        const failed = results.find((r) => r && !r.ok);
        if (failed) return failed;
      }
    }
    // A call that succeeded changes the lists it adds to or removes from (state.yaml `lists:`).
    if (outcome.ok) this.lists.note(channel, (name) => this.paramValue(ch, args, name));
    return outcome;
  }

  /** A fire-and-forget send. */
  send(channel: string, args: unknown[]): void {
    const arrivedAt = performance.now();
    const ch = this.pack.byName.get(channel);
    if (!ch || ch.kind !== 'send') {
      if (ch && ch.kind !== 'event') void this.call(channel, args);
      else this.unknown(channel, 'send', args);
      return;
    }
    const over = this.override(channel);
    const rec = this.record(channel, 'send', args, 'none');
    const go = async () => {
      if (over?.latencyMs) await sleep(over.latencyMs);
      this.abortFor(ch, args);
      const hit = this.matchCassette(ch, args);
      if (hit) {
        rec.source = 'cassette';
        await this.replayCall(ch, hit, args, arrivedAt);
        return;
      }
      for (const s of this.pack.streams.filter((st) => st.start === channel)) void this.runStream(s, ch, args, undefined, over);
    };
    void go().catch((err) => this.log(`conform mock: ${channel}: ${(err as Error).message}`));
  }

  /**
   * Push an event now (control endpoint `emit`): given payload (validated) or a generated one. An
   * event the pack does not declare is sent as given (null without a payload) with a warning,
   * which is returned.
   */
  emit(event: string, payload?: unknown, hasPayload = payload !== undefined): string | undefined {
    const ch = this.pack.byName.get(event);
    if (!ch || ch.kind !== 'event') {
      const warning = `conform mock: "${event}" is not an event of pack ${this.pack.name}${ch ? ` (it is a ${ch.kind} channel)` : ''}; sent anyway`;
      this.log(warning);
      this.sink?.event(event, [hasPayload ? payload : null]);
      return warning;
    }
    let value = payload;
    if (ch.payload) {
      if (hasPayload) {
        const v = this.pack.schemas.validate(ch.payload, value);
        if (!v.valid) throw new MockError(`payload for "${event}" breaks its schema: ${v.issues[0]?.path || '/'} ${v.issues[0]?.message}`);
      } else value = this.generate(ch.payload, event);
    }
    this.sink?.event(event, [value]);
    return undefined;
  }

  // ------------------------------------------------------------------ cassettes

  private matchCassette(ch: Channel, args: unknown): CassetteEntry | undefined {
    if (!this.cassette) return undefined;
    const type = ch.kind === 'send' ? 'send' : 'invoke';
    // Electron drops nothing, but bridges differ in passing trailing optional args as undefined
    // (recorded as null) or not at all: trailing nulls do not decide a match.
    const trim = (v: unknown) => {
      if (!Array.isArray(v)) return v;
      let n = v.length;
      while (n > 0 && (v[n - 1] === null || v[n - 1] === undefined)) n--;
      return v.slice(0, n);
    };
    const actual = trim(toJsonValue(args));
    let last: CassetteEntry | undefined;
    for (const { entry } of this.callTimeline) {
      if (entry.type !== type || entry.channel !== ch.name) continue;
      // Tauri cassettes keep the named object as the single arg.
      const recorded = Array.isArray(args) ? trim(entry.args) : entry.args[0];
      if (!argsMatch(recorded, actual)) continue;
      if (!this.usedEntries.has(entry.seq)) {
        this.usedEntries.add(entry.seq);
        return entry;
      }
      last = entry;
    }
    // Calls repeated more often than recorded reuse the last recording (without its events).
    return last ? { ...last, seq: -1 } : undefined;
  }

  /**
   * Replays one recorded call: the events recorded after it (up to the next recorded call) are
   * sent with their recorded delays divided by the speed; the answer comes after the recorded
   * handler time. The renderer repeating the session's calls gets the session's events in order.
   */
  private async replayCall(ch: Channel, entry: CassetteEntry, args: unknown, arrivedAt = performance.now()): Promise<Outcome> {
    const idx = this.callTimeline.findIndex((c) => c.entry.seq === entry.seq);
    // Recorded delays count from when the call arrived, not from when the engine got to it.
    const startedAt = arrivedAt;
    const scale = (ms: number) => scaledDelay(ms, this.speed, this.maxDelayMs);
    const items: { at: number; run: () => void }[] = [];
    if (idx >= 0) {
      const callT = this.callTimeline[idx]!.callT;
      const nextT = this.callTimeline[idx + 1]?.callT ?? Infinity;
      const events = this.cassette!.entries.filter((e) => e.type === 'event' && e.t >= callT && e.t < nextT);
      const channelId = this.channelIdOf(ch, args);
      let index = 0;
      for (const e of events) {
        items.push({
          at: scale(e.t - callT),
          run: () => {
            if (ch.kind === 'channel-stream' && channelId !== undefined && this.sink?.channelMessage) {
              this.sink.channelMessage(channelId, { index: index++, message: e.args[0] });
            } else this.sink?.event(e.channel, e.args);
          },
        });
      }
      if (ch.kind === 'channel-stream' && channelId !== undefined) {
        const endAt = Math.max(entry.type === 'invoke' ? scale(entry.durationMs) : 0, items.at(-1)?.at ?? 0);
        items.push({ at: endAt, run: () => this.sink?.channelMessage?.(channelId, { index, end: true }) });
      }
    }
    if (entry.type !== 'invoke') {
      void this.schedule(items, startedAt);
      return { ok: true, value: undefined };
    }
    // The answer is one more item of the same schedule: events recorded before it go out before it.
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    const at = scale(entry.durationMs);
    let i = items.findIndex((it) => it.at > at);
    if (i < 0) i = items.length;
    items.splice(i, 0, { at, run: () => answer() });
    void this.schedule(items, startedAt);
    await answered;
    if (entry.error !== undefined) {
      const prefix = `Error invoking remote method '${ch.name}': `;
      return { ok: false, error: entry.error.startsWith(prefix) ? entry.error.slice(prefix.length) : entry.error };
    }
    return { ok: true, value: entry.result };
  }

  /**
   * Run `items` at their offsets (ms) from `origin` (performance.now()): one timer at a time, aimed
   * at the next deadline from the origin (so errors do not add up); items already due run at once.
   * No busy-waiting: on a loaded machine a spinning process loses the CPU and ends up later.
   */
  private schedule(items: { at: number; run: () => void }[], origin: number, timers?: Set<ReturnType<typeof setTimeout>>): Promise<void> {
    return new Promise((resolve) => {
      let i = 0;
      const next = () => {
        while (i < items.length && performance.now() - origin >= items[i]!.at - 0.5) items[i++]!.run();
        if (i >= items.length) return resolve();
        const t = setTimeout(() => {
          timers?.delete(t);
          next();
        }, Math.max(1, Math.round(items[i]!.at - (performance.now() - origin))));
        timers?.add(t);
      };
      next();
    });
  }

  // ------------------------------------------------------------------ synthesized streams

  private channelIdOf(ch: Channel, args: unknown): number | undefined {
    if (ch.kind !== 'channel-stream' || !ch.channelParam || typeof args !== 'object' || args === null) return undefined;
    const ref = (args as Record<string, unknown>)[ch.channelParam];
    const m = typeof ref === 'string' ? /^__CHANNEL__:(\d+)$/.exec(ref) : null;
    return m ? Number(m[1]) : typeof ref === 'number' ? ref : undefined;
  }

  private paramValue(ch: Channel, args: unknown, which: string): unknown {
    if (Array.isArray(args)) {
      if (/^\d+$/.test(which)) return args[Number(which)];
      const idx = ch.params.style === 'positional' ? ch.params.list.findIndex((p) => p.name === which) : -1;
      return idx >= 0 ? args[idx] : undefined;
    }
    return getPath(args, which);
  }

  /**
   * What to send for one grammar symbol: the event channel (none for a Tauri Channel message) and
   * a payload generated from its schema, of the symbol's variant when the stream has a
   * variantField, with the correlation fields set from the start call.
   */
  private streamDelivery(active: Pick<ActiveStream, 'stream' | 'start' | 'args' | 'result'>, symbol: string): { channel?: string; payload: unknown } {
    const { stream, start } = active;
    // A symbol is a variant value only when the stream has a variantField and its grammar names it.
    const vf = stream.variantField && this.grammars.get(stream.name)?.alphabet.includes(symbol) ? stream.variantField : undefined;
    let channel: string | undefined;
    let node: SchemaNode | undefined;
    if (start.kind === 'channel-stream') node = start.payload;
    else {
      channel = stream.events.includes(symbol) ? symbol : stream.events.find((e) => this.pack.byName.get(e)?.kind === 'event') ?? stream.events[0];
      node = channel ? this.pack.byName.get(channel)?.payload : undefined;
    }
    if (!node) return { channel, payload: undefined };
    let value: unknown;
    if (vf) {
      try {
        value = this.generate(node, `${stream.name}:${symbol}`, (v) => getPath(v, vf) === symbol);
      } catch {
        // The generator did not hit the variant on its own: set the field and keep it if still valid.
        const forced = setPath(this.generate(node, `${stream.name}:${symbol}`), vf, symbol);
        value = this.pack.schemas.validate(node, forced).valid ? forced : this.generate(node, `${stream.name}:${symbol}`);
      }
    } else value = this.generate(node, `${stream.name}:${symbol}`);
    for (const c of stream.correlation) {
      if (c.event !== '*' && c.event !== symbol && c.event !== channel) continue;
      // `param:<name>`, `result:<path>` or `result` (the whole result).
      const [from = '', ...rest] = c.equals.split(':');
      const path = rest.join(':');
      const want = from === 'param' ? this.paramValue(start, active.args, path) : getPath(active.result, path);
      if (want === undefined) continue;
      const next = setPath(value, c.field, want);
      if (this.pack.schemas.validate(node, next).valid) value = next;
      else this.log(`conform mock: ${stream.name}: correlation ${c.field} = ${c.equals} would break the payload schema of ${channel ?? start.name}; left generated`);
    }
    return { channel, payload: value };
  }

  private terminalFor(stream: Stream, ending: StreamEnding): string | undefined {
    const g = this.grammars.get(stream.name);
    const terminals = g ? g.alphabet.filter((e) => g.isTerminal(e)) : stream.events;
    if (ending === 'abort') return stream.abort?.terminal ?? terminals.find((e) => /abort|cancel/i.test(e));
    if (ending === 'error') return terminals.find((e) => /error|fail/i.test(e));
    return undefined;
  }

  /** The event names of a synthesized stream: a word of the grammar that ends the way asked. */
  private planWord(stream: Stream, ch: Channel, ending: StreamEnding): string[] {
    const rng = seededRandom(hash32(`${this.seed}|${stream.name}|${this.counters.get(`word:${stream.name}`) ?? 0}`));
    this.counters.set(`word:${stream.name}`, (this.counters.get(`word:${stream.name}`) ?? 0) + 1);
    const g = this.grammars.get(stream.name);
    if (!g) {
      // No grammar (e.g. a Tauri Channel whose variants the document leaves open): a few messages.
      const n = 2 + Math.floor(rng() * 3);
      return Array.from({ length: n }, () => stream.events[0] ?? ch.name);
      // (with a variantField and no grammar, the symbol is the event channel: any variant goes)
    }
    const target = this.terminalFor(stream, ending);
    const unwanted = /error|abort|cancel|fail/i;
    let fallback: string[] | undefined;
    for (let i = 0; i < 300; i++) {
      const w = g.sample(rng, 8);
      const last = w[w.length - 1];
      if (target ? last === target : !(last && g.isTerminal(last) && unwanted.test(last))) {
        if (w.length > 0 || i > 20) return w;
      }
      fallback ??= w;
    }
    return fallback ?? g.shortest();
  }

  /**
   * Synthesize one stream started by a call. Resolves (for call-settles streams) with the outcome
   * the start call should have, after the last event.
   */
  private runStream(stream: Stream, ch: Channel, args: unknown, result: unknown, over: Override | undefined): Promise<Outcome | undefined> {
    const ending = over?.stream ?? 'normal';
    const active: ActiveStream = { stream, start: ch, args, result, timers: new Set(), channelId: this.channelIdOf(ch, args), channelIndex: 0, done: false };
    let plan: PlannedEvent[];
    let statePlan: PlannedEvent[] | undefined;
    if (over?.events) {
      plan = over.events.map((e, i) => {
        const d = e.payload !== undefined ? { channel: e.event, payload: e.payload } : this.streamDelivery(active, e.event);
        const symbol = stream.variantField ? String(getPath(d.payload, stream.variantField)) : e.event;
        return { event: symbol, channel: ch.kind === 'channel-stream' ? undefined : e.event, args: [d.payload], atMs: e.delayMs ?? (i + 1) * this.gapMs };
      });
    } else if ((statePlan = this.statePlan(active, ending))) {
      plan = statePlan;
    } else {
      const word = this.planWord(stream, ch, ending);
      plan = word.map((event, i) => {
        const d = this.streamDelivery(active, event);
        return { event, channel: d.channel, args: [d.payload], atMs: (i + 1) * this.gapMs };
      });
    }
    const scale = (ms: number) => scaledDelay(ms, this.speed, this.maxDelayMs);
    this.active.push(active);
    const grammar = this.grammars.get(stream.name);
    const deliver = (p: PlannedEvent) => {
      if (active.done) return;
      p.apply?.();
      this.deliverStreamEvent(active, p.channel, p.args);
      if (grammar && grammar.isTerminal(p.event)) this.finish(active);
    };
    return new Promise<Outcome | undefined>((resolve) => {
      active.settle = (o) => resolve(o);
      const origin = performance.now();
      void this.schedule(plan.map((p) => ({ at: scale(p.atMs), run: () => deliver(p) })), origin, active.timers).then(() => {
        if (active.done) return;
        if (stream.end === 'call-settles') {
          const out = ending === 'error' ? this.errorOutcome(ch, `conform mock: stream ${stream.name} failed (injected fault)`) : undefined;
          this.finish(active, out);
        }
        // Grammar streams without a terminal event stay open until aborted.
      });
    });
  }

  /** The key of a state-coupled stream's run (mocks/state.ts), when the pack describes one. */
  private stateKey(active: Pick<ActiveStream, 'stream' | 'start' | 'args'>): { def: NonNullable<ReturnType<StreamStates['defFor']>>; key: string } | undefined {
    const def = this.states.defFor(active.stream);
    const key = def ? this.paramValue(active.start, active.args, def.key.slice('param:'.length)) : undefined;
    return def && key !== undefined && key !== null ? { def, key: String(key) } : undefined;
  }

  /** State events as planned stream events: generated payloads with the state's fields set (kept only when still valid). */
  private stateEvents(active: Pick<ActiveStream, 'stream' | 'start' | 'args' | 'result'>, events: StateEvent[], firstAtMs: number): PlannedEvent[] {
    const sk = this.stateKey(active)!;
    return events.map((e, i) => {
      const d = this.streamDelivery(active, e.event);
      let payload = d.payload;
      for (const [field, v] of Object.entries(e.set)) {
        const next = setPath(payload, field, v);
        const node = d.channel ? this.pack.byName.get(d.channel)?.payload : undefined;
        if (!node || this.pack.schemas.validate(node, next).valid) payload = next;
      }
      const apply = () => {
        e.apply();
        if (e.event === sk.def.statusEvent) this.states.noteStatus(sk.def, sk.key, payload);
      };
      return { event: e.event, channel: d.channel, args: [payload], atMs: firstAtMs + i * this.gapMs, apply };
    });
  }

  /** A start of a state-coupled stream: its start statuses and log lines (a normal ending only). */
  private statePlan(active: ActiveStream, ending: StreamEnding): PlannedEvent[] | undefined {
    const sk = ending === 'normal' ? this.stateKey(active) : undefined;
    if (!sk) return undefined;
    const n = this.counters.get(`log:${sk.key}`) ?? 0;
    this.counters.set(`log:${sk.key}`, n + sk.def.start.length + (sk.def.log?.lines ?? 0));
    return this.stateEvents(active, this.states.startEvents(sk.def, sk.key, (i) => fakeLogLine(hash32(`${this.seed}|${sk.key}|${n + i}`), n + i)), this.gapMs);
  }

  private deliverStreamEvent(active: ActiveStream, channel: string | undefined, args: unknown[]): void {
    if (active.start.kind === 'channel-stream' && active.channelId !== undefined) {
      this.sink?.channelMessage?.(active.channelId, { index: active.channelIndex++, message: args[0] });
    } else if (channel) this.sink?.event(channel, args);
  }

  private finish(active: ActiveStream, outcome?: Outcome): void {
    if (active.done) return;
    active.done = true;
    for (const t of active.timers) clearTimeout(t);
    active.timers.clear();
    if (active.start.kind === 'channel-stream' && active.channelId !== undefined) {
      this.sink?.channelMessage?.(active.channelId, { index: active.channelIndex, end: true });
    }
    this.active = this.active.filter((a) => a !== active);
    active.settle?.(outcome ?? { ok: true, value: active.result });
  }

  /** A call that aborts running streams: stop their events and send the abort's terminal event. */
  private abortFor(ch: Channel, args: unknown): void {
    const targets = this.active.filter((a) => a.stream.abort?.call === ch.name);
    if (targets.length === 0) return;
    // With a correlation on a param, abort only the stream whose start param equals this call's first arg.
    const first = Array.isArray(args) ? args[0] : undefined;
    const matching = targets.filter((a) => a.stream.correlation.some((c) => c.equals.startsWith('param:') && this.paramValue(a.start, a.args, c.equals.slice(6)) === first));
    for (const a of matching.length ? matching : targets) {
      const terminal = a.stream.abort?.terminal;
      const sk = this.stateKey(a);
      if (sk) {
        // The stop goes through the state's stop statuses; the last one is the terminal event.
        for (const p of this.stateEvents(a, this.states.stopEvents(sk.def, sk.key), 0)) {
          p.apply?.();
          this.deliverStreamEvent(a, p.channel, p.args);
        }
      } else if (terminal) {
        const d = this.streamDelivery(a, terminal);
        this.deliverStreamEvent(a, d.channel, [d.payload]);
      }
      this.finish(a);
    }
  }

  /** Stop every stream (the host is closing). */
  close(): void {
    for (const a of [...this.active]) this.finish(a);
  }
}
