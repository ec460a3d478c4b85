// Cassettes: recordings of an app's IPC traffic as JSON Lines (format in mocks/README.md).
// Written one complete line per entry with a synchronous append, so whatever was recorded before
// a crash of the app is on disk; read back with a line-numbered error for anything broken.
import { Ajv } from 'ajv';
import { appendFileSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../runner/private-file.ts';
import { REDACTED, redactByNode, SecretSet } from '../specs/redact.ts';
import type { Pack, SchemaNode } from '../specs/model.ts';

export const CASSETTE_VERSION = 1;

export interface CassetteHeader {
  conform: 'cassette';
  version: number;
  app: string;
  pack?: string;
  runtime?: 'electron' | 'standin';
  startedAt: string;
}

/** invoke: renderer -> main with a reply; send: renderer -> main, no reply; event: main -> renderer. */
export type CassetteEntry =
  | { seq: number; t: number; type: 'invoke'; channel: string; args: unknown[]; result?: unknown; error?: string; durationMs: number }
  | { seq: number; t: number; type: 'send'; channel: string; args: unknown[] }
  | { seq: number; t: number; type: 'event'; channel: string; args: unknown[] };

/** An entry before the writer numbers it (distributes over the union, unlike a plain Omit). */
export type EntryWithoutSeq = CassetteEntry extends infer E ? (E extends unknown ? Omit<E, 'seq'> : never) : never;

export interface Cassette {
  file: string;
  header: CassetteHeader;
  entries: CassetteEntry[];
  /** Set when the last line was cut off mid-write and dropped (tolerateTruncatedTail). */
  truncatedLine?: number;
}

export class CassetteError extends Error {
  readonly exitCode = 2;
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'CassetteError';
  }
}

const headerSchema = {
  type: 'object',
  required: ['conform', 'version', 'app', 'startedAt'],
  properties: {
    conform: { const: 'cassette' },
    version: { type: 'integer', minimum: 1 },
    app: { type: 'string', minLength: 1 },
    pack: { type: 'string' },
    runtime: { enum: ['electron', 'standin'] },
    startedAt: { type: 'string' },
  },
  additionalProperties: false,
};

const entrySchema = {
  type: 'object',
  required: ['seq', 't', 'type', 'channel', 'args'],
  properties: {
    seq: { type: 'integer', minimum: 1 },
    t: { type: 'number', minimum: 0 },
    type: { enum: ['invoke', 'send', 'event'] },
    channel: { type: 'string', minLength: 1 },
    args: { type: 'array' },
    result: true,
    error: { type: 'string' },
    durationMs: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
  if: { properties: { type: { const: 'invoke' } } },
  then: { properties: { durationMs: true }, required: ['durationMs'] },
};

// Compiled once for every cassette read in this process.
const ajv = new Ajv({ allErrors: false, strict: true });
const validateHeader = ajv.compile<CassetteHeader>(headerSchema);
const validateEntry = ajv.compile<CassetteEntry>(entrySchema);

function describe(errors: typeof validateEntry.errors): string {
  const e = errors?.[0];
  if (!e) return 'invalid entry';
  return `${e.instancePath || 'entry'} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`;
}

/** Cassettes store JSON: undefined becomes absent, Dates ISO strings, BigInt strings, Map/Set arrays. */
export function toJsonValue(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Map) return [...v.entries()];
      if (v instanceof Set) return [...v.values()];
      return v;
    }) ?? 'null',
  );
}

export interface CassetteWriter {
  readonly file: string;
  append(entry: EntryWithoutSeq): void;
  readonly count: number;
}

export function createCassetteWriter(file: string, header: Omit<CassetteHeader, 'conform' | 'version'>): CassetteWriter {
  writePrivateFile(file, JSON.stringify({ conform: 'cassette', version: CASSETTE_VERSION, ...header }) + '\n');
  let seq = 0;
  return {
    file,
    get count() {
      return seq;
    },
    append(entry) {
      seq += 1;
      // One synchronous append per line: a crash loses at most the entry being written.
      appendFileSync(file, JSON.stringify(toJsonValue({ seq, ...entry })) + '\n');
    },
  };
}

/**
 * The secret values a cassette holds (by the pack's x-secret marks and by credential-like names):
 * a hand-written or foreign cassette may carry them in clear, and the mock must not echo them.
 */
export function cassetteSecrets(cassette: Cassette, pack?: Pack): SecretSet {
  const secrets = new SecretSet();
  const see = (v: unknown, node: SchemaNode | undefined) => void redactByNode(v, node, pack?.schemas, { collect: secrets });
  for (const e of cassette.entries) {
    const ch = pack?.byName.get(e.channel);
    if (e.type === 'event') { see(e.args[0], ch?.payload); see(e.args.slice(1), undefined); }
    else see(e.args, ch?.args);
    if (e.type === 'invoke' && e.result !== undefined) see(e.result, ch?.returns);
  }
  return secrets;
}

export function parseCassette(text: string, file: string, opts: { tolerateTruncatedTail?: boolean } = {}): Cassette {
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n');
  if (endsClean) lines.pop();
  if (lines.length === 0 || (lines.length === 1 && lines[0].trim() === '')) {
    throw new CassetteError(file, 1, 'the cassette is empty: expected a header line `{"conform":"cassette",...}`');
  }
  const parseLine = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]);
    } catch (err) {
      const isTail = i === lines.length - 1 && !endsClean;
      if (isTail) {
        throw new CassetteError(file, i + 1, `the last line is truncated (the recording was cut off, e.g. the app crashed mid-write); the ${i} lines before it are intact and replay can use them with --tolerate-truncated`);
      }
      throw new CassetteError(file, i + 1, `not valid JSON (${(err as Error).message}); every line of a cassette is one JSON object`);
    }
  };
  const header = parseLine(0);
  if (!validateHeader(header)) {
    throw new CassetteError(file, 1, `bad header: ${describe(validateHeader.errors)}; expected {"conform":"cassette","version":${CASSETTE_VERSION},"app":...,"startedAt":...}`);
  }
  if (header.version > CASSETTE_VERSION) {
    throw new CassetteError(file, 1, `cassette version ${header.version} is newer than this Conform understands (${CASSETTE_VERSION})`);
  }
  const entries: CassetteEntry[] = [];
  let truncatedLine: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let entry: unknown;
    try {
      entry = parseLine(i);
    } catch (err) {
      if (opts.tolerateTruncatedTail && i === lines.length - 1 && !endsClean) {
        truncatedLine = i + 1;
        break;
      }
      throw err;
    }
    if (!validateEntry(entry)) throw new CassetteError(file, i + 1, `bad entry: ${describe(validateEntry.errors)}`);
    const prev = entries[entries.length - 1];
    if (prev && entry.t < prev.t) throw new CassetteError(file, i + 1, `timestamps go backwards (${entry.t} after ${prev.t})`);
    entries.push(entry);
  }
  return { file, header, entries, truncatedLine };
}

export function readCassette(file: string, opts: { tolerateTruncatedTail?: boolean } = {}): Cassette {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CassetteError(file, 0, `cannot read the cassette: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseCassette(text, file, opts);
}

/** Structural equality where a REDACTED value in the recording matches anything (secrets are not kept). */
export function argsMatch(recorded: unknown, actual: unknown): boolean {
  if (recorded === REDACTED) return true;
  if (recorded === actual) return true;
  if (typeof recorded !== 'object' || typeof actual !== 'object' || recorded === null || actual === null) return false;
  if (Array.isArray(recorded) !== Array.isArray(actual)) return false;
  const rk = Object.keys(recorded);
  const ak = Object.keys(actual);
  if (rk.length !== ak.length) return false;
  return rk.every((k) => argsMatch((recorded as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k]));
}
