// Planning a channel group: which calls the renderer makes, in which order, with which inputs.
// Pure and deterministic per seed: the same pack and seed give the same plan.
import { takesNoParams, type Channel, type Pack, type Prerequisite, type Stream } from '../../specs/model.ts';
import { generateInvalid, generateValid } from '../../specs/generate.ts';
import type { CallRole } from '../checks/observations.ts';
import { bridgeOf } from '../tauri/bridge.ts';

export interface Step {
  id: number;
  role: CallRole;
  channel: string;
  bridge: string;
  args: unknown[];
  timeoutMs: number;
  index: number;
  rule?: string;
  bind?: string;
  /** Bind the call's own args under this name (to clean up what it created from its input). */
  bindArgs?: string;
  detach?: boolean;
  /** Ids of earlier steps of the batch this one needs: when one did not succeed, this call is not made. */
  needs?: number[];
  /** Result-union discriminator of the error branch: a prerequisite answering it did not make its fixture. */
  errorWhen?: Record<string, unknown>;
}

export interface PlanOptions {
  seed: number;
  callTimeoutMs: number;
  validCount: number;
  invalidMax: number;
  /** Folder generated path-like values point into (the run's own folder). */
  pathRoot?: string;
  /** The app's guard roots by name (read from the launched app): guarded paths are generated inside them. */
  guardRoots?: Record<string, string>;
}

export interface GroupPlan {
  channel: string;
  steps: Step[];
  /** Paths of bound fixture values whose events must stop after cleanup (e.g. `script.id`). */
  fixturePaths: string[];
  /** Why the group cannot run (no bridge path, a prerequisite channel without bridge...). */
  skip?: string;
}

/** FNV-1a: a stable 32-bit seed per (run seed, channel), so channels do not share random streams. */
export function subSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const ref = (path: string, alt?: string[]) => ({ $conform: 'ref', path, ...(alt?.length ? { alt } : {}) });

/** `"${a.b}"` -> ref marker; `"x-${a.b}"` -> template marker; `param:<name>` -> the stream start's arg index. */
export function literalArgs(value: unknown, paramIndex?: (name: string) => number | string): unknown {
  const fix = (path: string) => {
    if (path.startsWith('param:')) {
      const [name, ...rest] = path.slice('param:'.length).split('.');
      const i = /^\d+$/.test(name!) ? Number(name) : paramIndex ? paramIndex(name!) : -1;
      return ['param', String(i), ...rest].join('.');
    }
    return path;
  };
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return ref(fix(whole[1]!));
    if (!/\$\{[^}]+\}/.test(value)) return value;
    const parts: unknown[] = [];
    let last = 0;
    for (const m of value.matchAll(/\$\{([^}]+)\}/g)) {
      if (m.index! > last) parts.push(value.slice(last, m.index));
      parts.push({ path: fix(m[1]!) });
      last = m.index! + m[0].length;
    }
    if (last < value.length) parts.push(value.slice(last));
    return { $conform: 'template', parts };
  }
  if (Array.isArray(value)) return value.map((v) => literalArgs(v, paramIndex));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalArgs(v, paramIndex)]));
  }
  return value;
}

/** Where a named param sits in the start call's args: its index, or `0.<name>` in a Tauri args object. */
function paramIndexOf(ch: Channel): (name: string) => number | string {
  if (ch.params.style === 'named') return (name) => `0.${name}`;
  return (name) => (ch.params.style === 'positional' ? ch.params.list.findIndex((p) => p.name === name) : -1);
}

/** Index of each fixture-bound positional param -> `<as>.<path>`. */
export function fixtureIndexes(ch: Channel): Map<number, string> {
  const out = new Map<number, string>();
  for (const [param, path] of Object.entries(ch.fixtures)) {
    const i = /^\d+$/.test(param) ? Number(param) : paramIndexOf(ch)(param);
    if (typeof i === 'number' && i >= 0) out.set(i, path);
  }
  return out;
}

export function callTimeout(ch: Channel | undefined, opts: PlanOptions): number {
  return Math.max(opts.callTimeoutMs, Math.min((ch?.budgetMs ?? 0) + 1000, 60_000));
}

export class Planner {
  private nextId = 1;
  constructor(
    readonly pack: Pack,
    readonly opts: PlanOptions,
  ) {}

  private step(ch: Channel, role: CallRole, args: unknown[], index: number, extra: Partial<Step> = {}): Step {
    return { id: this.nextId++, role, channel: ch.name, bridge: bridgeOf(this.pack, ch)!, args, timeoutMs: callTimeout(ch, this.opts), index, ...extra };
  }

  /** Steps for prerequisite or cleanup calls; null (with a reason) when one cannot be made. */
  private fixtureSteps(list: Prerequisite[], role: CallRole, paramIndex?: (n: string) => number | string): Step[] | string {
    const out: Step[] = [];
    for (const p of list) {
      const ch = this.pack.byName.get(p.call);
      if (!ch) return `${role} call ${p.call} is not a channel of the pack`;
      if (!bridgeOf(this.pack, ch)) return `${role} call ${p.call} has no bridge method`;
      const args = literalArgs(p.args ?? [], paramIndex);
      const errorWhen = ch.errors.style === 'result-union' ? ch.errors.discriminator : undefined;
      out.push(this.step(ch, role, Array.isArray(args) ? args : [args], 0, { ...(p.as ? { bind: p.as } : {}), ...(errorWhen ? { errorWhen } : {}) }));
    }
    return out;
  }

  /** Valid generated args for a channel, fixture-bound params replaced by refs; deduplicated. */
  validArgs(ch: Channel, count = this.opts.validCount, exact = false): unknown[][] {
    if (ch.params.style === 'named') return this.validNamedArgs(ch, count, exact);
    if (ch.params.style !== 'positional' && ch.params.style !== 'none') return [];
    const fixtures = fixtureIndexes(ch);
    // Stateful channels (with prerequisites) take one input: the first, which is the schema's
    // example when it has one, the value packs set their fixtures up for.
    const n = ch.params.style === 'none' || ch.params.list.length === 0 || (ch.prerequisites.length > 0 && !exact) ? 1 : count;
    // Per param (not per args tuple) so each param's own `examples` come first: input #0 is the
    // documented example call. Optional params are left out of even-numbered inputs.
    const values: unknown[][] = [];
    if (ch.params.style === 'positional' && ch.params.list.length > 0) {
      const list = ch.params.list;
      const perParam = list.map((p, i) => generateValid(p.schema, this.pack.schemas, { seed: subSeed(this.opts.seed, `valid:${ch.name}:${i}`), count: n, pathRoot: this.opts.pathRoot, guardRoots: this.opts.guardRoots, name: p.name }));
      for (let k = 0; k < n; k++) {
        const args: unknown[] = [];
        for (let i = 0; i < list.length; i++) {
          if (list[i]!.optional && k % 2 === 0) break;
          args.push(perParam[i]![k]);
        }
        values.push(args);
      }
    } else {
      values.push([]);
    }
    const seen = new Set<string>();
    const out: unknown[][] = [];
    for (const v of values) {
      const args = Array.isArray(v) ? [...v] : [];
      for (const [i, path] of fixtures) if (i < Math.max(args.length, i + 1)) args[i] = ref(path);
      const key = JSON.stringify(args);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(args);
    }
    return out;
  }

  /**
   * Tauri: one camelCase args object, generated from the whole named schema (its examples first);
   * fixture-bound keys become refs. Same dedup and stateful-channel rule as positional params.
   */
  private validNamedArgs(ch: Channel, count: number, exact: boolean): unknown[][] {
    const n = takesNoParams(ch) || (ch.prerequisites.length > 0 && !exact) ? 1 : count;
    const values = generateValid(ch.args, this.pack.schemas, { seed: subSeed(this.opts.seed, `valid:${ch.name}`), count: n });
    const seen = new Set<string>();
    const out: unknown[][] = [];
    for (const v of values.length ? values : [{}]) {
      const obj: Record<string, unknown> = v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
      for (const [key, path] of Object.entries(ch.fixtures)) obj[key] = ref(path);
      const key = JSON.stringify(obj);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([obj]);
    }
    return out;
  }

  /** Tauri: invalid args objects (a non-object cannot be a command's arguments); other fixture keys stay bound. */
  private invalidNamedArgs(ch: Channel): { args: unknown[]; rule: string; brokenIndex: number }[] {
    const out: { args: unknown[]; rule: string; brokenIndex: number }[] = [];
    for (const inv of generateInvalid(ch.args, this.pack.schemas, { seed: subSeed(this.opts.seed, `invalid:${ch.name}`) })) {
      if (!inv.value || typeof inv.value !== 'object' || Array.isArray(inv.value)) continue;
      const broken = /^\/([^/]+)/.exec(inv.path)?.[1];
      // Tauri ignores keys no command argument asks for: an extra key is not invalid input.
      if (!broken || inv.rule === 'extra-property') continue;
      const obj: Record<string, unknown> = { ...(inv.value as Record<string, unknown>) };
      for (const [key, path] of Object.entries(ch.fixtures)) if (key !== broken && key in obj) obj[key] = ref(path);
      out.push({ args: [obj], rule: `${inv.rule} at ${inv.path}`, brokenIndex: 0 });
      if (out.length >= this.opts.invalidMax) break;
    }
    return out;
  }

  /** Invalid generated args: only variants a bridge method can pass (positional arrays, not extra args). */
  invalidArgs(ch: Channel): { args: unknown[]; rule: string; brokenIndex: number }[] {
    if (ch.params.style === 'named') return this.invalidNamedArgs(ch);
    if (ch.params.style !== 'positional' || ch.params.list.length === 0) return [];
    const total = ch.params.list.length;
    const seed = subSeed(this.opts.seed, `invalid:${ch.name}`);
    const fixtures = fixtureIndexes(ch);
    const out: { args: unknown[]; rule: string; brokenIndex: number }[] = [];
    for (const inv of generateInvalid(ch.args, this.pack.schemas, { seed, pathRoot: this.opts.pathRoot, guardRoots: this.opts.guardRoots })) {
      if (!Array.isArray(inv.value)) continue; // a non-array cannot be spread into bridge arguments
      const m = /^\/(\d+)/.exec(inv.path);
      if (!m) continue;
      const brokenIndex = Number(m[1]);
      // Extra positional args never reach main through a preload method that names its params.
      if (brokenIndex >= total || inv.rule === 'max-items' || inv.rule === 'extra-item') continue;
      const args = [...inv.value];
      for (const [i, path] of fixtures) if (i !== brokenIndex && i < args.length) args[i] = ref(path);
      out.push({ args, rule: `${inv.rule} at ${inv.path}`, brokenIndex });
      if (out.length >= this.opts.invalidMax) break;
    }
    return out;
  }

  /**
   * Isolation: what a generated call to a collection's create/upsert channel made (valid or
   * invalid input alike: an app may store an item with id "") is deleted right after it, so no
   * later check judges its leftovers. The id comes from the result, else from the call's input.
   */
  private removeCreated(ch: Channel): { bind: Partial<Step>; steps: () => Step[] } | null {
    const col = this.pack.collections.find((c) => (c.create === ch.name || c.upsert === ch.name) && c.delete);
    const del = col ? this.pack.byName.get(col.delete!) : undefined;
    if (!col || !del?.bridge || del.destructive || ch.params.style !== 'positional') return null;
    const idIndex = del.params.style === 'positional' ? Math.max(0, del.params.list.findIndex((p, i) => p.name === col.idParam || String(i) === col.idParam)) : 0;
    const inputIndex = Math.max(0, ch.params.list.findIndex((p) => /item|input|data|script|record/i.test(p.name)));
    const fromResult = ['__created', ...(col.itemPath ? [col.itemPath] : []), col.idField].join('.');
    const fromInput = `__createdArgs.${inputIndex}.${col.idField}`;
    return {
      bind: { bind: '__created', bindArgs: '__createdArgs' },
      steps: () => {
        const args: unknown[] = [];
        args[idIndex] = ref(fromResult, [fromInput]);
        return [this.step(del, 'cleanup', Array.from(args, (a) => a ?? null), 0)];
      },
    };
  }

  /** One channel group: per valid input prerequisites -> call -> cleanup; then the invalid inputs. */
  group(ch: Channel): GroupPlan {
    if (!bridgeOf(this.pack, ch)) return { channel: ch.name, steps: [], fixturePaths: [], skip: `${ch.name} has no bridge method to call` };
    // The contract says generated calls must not exercise it (quits the app, wipes data...).
    if (ch.destructive) return { channel: ch.name, steps: [], fixturePaths: [], skip: `destructive, not called by generated checks: ${ch.destructive}` };
    const steps: Step[] = [];
    const pre = this.fixtureSteps(ch.prerequisites, 'prerequisite');
    const post = this.fixtureSteps(ch.cleanup, 'cleanup');
    if (typeof pre === 'string') return { channel: ch.name, steps: [], fixturePaths: [], skip: pre };
    if (typeof post === 'string') return { channel: ch.name, steps: [], fixturePaths: [], skip: post };
    const clone = (list: Step[]) => list.map((s) => ({ ...s, id: this.nextId++ }));
    const created = this.removeCreated(ch);
    const packDeletes = created && ch.cleanup.some((c) => this.pack.collections.some((col) => col.delete === c.call));
    this.validArgs(ch).forEach((args, i) => {
      const p = clone(pre);
      steps.push(...p);
      steps.push(this.step(ch, 'valid', args, i, { ...(p.length ? { needs: p.map((x) => x.id) } : {}), ...(created && !packDeletes ? created.bind : {}) }));
      steps.push(...clone(post));
      if (created && !packDeletes) steps.push(...created.steps());
    });
    const invalid = this.invalidArgs(ch);
    const fixtures = fixtureIndexes(ch);
    const needFixtures = ch.params.style === 'named'
      ? Object.keys(ch.fixtures).length > 0
      : invalid.some((inv) => [...fixtures.keys()].some((i) => i !== inv.brokenIndex));
    if (invalid.length) {
      const p = needFixtures ? clone(pre) : [];
      steps.push(...p);
      invalid.forEach((inv, i) => {
        steps.push(this.step(ch, 'invalid', inv.args, i, { rule: inv.rule, ...(p.length ? { needs: p.map((x) => x.id) } : {}), ...(created ? created.bind : {}) }));
        if (created) steps.push(...created.steps());
      });
      // Cleanup that refers to a valid call's result would act on a stale binding here: skip it.
      if (needFixtures) steps.push(...clone(post).filter((s) => !JSON.stringify(s.args).includes('"result')));
    }
    return { channel: ch.name, steps, fixturePaths: ch.params.style === 'named' ? Object.values(ch.fixtures) : [...fixtures.values()] };
  }

  /** Steps that start a stream (prerequisites, then the detached start call) and its abort and cleanup. */
  /** Distinct valid inputs a stream can be started with (the example first, then a generated one). */
  streamInputs(stream: Stream): number {
    const ch = this.pack.byName.get(stream.start);
    return ch ? this.validArgs(ch, 2, true).length : 0;
  }

  stream(stream: Stream, input = 0): { start: Step[]; abort?: Step; cleanup: Step[]; skip?: string } {
    const ch = this.pack.byName.get(stream.start);
    if (!ch || !bridgeOf(this.pack, ch)) return { start: [], cleanup: [], skip: `start channel ${stream.start} has no bridge method` };
    if (ch.destructive) return { start: [], cleanup: [], skip: `start channel ${stream.start} is destructive: ${ch.destructive}` };
    const pre = this.fixtureSteps(ch.prerequisites, 'prerequisite');
    const post = this.fixtureSteps(ch.cleanup, 'cleanup', paramIndexOf(ch));
    if (typeof pre === 'string') return { start: [], cleanup: [], skip: pre };
    if (typeof post === 'string') return { start: [], cleanup: [], skip: post };
    const args = this.validArgs(ch, 2, true)[input] ?? [];
    const start = [...pre, this.step(ch, 'stream-start', args, 0, { detach: true, timeoutMs: 120_000, ...(pre.length ? { needs: pre.map((p) => p.id) } : {}) })];
    let abort: Step | undefined;
    if (stream.abort) {
      const a = this.pack.byName.get(stream.abort.call);
      if (!a || !bridgeOf(this.pack, a)) return { start: [], cleanup: [], skip: `abort call ${stream.abort.call} has no bridge method` };
      // Without args, the abort call gets the start call's leading args (e.g. the same id), as
      // many as it takes: `stop(id)` for `start(id)`, nothing for `stop()`.
      const takes = a.params.style === 'positional' ? a.params.list.length : 0;
      const defaults = Array.from({ length: takes }, (_, i) => `\${param:${i}}`);
      const aargs = literalArgs(stream.abort.args ?? defaults, paramIndexOf(ch));
      abort = this.step(a, 'abort', Array.isArray(aargs) ? aargs : [aargs], 0);
    }
    return { start, abort, cleanup: post };
  }
}
