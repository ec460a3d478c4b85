// Scenario files: per-channel overrides of the mock's answers (fixed result, error, latency, how a
// stream ends). YAML or JSON; format documented in mocks/README.md. Every override is checked
// against the pack when loaded, so a typo in a channel name or a result that breaks the return
// schema is reported with file:line instead of surfacing as a wrong answer later.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { Pack } from '../specs/model.ts';
import { ContractError } from '../specs/model.ts';

export type StreamEnding = 'normal' | 'error' | 'abort';

/** What the mock does for one channel instead of its default answer. */
export interface Override {
  /** Fixed answer (must match the return schema). */
  result?: unknown;
  /** Answer with an error in the channel's documented shape; the string is the message. */
  error?: string;
  /** Delay before answering, ms. */
  latencyMs?: number;
  /** How a stream started by this channel ends. */
  stream?: StreamEnding;
  /** Fixed stream events `[{ event, payload }]` (payloads must match their schemas). */
  events?: { event: string; payload?: unknown; delayMs?: number }[];
}

export interface Scenario {
  name: string;
  file?: string;
  channels: Record<string, Override>;
  /**
   * Channels / commands the pack lacks, answered anyway (`result`, `error`, `latencyMs`), so a
   * renderer gets its screen up without forking the pack. Kept apart from `channels` so a typo
   * there is still an error.
   */
  extra?: Record<string, Override>;
}

const OVERRIDE_KEYS = new Set(['result', 'error', 'latencyMs', 'stream', 'events']);
const here = dirname(fileURLToPath(import.meta.url));

/** Scenarios every pack has without a file. */
export function builtinScenario(name: string, pack: Pack): Scenario | undefined {
  const callable = pack.channels.filter((c) => c.kind !== 'event');
  if (name === 'default') return { name, channels: {} };
  if (name === 'errors') {
    return { name, channels: Object.fromEntries(callable.map((c) => [c.name, { error: `conform mock: scenario "errors" (${c.name})` }])) };
  }
  if (name === 'slow') return { name, channels: Object.fromEntries(callable.map((c) => [c.name, { latencyMs: 400 }])) };
  if (name === 'stream-errors' || name === 'stream-aborts') {
    const ending: StreamEnding = name === 'stream-errors' ? 'error' : 'abort';
    return { name, channels: Object.fromEntries(pack.streams.map((s) => [s.start, { stream: ending }])) };
  }
  return undefined;
}

/** Where `--scenario <name>` is looked up: the pack's `scenarios/` folder, then mocks/scenarios/<pack>/. */
function scenarioCandidates(name: string, pack: Pack): string[] {
  const dirs = [join(pack.dir, 'scenarios'), join(here, 'scenarios', pack.name)];
  return dirs.flatMap((d) => ['.yaml', '.yml', '.json'].map((ext) => join(d, name + ext)));
}

export function resolveScenario(nameOrFile: string, pack: Pack): Scenario {
  const looksLikeFile = /[/\\]/.test(nameOrFile) || /\.(ya?ml|json)$/i.test(nameOrFile);
  if (looksLikeFile) return loadScenarioFile(isAbsolute(nameOrFile) ? nameOrFile : resolve(nameOrFile), pack);
  const builtin = builtinScenario(nameOrFile, pack);
  if (builtin) return builtin;
  const found = scenarioCandidates(nameOrFile, pack).find((f) => existsSync(f));
  if (found) return loadScenarioFile(found, pack);
  throw new ContractError(
    `unknown scenario "${nameOrFile}": not a built-in (default, errors, slow, stream-errors, stream-aborts) and no file ${scenarioCandidates(nameOrFile, pack).slice(0, 1).join('')} (or .yml/.json there or under mocks/scenarios/${pack.name}/); give a path to a scenario file instead`,
  );
}

export function loadScenarioFile(file: string, pack: Pack): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ContractError(`cannot read scenario file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseScenario(text, file, pack);
}

export function parseScenario(text: string, file: string, pack: Pack): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const posOf = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ContractError(`scenario is not valid YAML/JSON: ${e.message.split('\n')[0]}`, posOf(e.pos[0]));
  }
  const root = doc.toJS() as unknown;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new ContractError('a scenario is a mapping with `channels:` (channel name -> override)', posOf(0));
  }
  const obj = root as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (!['name', 'description', 'channels', 'extra'].includes(k)) {
      throw new ContractError(`unknown key "${k}" in scenario (allowed: name, description, channels, extra)`, posOf(keyOffset(doc.contents, [k])), k);
    }
  }
  // One section of overrides, each checked by `check` (pack channels vs channels the pack lacks).
  const section = (key: 'channels' | 'extra', check: (pack: Pack, name: string, raw: unknown) => string | undefined): Record<string, Override> => {
    const raw = (obj[key] ?? {}) as Record<string, unknown>;
    if (typeof raw !== 'object' || Array.isArray(raw)) throw new ContractError(`\`${key}\` must be a mapping of channel name -> override`, posOf(keyOffset(doc.contents, [key])));
    const out: Record<string, Override> = {};
    for (const [name, value] of Object.entries(raw)) {
      const problem = check(pack, name, value);
      if (problem) throw new ContractError(problem, posOf(keyOffset(doc.contents, [key, name])), `${key}.${name}`);
      out[name] = value as Override;
    }
    return out;
  };
  const out = section('channels', checkOverride);
  const extra = section('extra', checkExtra);
  return { name: typeof obj.name === 'string' ? obj.name : file.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, ''), file, channels: out, extra };
}

/** Why `raw` cannot answer `name`, a channel the pack lacks; undefined when it can. */
export function checkExtra(pack: Pack, name: string, raw: unknown): string | undefined {
  if (pack.byName.has(name)) return `"${name}" is a channel of pack ${pack.name}: override it under channels:, where its result is checked against the contract`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `extra "${name}" must be a mapping with result, error or latencyMs`;
  for (const k of Object.keys(raw)) if (!['result', 'error', 'latencyMs'].includes(k)) return `unknown key "${k}" in extra "${name}" (allowed: result, error, latencyMs; the pack has no schema or stream for it)`;
  const o = raw as Record<string, unknown>;
  if (o.latencyMs !== undefined && (typeof o.latencyMs !== 'number' || o.latencyMs < 0)) return `latencyMs of "${name}" must be a number >= 0`;
  if (o.error !== undefined && typeof o.error !== 'string') return `error of "${name}" must be a string (the message)`;
  return undefined;
}

/** Why `raw` is not a valid override of channel `name` of `pack`, or undefined when it is. */
export function checkOverride(pack: Pack, name: string, raw: unknown): string | undefined {
  const ch = pack.byName.get(name);
  if (!ch) return `scenario names channel "${name}", which pack ${pack.name} does not have`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `override of "${name}" must be a mapping with result, error, latencyMs, stream or events`;
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!OVERRIDE_KEYS.has(k)) return `unknown key "${k}" in the override of "${name}" (allowed: ${[...OVERRIDE_KEYS].join(', ')})`;
  if (o.latencyMs !== undefined && (typeof o.latencyMs !== 'number' || o.latencyMs < 0)) return `latencyMs of "${name}" must be a number >= 0`;
  if (o.error !== undefined && typeof o.error !== 'string') return `error of "${name}" must be a string (the message)`;
  if (o.stream !== undefined && !['normal', 'error', 'abort'].includes(o.stream as string)) return `stream of "${name}" must be normal, error or abort`;
  if ('result' in o) {
    if (ch.returnsVoid) {
      if (o.result !== null && o.result !== undefined) return `"${name}" returns void; its override cannot give a result`;
    } else if (ch.returns) {
      const v = pack.schemas.validate(ch.returns, o.result);
      if (!v.valid) return `result of "${name}" breaks its return schema: ${v.issues[0]?.path || '/'} ${v.issues[0]?.message}`;
    }
  }
  if (o.events !== undefined) {
    if (!Array.isArray(o.events)) return `events of "${name}" must be a list of { event, payload }`;
    for (const [i, e] of (o.events as Record<string, unknown>[]).entries()) {
      const evName = e?.event as string;
      const stream = pack.streams.find((s) => s.start === name);
      if (!stream) return `"${name}" starts no stream, so it cannot have events`;
      if (!stream.events.includes(evName)) return `events[${i}] of "${name}": "${evName}" is not an event of stream ${stream.name} (${stream.events.join(', ')})`;
      const evCh = pack.byName.get(evName);
      const schema = evCh?.payload ?? pack.byName.get(name)?.payload;
      if (schema && e.payload !== undefined) {
        const v = pack.schemas.validate(schema, e.payload);
        if (!v.valid) return `events[${i}] of "${name}": payload breaks the schema of ${evName}: ${v.issues[0]?.path || '/'} ${v.issues[0]?.message}`;
      }
    }
  }
  return undefined;
}

function keyOffset(node: unknown, path: string[]): number | undefined {
  let cur = node;
  let offset: number | undefined;
  for (const k of path) {
    if (!isMap(cur)) return offset;
    const pair = cur.items.find((p) => (p.key as { value?: unknown })?.value === k);
    if (!pair) return offset;
    offset = (pair.key as { range?: [number, number, number] }).range?.[0];
    cur = pair.value;
  }
  return offset;
}
