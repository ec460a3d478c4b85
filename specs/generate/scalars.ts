// Strings and numbers within bounds: formats (ajv-formats names) and property-name hints filled
// with faker, patterns with randexp. Every candidate is checked against the view's own string /
// number keywords before it is used, so a hint never breaks a bound.
import type { Faker } from '@faker-js/faker';
import { join } from 'node:path';
import RandExp from 'randexp';
import { multipleOk, regex, ucs2length } from './check.ts';
import type { View } from './view.ts';

type Make = (f: Faker) => string;

/** Valid values for the formats ajv-formats knows. */
export const FORMAT_MAKERS: Record<string, Make> = {
  'date-time': (f) => f.date.between({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }).toISOString(),
  date: (f) => f.date.between({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }).toISOString().slice(0, 10),
  time: (f) => f.date.between({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }).toISOString().slice(11, 19) + 'Z',
  duration: (f) => `P${f.number.int({ min: 1, max: 30 })}DT${f.number.int({ min: 0, max: 23 })}H`,
  email: (f) => f.internet.email().replace(/'/g, ''),
  'idn-email': (f) => f.internet.email().replace(/'/g, ''),
  hostname: (f) => f.internet.domainName(),
  'idn-hostname': (f) => f.internet.domainName(),
  ipv4: (f) => f.internet.ipv4(),
  ipv6: (f) => f.internet.ipv6(),
  uri: (f) => f.internet.url(),
  url: (f) => f.internet.url(),
  iri: (f) => f.internet.url(),
  'uri-reference': (f) => f.internet.url(),
  'iri-reference': (f) => f.internet.url(),
  'uri-template': (f) => f.internet.url(),
  uuid: (f) => f.string.uuid(),
  'json-pointer': (f) => `/${f.lorem.word()}/${f.number.int({ min: 0, max: 9 })}`,
  'relative-json-pointer': (f) => `${f.number.int({ min: 0, max: 3 })}/${f.lorem.word()}`,
  regex: (f) => `^${f.lorem.word()}[0-9]+$`,
  byte: (f) => Buffer.from(f.lorem.words(3)).toString('base64'),
  password: (f) => f.internet.password({ length: 16 }),
};

/** Strings that break a format (for 'format' invalid variants), for formats ajv-formats checks. */
export const FORMAT_BREAKERS: Record<string, string> = {
  'date-time': 'not-a-date-time',
  date: 'not-a-date',
  time: 'not-a-time',
  duration: 'not-a-duration',
  email: 'not-an-email',
  'idn-email': 'not-an-email',
  hostname: 'not a hostname!',
  ipv4: '999.999.999.999',
  ipv6: 'not-an-ipv6',
  uri: 'not a uri',
  url: 'not a url',
  uuid: 'not-a-uuid',
  'json-pointer': 'no-leading-slash',
  'relative-json-pointer': 'not-relative',
  regex: '(unclosed',
  byte: '!!not base64!!',
};

const FILE_KEY = /^(path|file|filename)$|(Path|File|FileName|Filename|_path|_file)$/;
const DIR_KEY = /^(dir|directory|folder|cwd|root)$|(Dir|Directory|Folder|Root|_dir)$/;
/** Kernel pseudo-filesystems: a generated path there can hang or harm the app's host (mkdir under /proc). */
const PSEUDO_FS = /^\/(proc|sys|dev)(?=\/|$)/;

/**
 * A path-like string (by name or `x-guard: { pathUnder }`) inside `root`, the run's own folder, so
 * an app that uses it as a real path (mkdir, write, delete) only touches that folder.
 */
function pathInside(f: Faker, root: string, key: string | undefined): string {
  return key && DIR_KEY.test(key) ? join(root, f.lorem.word()) : join(root, f.system.fileName());
}

const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'ja-JP', 'pt-BR', 'zh-CN'];

/** Property-name hints for strings, first match wins. */
const STRING_HINTS: [RegExp, Make][] = [
  [/e-?mail/i, FORMAT_MAKERS.email!],
  [/(^|_)(uuid|guid)$|^id$|[a-z]Id$|_id$/, (f) => f.string.uuid()],
  [/^host(name)?$/i, (f) => f.internet.domainName()],
  [/(url|uri|href|link|endpoint)$/i, (f) => f.internet.url()],
  // Camel-case aware so `profile` is not a file and `redir` not a directory.
  [FILE_KEY, (f) => f.system.filePath()],
  [DIR_KEY, (f) => f.system.directoryPath()],
  [/version$/i, (f) => f.system.semver()],
  [/^(locale|lang|language)$/i, (f) => f.helpers.arrayElement(LOCALES)],
  [/(token|api_?key|secret|password)$/i, (f) => f.string.alphanumeric(32)],
  [/(At|_at|Date|timestamp)$/, FORMAT_MAKERS['date-time']!],
  [/^model$/i, (f) => `${f.helpers.arrayElement(['llama3.2', 'mistral', 'qwen2.5', 'gemma2'])}:${f.helpers.arrayElement(['latest', '7b', '0.5b'])}`],
  [/(^|[a-z_])name$/i, (f) => f.person.firstName()],
  [/(title|label)$/i, (f) => f.lorem.words(3)],
  [/(description|prompt|message|text|content|summary|body|error|reason)$/i, (f) => f.lorem.sentence()],
  [/colou?r$/i, (f) => f.color.rgb()],
  [/^ip(v4)?$/i, (f) => f.internet.ipv4()],
  [/command$/i, (f) => f.helpers.arrayElement(['node', 'python3', 'bash', 'npm'])],
];

const NUMBER_HINTS: [RegExp, (f: Faker) => number][] = [
  [/port$/i, (f) => f.internet.port()],
  [/(At|_at|timestamp|Time)$/, (f) => f.date.between({ from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }).getTime()],
  [/(count|size|bytes|length|total|index|pid|duration|ms|seconds|limit|offset|progress|completed)$/i, (f) => f.number.int({ min: 0, max: 5000 })],
];

const randexpCache = new Map<string, RandExp | null>();
function fromPattern(f: Faker, source: string): string | undefined {
  let r = randexpCache.get(source);
  if (r === undefined) {
    try {
      r = new RandExp(new RegExp(source, 'u'));
      r.max = 6; // keep `*` / `+` short
    } catch {
      r = null;
    }
    randexpCache.set(source, r);
  }
  if (!r) return undefined;
  // A seeded source per call keeps output deterministic; randexp's default is Math.random.
  r.randInt = (a: number, b: number) => f.number.int({ min: a, max: b });
  return r.gen();
}

export function stringFits(v: View, s: string): boolean {
  const len = ucs2length(s);
  if (v.minLength !== undefined && len < v.minLength) return false;
  if (v.maxLength !== undefined && len > v.maxLength) return false;
  return v.patterns.every((p) => regex(p)?.test(s) ?? false);
}

/** Pad or cut to the length bounds (only used when no pattern constrains the string). */
function fitLength(f: Faker, v: View, s: string): string {
  const min = v.minLength ?? 0;
  const max = v.maxLength ?? Math.max(min, 64);
  let cps = Array.from(s);
  if (cps.length < min) cps = cps.concat(Array.from(f.string.alpha(min - cps.length)));
  if (cps.length > max) cps = cps.slice(0, max);
  return cps.join('');
}

/** A generated string never names /proc, /sys or /dev (they stay at a plain folder instead). */
/** Where generated paths point: the run's own folder, and the app's real guard roots once known. */
export interface PathRoots {
  root?: string;
  /** `x-guard: { pathUnder: <name> }` roots as the app resolves them (userData, temp, ...). */
  guardRoots?: Record<string, string>;
}

export function genString(f: Faker, v: View, key: string | undefined, paths?: PathRoots): string {
  const s = genStringRaw(f, v, key, paths);
  if (!PSEUDO_FS.test(s)) return s;
  const moved = s.replace(PSEUDO_FS, '/var/tmp');
  return stringFits(v, moved) ? moved : s.replace(PSEUDO_FS, (m) => `/x${m.slice(2)}`);
}

function genStringRaw(f: Faker, v: View, key: string | undefined, paths: PathRoots | undefined): string {
  // A guarded path is valid only under its guard root: generate it there when the app said where.
  const pathRoot = (v.pathGuard ? paths?.guardRoots?.[v.pathGuard] : undefined) ?? paths?.root;
  if (pathRoot && !v.patterns.length && !v.formats.length && (v.pathGuard || (key && (FILE_KEY.test(key) || DIR_KEY.test(key))))) {
    const s = pathInside(f, pathRoot, key);
    if (stringFits(v, s)) return s;
  }
  if (v.patterns.length) {
    let last = '';
    for (let attempt = 0; attempt < 30; attempt++) {
      const s = fromPattern(f, v.patterns[attempt % v.patterns.length]!);
      if (s === undefined) continue;
      if (stringFits(v, s)) return s;
      last = s;
    }
    // randexp cannot meet every pattern + length mix; a format or hint value may.
    const format = v.formats.find((x) => FORMAT_MAKERS[x]);
    const hint = key ? STRING_HINTS.find(([re]) => re.test(key)) : undefined;
    for (const make of [format ? FORMAT_MAKERS[format] : undefined, hint?.[1]]) {
      const s = make?.(f);
      if (s !== undefined && stringFits(v, s)) return s;
    }
    return last; // best effort: the property test reports a pattern this cannot satisfy
  }
  const format = v.formats.find((x) => FORMAT_MAKERS[x]);
  if (format) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const s = FORMAT_MAKERS[format]!(f);
      if (stringFits(v, s)) return s;
    }
  }
  if (key && !v.formats.length) {
    const hint = STRING_HINTS.find(([re]) => re.test(key));
    if (hint) {
      const s = hint[1](f);
      if (stringFits(v, s)) return s;
    }
  }
  return fitLength(f, v, v.formats.length ? f.string.alphanumeric(8) : f.lorem.word());
}

/** Integer or number within bounds and multipleOf; throws Unsatisfiable-style Error when empty. */
export function genNumber(f: Faker, v: View, integer: boolean, key: string | undefined): number {
  let lo = -Infinity;
  let hi = Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (v.minimum !== undefined) lo = v.minimum;
  if (v.exclusiveMinimum !== undefined && v.exclusiveMinimum >= lo) (lo = v.exclusiveMinimum), (loOpen = true);
  if (v.maximum !== undefined) hi = v.maximum;
  if (v.exclusiveMaximum !== undefined && v.exclusiveMaximum <= hi) (hi = v.exclusiveMaximum), (hiOpen = true);
  if (integer) {
    lo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    loOpen = hiOpen = false;
  }
  const ok = (x: number) =>
    (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi) && v.multipleOf.every((m) => multipleOk(x, m)) && (!integer || Number.isInteger(x));

  if (key) {
    const hint = NUMBER_HINTS.find(([re]) => re.test(key));
    if (hint) {
      const x = hint[1](f);
      if (ok(x)) return x;
    }
  }
  // Default window when a side is open: small non-negative numbers read best in reports.
  const wlo = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? (hi > 0 ? 0 : hi - 1000) : 0;
  const whi = Number.isFinite(hi) ? hi : wlo + 1000;
  if (v.multipleOf.length) {
    const m = Math.max(...v.multipleOf);
    const kmin = Math.ceil(wlo / m);
    const kmax = Math.floor(whi / m);
    for (let attempt = 0; attempt < 20 && kmin <= kmax; attempt++) {
      const x = f.number.int({ min: kmin, max: kmax }) * m;
      if (ok(x)) return x;
    }
    if (ok(0)) return 0;
    throw new Error(`no number satisfies bounds [${lo}, ${hi}] and multipleOf ${v.multipleOf.join(', ')}`);
  }
  if (integer) {
    if (wlo > whi) throw new Error(`no integer within [${lo}, ${hi}]`);
    return f.number.int({ min: wlo, max: whi });
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const x = f.number.float({ min: wlo, max: whi, fractionDigits: 2 });
    if (ok(x)) return x;
  }
  const mid = (wlo + whi) / 2;
  if (ok(mid)) return mid;
  throw new Error(`no number within ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`);
}
