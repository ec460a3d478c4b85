// Values a UI can render. The generator (specs/generate) makes any valid value; a renderer needs
// more: an open type (`x-unspecified`) must not come back as `null` or `77`, a list it iterates
// must be a list, a counter must be small and a name must read like a name. This pass takes a
// generated valid value and (1) fills every open place from the pack's `examples` or a guess from
// its name (plural -> a list of objects, else an object), warning once per channel how to do
// better, and (2) replaces leaves by field name with faker values. A change is kept only while the
// whole value stays valid against its schema, so enums, formats and patterns always win.
import { isDeepStrictEqual } from 'node:util';
import { Faker, base, en } from '@faker-js/faker';
import { lazilySeededRandomizer } from '../specs/random.ts';
import { inspectSchema } from '../specs/generate.ts';
import type { SchemaNode, SchemaStore } from '../specs/model.ts';

type Json = unknown;

// This module's own Faker (the English one, as `faker` from '@faker-js/faker/locale/en'), reseeded
// for every value it fills, with the same random sequence as faker's default and a cheaper seed.
const faker = new Faker({ locale: [en, base], randomizer: lazilySeededRandomizer() });
type Key = string | number;

/** Last word of a field or channel name: `backend:hosts-list` -> `list`, `get_messages` -> `messages`, `lastExitCode` -> `code`. */
function lastWord(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s:_\-./|]+/).filter(Boolean);
  return (words.at(-1) ?? name).toLowerCase();
}

const TEXT_CHANNEL = /^(token|delta|chunk|text|message|line|log|path|url|output)$/;

const NOT_PLURAL = /(settings|status|details|metrics|stats|options|config|progress|address|news|alias|bytes|ms|always|is|has|analysis|canvas|process|access|success|class)$/;

/** Whether an open place named `name` is probably a list (`models`, `hosts-list`, `get_messages`). */
export function looksLikeList(name: string): boolean {
  const w = lastWord(name);
  if (['list', 'items', 'entries', 'history', 'all', 'rows', 'results'].includes(w)) return true;
  return w.length > 2 && w.endsWith('s') && !w.endsWith('ss') && !NOT_PLURAL.test(w);
}

/** A string for a field called `key`, or undefined when the name says nothing. */
function stringFor(key: string): string | undefined {
  const k = key.toLowerCase();
  const w = lastWord(key);
  if (/e-?mail/.test(k)) return faker.internet.email().toLowerCase();
  if (/(url|uri|href|link|homepage|website|endpoint)$/.test(k)) return faker.internet.url();
  if (/(hostname|host|domain)$/.test(k)) return faker.internet.domainName();
  if (/(^ip|address)$/.test(k) && !/mail/.test(k)) return faker.internet.ipv4();
  if (/(username|user|login|author|owner)$/.test(k)) return faker.internet.username().toLowerCase();
  if (/^(firstname|givenname)$/.test(k)) return faker.person.firstName();
  if (/^(lastname|surname|familyname)$/.test(k)) return faker.person.lastName();
  if (/(fullname|displayname|person|contact)$/.test(k)) return faker.person.fullName();
  if (/(path|file|filename|dir|directory|folder|cwd|cmdpath)$/.test(k)) return faker.system.filePath();
  if (/(command|cmd|script|exec|executable)$/.test(k)) return `node ${faker.system.commonFileName('js')}`;
  // A streamed piece of text: a word and its space, so tokens add up to readable text.
  if (/(token|delta|chunk|piece)$/.test(k)) return `${faker.word.sample()} `;
  if (/(log|line|stdout|stderr|output)$/.test(k)) return `${new Date(Date.UTC(2026, 0, 1, 12, 0, faker.number.int(59))).toISOString()} INFO ${faker.hacker.phrase()}`;
  if (/(message|text|content|body|prompt|response|reply|answer)$/.test(k)) return faker.lorem.sentence();
  if (/(description|summary|notes?|comment|details?|bio|about)$/.test(k)) return faker.lorem.sentences(2);
  if (/(title|label|caption|heading|subject)$/.test(k)) return faker.lorem.words({ min: 2, max: 4 }).replace(/^\w/, (c) => c.toUpperCase());
  if (/(model|modelname)$/.test(k)) return `${faker.helpers.arrayElement(['llama3.2', 'mistral', 'qwen2.5', 'gemma2', 'phi3'])}:${faker.helpers.arrayElement(['latest', '7b', '3b', '13b'])}`;
  if (w === 'name') return `${faker.word.adjective()}-${faker.word.noun()}`;
  if (/(version)$/.test(k)) return faker.system.semver();
  if (/(color|colour)$/.test(k)) return faker.color.rgb();
  if (/(country)$/.test(k)) return faker.location.country();
  if (/(city)$/.test(k)) return faker.location.city();
  if (/(phone)$/.test(k)) return faker.phone.number();
  if (/(date|time|at|timestamp|since|until)$/.test(k) && /[a-z]/.test(k)) return faker.date.recent({ days: 30, refDate: '2026-12-01T00:00:00Z' }).toISOString();
  if (/(id|uuid|key)$/.test(k)) return faker.string.uuid();
  return undefined;
}

/** A number for a field called `key` (integers stay integers), or undefined when the name says nothing. */
function numberFor(key: string, integer: boolean): number | undefined {
  const k = key.toLowerCase();
  const int = (min: number, max: number) => faker.number.int({ min, max });
  let n: number | undefined;
  if (/(pid)$/.test(k)) n = int(1000, 65000);
  else if (/port$/.test(k)) n = int(1024, 65535);
  else if (/(count|retries|retry|restarts|attempts|errors|failures|tries|exitcode|exit|code|signal|level|index|depth|priority|rank)$/.test(k)) n = int(0, 5);
  else if (/(percent|progress|pct|ratio)$/.test(k)) n = k.endsWith('ratio') ? faker.number.float({ min: 0, max: 1, fractionDigits: 2 }) : int(0, 100);
  else if (/(size|bytes|total|completed|length)$/.test(k)) n = int(1_000, 50_000_000);
  else if (/(ms|duration|elapsed|latency|uptime|timeout|interval|delay)$/.test(k)) n = int(10, 60_000);
  else if (/(at|time|timestamp|date|since|until)$/.test(k)) n = Date.UTC(2026, 10, 1) + int(0, 30 * 86_400_000);
  else if (/(tokens|words|lines|messages|items|users|hosts)$/.test(k)) n = int(1, 500);
  else if (/(cpu|ram|memory|mem)$/.test(k)) n = int(1, 90);
  if (n === undefined) return undefined;
  return integer ? Math.round(n) : n;
}

/**
 * Whether a value reads as the failure branch of a result union: `{ success: false }`,
 * `{ ok: false }`, or an `error` set with no `data`/`result` beside it.
 */
export function looksLikeFailure(v: Json): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, Json>;
  if (o.success === false || o.ok === false) return true;
  return o.error !== undefined && o.error !== null && o.error !== '' && !('data' in o) && !('result' in o);
}

/** A flag whose name asks "is it up?" (`ollama:available`, `connected`) is true: the screen a developer wants first. */
function booleanFor(key: string): boolean | undefined {
  return /(available|online|connected|healthy|ready|reachable|alive)$/i.test(key) ? true : undefined;
}

/** A log line that reads like one (deterministic for `seed`); `n`, the line's number in its log, keeps timestamps in order. */
export function fakeLogLine(seed: number, n: number): string {
  faker.seed(seed);
  return `${new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + n * 1500).toISOString()} ${faker.helpers.arrayElement(['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN'])} ${faker.hacker.phrase()}`;
}

/** Concrete paths in `value` matching a pointer with `*` wildcards (`/models/*` -> `[['models', 0], ...]`). */
function expand(value: Json, pointer: string): Key[][] {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let paths: { at: Key[]; v: Json }[] = [{ at: [], v: value }];
  for (const part of parts) {
    const next: { at: Key[]; v: Json }[] = [];
    for (const { at, v } of paths) {
      if (typeof v !== 'object' || v === null) continue;
      if (part === '*') {
        for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) next.push({ at: [...at, k], v: child });
      } else if (Array.isArray(v) ? /^\d+$/.test(part) && Number(part) < v.length : part in v) {
        next.push({ at: [...at, Array.isArray(v) ? Number(part) : part], v: (v as Record<string, Json>)[part] });
      }
    }
    paths = next;
  }
  return paths.map((p) => p.at);
}

function setAt(root: Json, at: Key[], v: Json): Json {
  if (at.length === 0) return v;
  let cur = root as Record<Key, Json>;
  for (const k of at.slice(0, -1)) cur = cur[k] as Record<Key, Json>;
  cur[at[at.length - 1]!] = v;
  return root;
}

/** The schema's own `examples` (following a top-level $ref), if it has any. */
export function examplesOf(node: SchemaNode, store: SchemaStore): Json[] {
  let s = node.schema as Record<string, unknown> | boolean;
  for (let i = 0; i < 5 && typeof s === 'object' && s && typeof s.$ref === 'string' && !Array.isArray(s.examples); i++) {
    try {
      s = store.resolve(s.$ref as string, node.uri).schema as Record<string, unknown>;
    } catch {
      break;
    }
  }
  return typeof s === 'object' && s && Array.isArray(s.examples) ? (s.examples as Json[]) : [];
}

export interface OpenPlace {
  /** The channel (or stream/event label) the value is for. */
  label: string;
  /** JSON pointer of the open place ('' = the whole value). */
  path: string;
  note: string;
  /** What was answered: the pack's example or a guessed shape. */
  answered: 'example' | 'list' | 'object' | 'value named after the field';
}

export class RenderableValues {
  private traits = new Map<string, ReturnType<typeof inspectSchema>>();
  /** examplesOf by schema URI: a pack's schemas do not change, and fill asks for every value. */
  private examples = new Map<string, Json[]>();
  private warned = new Set<string>();

  constructor(
    private store: SchemaStore,
    private onOpen: (place: OpenPlace) => void = () => {},
  ) {}

  /** Make `value` (valid for `node`) renderable, deterministically for `seed`; returns a value that is still valid. */
  fill(node: SchemaNode, value: Json, label: string, seed: number): Json {
    faker.seed(seed);
    let own = this.examples.get(node.uri);
    if (!own) this.examples.set(node.uri, (own = examplesOf(node, this.store)));
    // The pack's example is answered as written; fields are faked by name only in generated values.
    if (own.some((e) => isDeepStrictEqual(e, value))) return structuredClone(value);
    let out = structuredClone(value);
    let wholeExample = false;
    const traits = this.traits.get(node.uri) ?? inspectSchema(node, this.store);
    this.traits.set(node.uri, traits);
    for (const pointer of traits.unspecifiedPaths) {
      for (const at of expand(out, pointer)) {
        const name = at.length ? String([...at].reverse().find((k) => typeof k === 'string') ?? '') : label.replace(/#.*$/, '');
        const examples = pointer === '' ? own : [];
        const guess = examples.length > 0 ? structuredClone(examples[0]) : this.guess(name, at.length === 0, typeof at.at(-1) === 'number' && !looksLikeList(name));
        const next = setAt(structuredClone(out), at, guess);
        if (!this.store.validate(node, next).valid) continue;
        out = next;
        if (examples.length > 0) wholeExample = true;
        this.report({ label: label.replace(/#.*$/, ''), path: pointer, note: traits.unspecified ?? 'x-unspecified', answered: examples.length > 0 ? 'example' : Array.isArray(guess) ? 'list' : typeof guess === 'object' ? 'object' : 'value named after the field' });
      }
    }
    if (wholeExample) return out;
    // A scalar answer is named by its channel (`sessions:get-path` -> a path).
    return this.byFieldName(node, out, lastWord(label.replace(/#.*$/, '')));
  }

  private report(place: OpenPlace): void {
    const key = `${place.label} ${place.path}`;
    if (this.warned.has(place.label) || this.warned.has(key)) return;
    this.warned.add(place.label);
    this.onOpen(place);
  }

  /**
   * An open value: a short list of objects for plural names; for a field whose name says what it
   * holds (`startTime`, `url`, `count`) that; else an object with an id and a name.
   */
  private guess(name: string, whole: boolean, item: boolean): Json {
    const one = () => ({ id: faker.string.uuid(), name: `${faker.word.adjective()}-${faker.word.noun()}` });
    if (!item && looksLikeList(name)) return Array.from({ length: 3 }, one);
    // A field says what it holds; a whole value only when its channel is named like text (a token event, a log line, a path).
    if (!item && (!whole || TEXT_CHANNEL.test(lastWord(name)))) {
      const byName = stringFor(whole ? lastWord(name) : name) ?? numberFor(name, true);
      if (byName !== undefined) return byName;
    }
    return one();
  }

  /** Leaves replaced by field name; all at once when the result is valid, else one by one. */
  private byFieldName(node: SchemaNode, value: Json, topName: string): Json {
    const leaves: { at: Key[]; v: Json }[] = [];
    const walk = (v: Json, at: Key[], key: string | undefined) => {
      if (leaves.length > 200) return;
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i], key));
      else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...at, k], k);
      else if (key !== undefined) {
        const next = typeof v === 'string' ? stringFor(key) : typeof v === 'number' ? numberFor(key, Number.isInteger(v)) : typeof v === 'boolean' ? booleanFor(key) : undefined;
        if (next !== undefined) leaves.push({ at, v: next });
      }
    };
    walk(value, [], topName);
    if (leaves.length === 0) return value;
    let all = structuredClone(value);
    for (const l of leaves) all = setAt(all, l.at, l.v);
    if (this.store.validate(node, all).valid) return all;
    let out = value;
    for (const l of leaves.slice(0, 40)) {
      const next = setAt(structuredClone(out), l.at, l.v);
      if (this.store.validate(node, next).valid) out = next;
    }
    return out;
  }
}
